"""The audit's comparison on hand-made values, and the CSV form of the import file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from otrcm_audit.domain.audit import audit
from otrcm_audit.domain.findings import Category
from otrcm_audit.domain.model import (
    Acknowledgments,
    AuditSettings,
    BilledClaim,
    BilledLine,
    DayMatch,
    ExpectedDay,
    ExpectedLine,
)
from otrcm_audit.entrypoints.cli import main

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
AS_OF = date(2026, 11, 20)
ON = AS_OF - timedelta(days=30)
MATCH = DayMatch("M123", "blue-commercial-ama", "1234567893", ON)
DAY = ExpectedDay(
    MATCH, "blue-commercial-ama", "ama", ("e-1",),
    (ExpectedLine("e-1", "97530", 2, ("GO",), Decimal("80.00"), False),), timely_filing_days=180,
)  # fmt: skip
SETTINGS = AuditSettings(as_of=AS_OF)


def claim(claim_id: str = "K1", group: str = "7", created: date = ON + timedelta(days=2)) -> BilledClaim:
    line = BilledLine("K1-1", "97530", ("GO",), 2, Decimal("150"), ON)
    return BilledClaim(claim_id, "blue-commercial-ama", "M123", "1234567893", "1", Decimal("150"), (line,),
                       "837p-1.x12", created, group, "B1")  # fmt: skip


def categories(acks: Acknowledgments) -> list[str]:
    return [f.category.value for f in audit([DAY], [claim()], [], acks, SETTINGS).findings]


def test_a_claim_a_277ca_rejected_leaves_the_day_unbilled() -> None:
    rejected = Acknowledgments(claims_rejected=frozenset({"K1"}), read=True)
    assert categories(rejected) == ["encounter_unbilled"]


def test_a_group_a_999_rejected_leaves_the_day_unbilled() -> None:
    assert categories(Acknowledgments(groups_rejected=frozenset({"7"}), read=True)) == ["encounter_unbilled"]


def test_a_claim_no_acknowledgment_names_is_unacknowledged_and_one_accepted_is_not() -> None:
    assert categories(Acknowledgments(read=True)) == ["claim_unacknowledged"]
    assert categories(Acknowledgments(claims_accepted=frozenset({"K1"}), read=True)) == []
    assert categories(Acknowledgments(groups_accepted=frozenset({"7"}), read=True)) == []
    assert categories(Acknowledgments()) == []  # no --acks: not judged


def test_a_day_billed_as_expected_has_no_finding_and_a_claim_of_no_day_is_unmatched() -> None:
    other = replace(claim("K2"), member_id="M999")
    result = audit([DAY], [claim(), other], [], Acknowledgments(), SETTINGS)
    assert result.findings == ()
    assert result.unmatched_claims == ("K2",)


def test_a_day_younger_than_the_billing_lag_is_not_yet_unbilled() -> None:
    young = ExpectedDay(DayMatch("M123", "blue-commercial-ama", "1234567893", AS_OF - timedelta(days=3)),
                        "blue-commercial-ama", "ama", ("e-1",), DAY.lines, timely_filing_days=180)  # fmt: skip
    assert audit([young], [], [], Acknowledgments(), SETTINGS).findings == ()
    assert [f.category for f in audit([DAY], [], [], Acknowledgments(), SETTINGS).findings] == [
        Category.ENCOUNTER_UNBILLED
    ]


def test_the_csv_import_file_is_read_and_its_unbilled_days_priced_from_the_fee_schedule(tmp_path: Path) -> None:
    header = ("encounter_id,patient_id,payer_id,date_of_service,place_of_service,billing_provider_npi,rendering_npi,"
              "rendering_role,location_id,diagnoses,line_number,code,minutes,diagnosis_pointers")  # fmt: skip
    visit = "11,1234567893,1245319599,OT,MO-01,M62.81"
    later = ON + timedelta(days=1)
    rows = [
        f"csv-1,mrn-9,blue-commercial-ama,{ON},{visit},1,97530,30,1",
        f"csv-2,mrn-9,blue-commercial-ama,{later},{visit},1,97530,20,1",
        f"csv-2,mrn-9,blue-commercial-ama,{later},{visit},2,97110,10,1",
    ]
    (tmp_path / "visits.csv").write_text("\n".join([header, *rows]) + "\n")
    for name in ("claims", "remits"):
        (tmp_path / name).mkdir()
    assert main(["run", "--encounters", str(tmp_path / "visits.csv"), "--claims", str(tmp_path / "claims"),
                 "--remits", str(tmp_path / "remits"), "--out", str(tmp_path / "out"), "--as-of", str(AS_OF),
                 "--jobs", "1"]) == 0  # fmt: skip
    fees = json.loads((ROOT / "shared/src/otrcm_shared/refdata/data/tenant_fee_schedules.json").read_text())
    blue = {code: Decimal(v) for code, v in fees["versions"][0]["data"]["payers"]["blue-commercial-ama"].items()}
    found = {
        row["encounter_id"]: Decimal(row["amount"]) for row in json.loads((tmp_path / "out/findings.json").read_text())
    }
    # AMA per code: 30 minutes of 97530 = 2 units; 20 minutes of 97530 = 1, 10 of 97110 = 1
    assert found == {"csv-1": 2 * blue["97530"], "csv-2": blue["97530"] + blue["97110"]}


def test_a_day_past_the_filing_limit_says_so() -> None:
    old = ExpectedDay(DayMatch("M123", "blue-commercial-ama", "1234567893", AS_OF - timedelta(days=200)),
                      "blue-commercial-ama", "ama", ("e-1",), DAY.lines, timely_filing_days=180)  # fmt: skip
    (found,) = audit([old], [], [], Acknowledgments(), SETTINGS).findings
    assert found.category is Category.TIMELY_FILING_RISK
    assert found.amount == Decimal("80.00")
    assert "filing limit passed 20 days ago" in found.evidence
