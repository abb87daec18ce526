"""``make bench`` part (8): the audit runs at issue 22's size unless skipped, and its row names the target."""

from __future__ import annotations

import pytest

from tests.bench.audit import audit_rows
from tests.bench.run import parse

pytestmark = pytest.mark.unit


def test_the_bench_audits_ten_thousand_encounters_unless_skipped() -> None:
    assert parse([]).audit_encounters == 10_000
    assert "audit" in parse(["--skip", "audit"]).skip
    assert parse(["--audit-encounters", "500"]).audit_encounters == 500


def test_the_audit_row_says_whether_the_sixty_seconds_were_met() -> None:
    figures = {"encounters": 10_012, "x12_files": 118, "findings": 17, "seconds": 41.5, "cpu_seconds": 22.1,
               "encounters_per_second": 241.2, "target_s": 60.0}  # fmt: skip
    (_, measure, value, target), _ = audit_rows(figures)
    assert "10,012 encounters" in measure
    assert value == "41.5 (CPU 22.1)"
    assert target == "<60 s met"
    assert audit_rows({**figures, "seconds": 75.0})[0][3] == "<60 s MISSED"
    assert audit_rows(None) == []
