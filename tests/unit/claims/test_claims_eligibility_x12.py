"""Eligibility in X12 (issue 19 item 9): the 270 a patient's check sends (005010X279A1), for a patient who
is the subscriber and for a child on a parent's plan, and 271 test files in the standard's layout
(tests/support/x12/) read into the coverage facts, every value written out by hand."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from otrcm_claims.adapters.x12.envelope import ControlNumbers, InterchangeParty, TradingPartners, Usage
from otrcm_claims.adapters.x12.parse_271 import parse_271
from otrcm_claims.adapters.x12.pyx12_check import pyx12_knows, validate_with_pyx12
from otrcm_claims.adapters.x12.render_270 import IMPLEMENTATION_270, render_270
from otrcm_claims.domain.eligibility import Benefit, CoverageFacts, EligibilityInquiry
from otrcm_claims.domain.parties import (
    Address,
    BillingProvider,
    ClaimFilingIndicator,
    Patient,
    PatientRelationship,
    Payer,
    PersonName,
    Sex,
    Subscriber,
)

pytestmark = pytest.mark.unit

FILES = Path(__file__).parents[2] / "support" / "x12"
TRACE = "0123456789abcdef0123"
CLINIC = BillingProvider(
    "MERIDIAN HAND AND OT LLC",
    "1234567893",
    "225X00000X",
    "431234567",
    Address("100 MAIN ST", "COLUMBIA", "MO", "652011234"),
)
BLUE = Payer("BLUE COMMERCIAL PLAN", "BLUE1", ClaimFilingIndicator.COMMERCIAL)
PARENT = Subscriber(PersonName("QUILLFEATHER", "HECTOR"), "XQB884120301", date(1984, 6, 2), Sex.MALE)
CHILD = Patient(
    PersonName("QUILLFEATHER", "TOBIAS"),
    PatientRelationship.CHILD,
    date(2019, 9, 14),
    Sex.MALE,
    Address("5 ELM ST", "COLUMBIA", "MO", "65201"),
)
PARTNERS = TradingPartners(InterchangeParty("ZZ", "SUB123"), InterchangeParty("ZZ", "CH01"), Usage.TEST)
NOT_IN_PYX12 = pytest.mark.xfail(
    not pyx12_knows(IMPLEMENTATION_270),
    reason="pyx12 4.0.0, its latest release, ships no 005010X279A1 map (only 004010X092A1)",
    strict=True,
)


def _270(patient: Patient | None) -> str:
    inquiry = EligibilityInquiry(TRACE, BLUE, CLINIC, PARENT, date(2026, 3, 10), patient)
    return render_270(inquiry, PARTNERS, ControlNumbers(7, 7), datetime(2026, 3, 9, 8, 30))


def test_a_dependents_270_asks_about_the_child_under_the_parents_member_id() -> None:
    segments = _270(CHILD).split("~")
    assert segments[1:] == [
        "GS*HS*SUB123*CH01*20260309*0830*7*X*005010X279A1",
        "ST*270*0001*005010X279A1",
        f"BHT*0022*13*{TRACE}*20260309*0830",
        "HL*1**20*1",
        "NM1*PR*2*BLUE COMMERCIAL PLAN*****PI*BLUE1",
        "HL*2*1*21*1",
        "NM1*1P*2*MERIDIAN HAND AND OT LLC*****XX*1234567893",
        "HL*3*2*22*1",
        "NM1*IL*1*QUILLFEATHER*HECTOR****MI*XQB884120301",
        "DMG*D8*19840602*M",
        "HL*4*3*23*0",
        f"TRN*1*{TRACE}*1431234567",
        "NM1*03*1*QUILLFEATHER*TOBIAS",
        "DMG*D8*20190914*M",
        "DTP*291*D8*20260310",
        "EQ*30",
        "EQ*AD",
        "SE*17*0001",
        "GE*1*7",
        "IEA*1*000000007",
        "",
    ]


def test_a_subscribers_270_asks_in_2100c_with_the_trace_number() -> None:
    segments = _270(None).split("~")
    assert segments[8:14] == [
        "HL*3*2*22*0",
        f"TRN*1*{TRACE}*1431234567",
        "NM1*IL*1*QUILLFEATHER*HECTOR****MI*XQB884120301",
        "DMG*D8*19840602*M",
        "DTP*291*D8*20260310",
        "EQ*30",
    ]


@NOT_IN_PYX12
@pytest.mark.parametrize("patient", [None, CHILD], ids=["subscriber", "dependent"])
def test_pyx12_accepts_the_270(patient: Patient | None) -> None:
    verdict = validate_with_pyx12(_270(patient))
    assert verdict.valid, verdict.issues


@NOT_IN_PYX12
@pytest.mark.parametrize("name", ["271-medicare-active-therapy-applied.x12", "271-dependent-plan-ended.x12"])
def test_pyx12_accepts_the_271_test_files(name: str) -> None:
    verdict = validate_with_pyx12((FILES / name).read_text().replace("\n", ""))
    assert verdict.valid, verdict.issues


def test_a_medicare_271_reads_as_active_with_the_therapy_amounts_applied() -> None:
    [facts] = parse_271((FILES / "271-medicare-active-therapy-applied.x12").read_text())
    assert facts == CoverageFacts(
        trace=TRACE,
        member_id="1EG4TE5MK73",
        plan_begin=date(2013, 3, 1),
        plan_end=None,
        benefits=(
            Benefit("1", ("30",)),
            Benefit("1", ("AD",)),
            Benefit("F", ("AD",), "23", Decimal("1460.25")),
            Benefit("F", ("PT",), "23", Decimal("312.40")),
            Benefit("C", ("30",), "23", Decimal("0")),
        ),
    )
    assert facts.status_on(date(2026, 3, 10)) == "active"
    assert facts.therapy_amounts == (
        Benefit("F", ("AD",), "23", Decimal("1460.25")),
        Benefit("F", ("PT",), "23", Decimal("312.40")),
    )


def test_a_dependents_271_reads_the_plan_range_and_is_inactive_after_it_ended() -> None:
    [facts] = parse_271((FILES / "271-dependent-plan-ended.x12").read_text())
    assert facts == CoverageFacts(
        trace="fedcba9876543210fedc",
        member_id="XQB884120399",  # the payer's member id, inherited from the subscriber level
        plan_begin=date(2025, 1, 1),
        plan_end=date(2026, 2, 28),
        benefits=(Benefit("6", ("30",)),),
    )
    assert facts.status_on(date(2026, 3, 10)) == "inactive"


def test_an_aaa_rejection_and_repeated_service_types_are_read() -> None:
    text = (FILES / "271-medicare-active-therapy-applied.x12").read_text()
    text = text.replace("DMG*D8*19480307*F~", "DMG*D8*19480307*F~\nAAA*N**72*C~")
    text = text.replace("EB*1**30**MEDICARE PART B~", "EB*1**30^AD**MEDICARE PART B~")
    [facts] = parse_271(text)
    assert facts.rejections == ("72",)
    assert facts.benefits[0] == Benefit("1", ("30", "AD"))
    assert facts.status_on(date(2026, 3, 10)) == "rejected"


def test_status_reads_eb01_within_the_plan_dates() -> None:
    active = CoverageFacts(
        TRACE, plan_begin=date(2026, 1, 1), plan_end=date(2026, 12, 31), benefits=(Benefit("1", ("30",)),)
    )
    assert active.status_on(date(2026, 3, 10)) == "active"
    assert active.status_on(date(2027, 1, 1)) == "inactive"
    assert active.status_on(date(2025, 12, 31)) == "inactive"
    assert CoverageFacts(TRACE, benefits=(Benefit("1", ("A7",)),)).status_on(date(2026, 3, 10)) == "unknown"
    assert CoverageFacts(TRACE).status_on(date(2026, 3, 10)) == "unknown"
