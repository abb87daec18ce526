"""Coordination of benefits rules (docs/billing-rules.md#13-secondary-claims): which coverage pays second, a
crossover, the secondary claim's id, and lines the primary did not adjudicate."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.domain.coordination import (
    crossed_over,
    keyed_by_control_number,
    primary_adjudication,
    secondary_claim_id_for,
    secondary_coverage,
    unbalanced,
)
from otrcm_claims.domain.parties import ClaimFilingIndicator, PersonName
from otrcm_shared.events.claims import Adjustment, Balance, LinePosting, PaymentPosting
from otrcm_shared.events.patients import Address, Coverage, PatientRecorded

pytestmark = pytest.mark.unit

DOS = date(2026, 10, 6)
MEDICARE, MEDICAID, COMMERCIAL = "medicare-wps-j5", "mo-healthnet-ffs", "blue-commercial-ama"


def _patient(*coverages: Coverage) -> PatientRecorded:
    return PatientRecorded(
        patient_key="pk", first_name="Ada", last_name="Quill", birth_date=date(1948, 5, 17), sex="F",
        address=Address(line1="12 Elm St", city="Saint Louis", state="MO", postal_code="63101"), coverages=coverages,
    )  # fmt: skip


def _coverage(payer_id: str, **dates: date) -> Coverage:
    return Coverage(payer_id=payer_id, member_id=f"id-{payer_id}", **dates)  # type: ignore[arg-type]


def _posting(forwarded_to: str | None = None) -> PaymentPosting:
    balance = Balance(charged=Decimal(100), allowed=Decimal(80), paid=Decimal("62.72"), adjusted=Decimal("37.28"),
                      patient_responsibility=Decimal(16), balanced=True)  # fmt: skip
    line = LinePosting(line_key="day#1", procedure_code="97530", modifiers=("GO",), units=Decimal(2), balance=balance)
    return PaymentPosting(trace_number="T1", payment_method="ACH", claim_status_code="1", balance=balance,
                          lines=(line,), forwarded_to=forwarded_to)  # fmt: skip


def test_the_coverage_listed_after_the_claims_payer_pays_second() -> None:
    patient = _patient(_coverage(MEDICARE), _coverage(MEDICAID), _coverage(COMMERCIAL))
    assert secondary_coverage(patient, MEDICARE, DOS).payer_id == MEDICAID  # type: ignore[union-attr]
    assert secondary_coverage(patient, MEDICAID, DOS).payer_id == COMMERCIAL  # type: ignore[union-attr]
    assert secondary_coverage(patient, COMMERCIAL, DOS) is None  # the last pays nobody after it
    assert secondary_coverage(_patient(_coverage(MEDICARE)), MEDICARE, DOS) is None
    assert secondary_coverage(_patient(_coverage(MEDICAID)), MEDICARE, DOS) is None  # not the claim's payer


def test_a_secondary_coverage_not_in_force_on_the_date_of_service_is_passed_over() -> None:
    ended = _coverage(MEDICAID, effective_to=date(2026, 9, 30))
    later = _coverage(COMMERCIAL, effective_from=date(2026, 10, 1))
    assert secondary_coverage(_patient(_coverage(MEDICARE), ended, later), MEDICARE, DOS).payer_id == COMMERCIAL  # type: ignore[union-attr]
    assert secondary_coverage(_patient(_coverage(MEDICARE), ended), MEDICARE, DOS) is None


def test_a_crossover_is_not_sent_again() -> None:
    assert crossed_over(_posting("MO HEALTHNET")) is True
    assert crossed_over(_posting()) is False


def test_the_secondary_claim_id_is_opaque_deterministic_and_per_payer() -> None:
    first = secondary_claim_id_for("C0123456789ABCDEF012", MEDICAID)
    assert first == secondary_claim_id_for("C0123456789ABCDEF012", MEDICAID)
    assert first != secondary_claim_id_for("C0123456789ABCDEF012", COMMERCIAL)
    assert len(first) == 20
    assert first.startswith("C")


def test_lines_are_rekeyed_to_the_secondary_claim_and_unadjudicated_ones_named() -> None:
    other = primary_adjudication(
        _posting(), name="WPS MEDICARE PART B", payer_id="05302", filing_indicator=ClaimFilingIndicator.MEDICARE_PART_B,
        subscriber=PersonName("QUILL", "ADA"), coverage=_coverage(MEDICARE), adjudicated_on=date(2026, 11, 10),
    )  # fmt: skip
    keyed, missing = keyed_by_control_number(other, {"day#1": "S1-1", "day#2": "S1-2"})
    assert missing == ["day#2"]
    assert list(keyed.lines) == ["S1-1"]
    line = keyed.lines["S1-1"]
    assert (line.paid, line.patient_responsibility, line.adjudicated_on) == (
        Decimal("62.72"), Decimal(16), date(2026, 11, 10),
    )  # fmt: skip
    assert (keyed.paid, keyed.member_id, keyed.responsibility) == (Decimal("62.72"), "id-medicare-wps-j5", "P")


def test_an_adjudication_that_does_not_balance_is_named() -> None:
    other = primary_adjudication(
        _posting(), name="WPS MEDICARE PART B", payer_id="05302", filing_indicator=ClaimFilingIndicator.MEDICARE_PART_B,
        subscriber=PersonName("QUILL", "ADA"), coverage=_coverage(MEDICARE), adjudicated_on=date(2026, 11, 10),
    )  # fmt: skip
    assert unbalanced(other, Decimal(100)) is not None  # the line has no adjustments: 100 - 0 != 62.72
    with_adjustments = replace(other, lines={k: replace(v, adjustments=(
        Adjustment(group="CO", carc="45", amount=Decimal(20)), Adjustment(group="PR", carc="2", amount=Decimal(16)),
        Adjustment(group="CO", carc="253", amount=Decimal("1.28")))) for k, v in other.lines.items()})  # fmt: skip
    assert unbalanced(with_adjustments, Decimal(100)) is None  # 100 - 37.28 = 62.72
    assert "does not balance" in (unbalanced(with_adjustments, Decimal(120)) or "")


def test_the_sample_payer_profiles_say_who_takes_secondary_claims_after_whom() -> None:
    payers = BillingProfiles.load().payers
    assert payers[MEDICAID].secondary is not None
    assert payers[MEDICAID].secondary.takes_secondary_after(MEDICARE)
    assert not payers[MEDICAID].secondary.takes_secondary_after(COMMERCIAL)
    assert payers[COMMERCIAL].secondary is not None
    assert payers[COMMERCIAL].secondary.takes_secondary_after(MEDICARE)
    assert payers[MEDICARE].secondary is None  # Medicare is never billed second here
