"""Effective-dated reference data: lookups by date at the edges, sources, and overlap errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from otrcm_shared.refdata import CodeCatalog, NoVersionInEffect, load_builtin, load_dataset_file

pytestmark = pytest.mark.unit


def _write(tmp_path: Path, versions: list[dict[str, object]]) -> Path:
    path = tmp_path / "thresholds.json"
    path.write_text(
        json.dumps(
            {
                "dataset": "thresholds",
                "description": "d",
                "source": "CY PFS final rules",
                "versions": versions,
            }
        )
    )
    return path


def test_lookup_takes_the_version_in_effect_on_the_date(tmp_path: Path) -> None:
    dataset = load_dataset_file(
        _write(
            tmp_path,
            [
                {
                    "version": "2025",
                    "effective_from": "2025-01-01",
                    "effective_to": "2025-12-31",
                    "data": {"ot": 2410},
                },
                {
                    "version": "2026",
                    "effective_from": "2026-01-01",
                    "effective_to": None,
                    "data": {"ot": 2480},
                },
            ],
        )
    )
    assert dataset.as_of(date(2025, 12, 31)).data["ot"] == 2410
    assert dataset.as_of(date(2026, 1, 1)).data["ot"] == 2480
    assert dataset.source_of(dataset.as_of(date(2026, 1, 1))) == "CY PFS final rules"
    with pytest.raises(NoVersionInEffect, match="2024-12-31"):
        dataset.as_of(date(2024, 12, 31))


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"version": "a", "effective_from": "2025-01-01", "effective_to": "2025-06-30", "data": {}},
            {"version": "b", "effective_from": "2025-06-30", "data": {}},
        ],
    )
    with pytest.raises(ValidationError, match="overlaps"):
        load_dataset_file(path)


def test_a_dataset_must_name_its_source(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"dataset": "x", "description": "", "versions": []}))
    with pytest.raises(ValidationError, match="source"):
        load_dataset_file(path)


def test_the_code_catalog_knows_timed_untimed_and_families() -> None:
    catalog = CodeCatalog.builtin(date(2026, 3, 2))
    assert catalog.get("97530").timed
    assert not catalog.get("97165").timed
    assert catalog.get("97165").evaluation
    assert catalog.get("97130").family == catalog.get("97129").family == "cognitive_function"
    assert "97014" not in catalog
    with pytest.raises(KeyError, match="97014"):
        catalog.get("97014")
    assert load_builtin("code_catalog").source


def test_the_code_catalog_has_no_version_before_its_effective_date() -> None:
    # 97129/97130 took effect 2020-01-01 (CPT 2020); the shipped catalog starts there.
    with pytest.raises(NoVersionInEffect):
        CodeCatalog.builtin(date(2019, 12, 31))
