"""The revenue audit on a generated 90-day practice (Medicare with plans of care and KX, MO HealthNet with
authorizations, a commercial AMA plan; several clinicians): every planted error is found with its category and
amount, and the clean twin has no finding at all.

The expected amounts are computed here from the figures the rules' sources give, not from the audit: the
practice's fee schedule file (``tenant_fee_schedules.json``) for MO HealthNet and the commercial plan, and the
CMS 2026 RVUs / 2025 Missouri GPCIs / 2026 conversion factor with MPPR and the CO rate (``tests/support/
medicare_2026.py``) for Medicare.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from otrcm_audit.domain.model import AuditSettings
from otrcm_audit.usecases.run_audit import AuditInputs, AuditRun, run_audit
from tests.support.audit_practice import AS_OF, COMMERCIAL, MOHN
from tests.support.audit_x12 import write_practice
from tests.support.medicare_2026 import line

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
FEES = json.loads((ROOT / "shared/src/otrcm_shared/refdata/data/tenant_fee_schedules.json").read_text())
FEE = {
    payer: {code: Decimal(v) for code, v in codes.items()}
    for payer, codes in FEES["versions"][0]["data"]["payers"].items()
}
CO_RATE = Decimal("0.85")


def fee(payer: str, code: str, units: int) -> Decimal:
    return FEE[payer][code] * units


def medicare(code: str, units: int, *, full: bool = True, share: Decimal = Decimal(1)) -> Decimal:
    return line(code, units, "MO-01", full_pe_unit=full, share=share)


# (category, encounter id, code) -> amount, each priced from the sources above
PLANTED = {
    ("units_overbilled", "m1-units-cms", "97110"): -medicare("97110", 1, full=False),  # CMS: 12 + 9 minutes = 1 unit
    ("modifier_missing_go", "m1-go", "97110"): medicare("97110", 2),
    ("modifier_missing_co", "m1-co", "97530"): medicare("97530", 2, share=CO_RATE) - medicare("97530", 2),
    ("ncci_unmodified_pair", "m1-ncci", "97530"): medicare("97530", 1),  # 97530's PE is the day's highest
    ("modifier_missing_kx", "m2-v2", "97530"): medicare("97530", 2),
    ("poc_missing_or_expired", "m3-v5", None): -medicare("97530", 2),
    ("progress_report_lapsed", "m4-v10", None): -medicare("97530", 2),
    ("units_underbilled", "h1-units-cms", "97530"): fee(MOHN, "97530", 1),  # 38 minutes: 3 units, billed 2
    ("authorization_exceeded", "h1-auth", None): -fee(MOHN, "97530", 2),
    ("units_overbilled", "c1-units-ama-over", "97530"): -fee(COMMERCIAL, "97530", 1),  # AMA: 22 minutes = 1 unit
    ("units_underbilled", "c1-units-ama-under", "97110"): fee(COMMERCIAL, "97110", 1),  # AMA: 10 minutes = 1 unit
    ("timely_filing_risk", "c1-timely", None): fee(COMMERCIAL, "97530", 2),
    ("encounter_unbilled", "c1-unbilled", None): fee(COMMERCIAL, "97530", 2),
    ("claim_unacknowledged", "c1-unacked", None): fee(COMMERCIAL, "97530", 2),
    ("underpaid", "c1-underpaid", "97530"): Decimal("10.00"),
    ("denial_unworked", "c1-denied-line", "97530"): fee(COMMERCIAL, "97530", 2),
    ("denial_unworked", "c1-denied-claim", None): fee(COMMERCIAL, "97530", 2),
}


def audited(root: Path, *, planted: bool) -> AuditRun:
    encounters = write_practice(root, planted=planted)
    inputs = AuditInputs(encounters, root / "claims", root / "remits", root / "out", root / "acks", tenant="t-audit")
    return run_audit(inputs, AuditSettings(as_of=AS_OF))


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AuditRun]:
    root = tmp_path_factory.mktemp("planted")
    return root, audited(root, planted=True)


def test_every_planted_error_is_found_with_its_category_and_amount(planted: tuple[Path, AuditRun]) -> None:
    _, run = planted
    found = {(f.category.value, f.encounter_id, f.code): f.amount for f in run.result.findings}
    assert found == PLANTED
    assert {category for category, _, _ in PLANTED} == {
        "units_underbilled", "units_overbilled", "modifier_missing_go", "modifier_missing_kx", "modifier_missing_co",
        "ncci_unmodified_pair", "poc_missing_or_expired", "progress_report_lapsed", "authorization_exceeded",
        "encounter_unbilled", "claim_unacknowledged", "timely_filing_risk", "underpaid", "denial_unworked",
    }  # fmt: skip
    assert run.skipped == ()


def test_medicare_findings_are_marked_provisional_2026_prices_carry_the_2025_gpcis(
    planted: tuple[Path, AuditRun],
) -> None:
    _, run = planted
    marks = {f.encounter_id: f.provisional for f in run.result.findings}
    assert marks["m1-go"] is True
    assert marks["c1-unbilled"] is False


def test_the_clean_twin_has_no_finding(tmp_path: Path) -> None:
    run = audited(tmp_path, planted=False)
    assert run.result.findings == ()
    assert run.result.unmatched_claims == ()
    assert run.result.days > 600
    assert "0 findings" in run.summary


def test_findings_json_and_csv_carry_the_same_rows_and_columns(planted: tuple[Path, AuditRun]) -> None:
    root, _ = planted
    rows = json.loads((root / "out" / "findings.json").read_text())
    assert len(rows) == len(PLANTED)
    for column in ("category", "encounter_id", "claim_id", "date_of_service", "payer", "code", "billed_units",
                   "expected_units", "amount", "rule", "source"):  # fmt: skip
        assert all(column in row for row in rows)
    unbilled = next(row for row in rows if row["category"] == "encounter_unbilled")
    assert unbilled["amount"] == "80.00"
    assert unbilled["payer"] == COMMERCIAL
    assert "docs/billing-rules.md" in unbilled["source"] or "X12" in unbilled["source"]
    csv_lines = (root / "out" / "findings.csv").read_text().splitlines()
    assert csv_lines[0].split(",")[:11] == list(rows[0])[:11]
    assert len(csv_lines) == len(rows) + 1


def test_the_report_is_one_self_contained_page_with_totals_charts_and_methods(planted: tuple[Path, AuditRun]) -> None:
    root, _ = planted
    html = (root / "out" / "report.html").read_text()
    for network in ("http://", "https://", "<script", "<link", "src=", "@import", "url("):
        assert network not in html
    recoverable = sum(a for (c, _, _), a in PLANTED.items() if c in {
        "units_underbilled", "encounter_unbilled", "underpaid", "denial_unworked"})  # fmt: skip
    assert f"${recoverable:,.2f}" in html
    assert html.count("<svg") == 3  # by category, payer and month
    assert "Methods" in html
    assert "provisional" in html
    assert "c1-denied-line" in html


def test_two_processes_find_the_same(planted: tuple[Path, AuditRun], tmp_path: Path) -> None:
    root, one = planted
    inputs = AuditInputs(root / "encounters.jsonl", root / "claims", root / "remits", tmp_path, root / "acks")
    two = run_audit(inputs, AuditSettings(as_of=AS_OF), jobs=2)
    assert two.result == one.result
