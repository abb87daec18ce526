"""Expected allowed amounts, computed by hand (arithmetic in the comments) from the shipped reference values.

Shipped 2025 values (sources in the dataset files): CF $32.3465 (CY 2025 PFS, PPRRVU CONV FACTOR);
MO-01 Metropolitan St. Louis GPCIs work 1.000, PE 0.952, MP 0.994 (CMS GPCI2025, RVU25D);
RVUs (CMS PPRRVU RVU25B-D): 97530 work 0.44, non-facility PE 0.62, MP 0.01; 97110 0.45 / 0.43 / 0.01;
97165 1.54 / 1.53 / 0.04. MPPR: later units get 50% of their PE; CO lines 85% (from 2022).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otrcm_shared.refdata.medicare_pfs import (
    CodeRvus,
    LocalityGpci,
    MedicareGpcis,
    MedicarePfsValues,
    PfsRvus,
    TherapyPaymentShares,
)
from otrcm_shared.refdata.payer_modifier_policy import MEDICARE_POLICY
from otrcm_shared.refdata.therapy_limits import SourcedAmount
from tests.unit.modifiers.builders import MEDICAID_LIKE_POLICY, by_key, line, reference, run_day

pytestmark = pytest.mark.unit

DAY = date(2025, 6, 2)
SHIPPED_2025 = reference(DAY, medicare=MedicarePfsValues.builtin(DAY))


def test_97530_two_units_and_97110_one_unit_in_st_louis_2025() -> None:
    # 97530 full unit: (0.44 x 1.000 + 0.62 x 0.952 + 0.01 x 0.994) x 32.3465
    #                = (0.44 + 0.59024 + 0.00994) x 32.3465 = 1.04018 x 32.3465 = 33.64618237
    # 97530 MPPR unit: (0.44 + 0.59024 x 0.5 + 0.00994) x 32.3465 = 0.74506 x 32.3465 = 24.10008329
    # 97530 has the day's highest PE (0.62 > 0.43): one full unit + one MPPR unit = 57.74626566 -> $57.75
    # 97110 MPPR unit: (0.45 + 0.43 x 0.952 x 0.5 + 0.00994) x 32.3465 = 0.66462 x 32.3465 = 21.49813083 -> $21.50
    outcome = run_day(DAY, line("ta", "97530", 2), line("te", "97110", 1), ref=SHIPPED_2025, policy=MEDICARE_POLICY)
    results = by_key(outcome)
    assert results["ta"].expected_amount == Decimal("57.75")
    assert results["te"].expected_amount == Decimal("21.50")
    assert "unit = (0.44 x 1.000 + 0.62 x 0.952 + 0.01 x 0.994) x 32.3465" in results["ta"].rules[-2].detail
    assert outcome.accrual_estimates[0].total == Decimal("79.25")  # 57.75 + 21.50


def test_the_evaluation_keeps_the_full_pe_and_therapy_units_take_the_reduction() -> None:
    # 97165: (1.54 x 1.000 + 1.53 x 0.952 + 0.04 x 0.994) x 32.3465 = 3.03632 x 32.3465 = 98.21432488 -> $98.21
    # 97530 MPPR unit (PE 0.62 < 1.53): 24.10008329 -> $24.10
    outcome = run_day(DAY, line("ev", "97165", 1, 45), line("ta", "97530", 1), ref=SHIPPED_2025, policy=MEDICARE_POLICY)
    results = by_key(outcome)
    assert (results["ev"].expected_amount, results["ta"].expected_amount) == (Decimal("98.21"), Decimal("24.10"))


def test_co_stacks_with_mppr() -> None:
    # 97530, 30 minutes, the assistant 15: one unit without CO, one with.
    # Without CO (first, full PE): 33.64618237 -> $33.65
    # With CO (MPPR unit, then 85%): 24.10008329 x 0.85 = 20.48507080 -> $20.49
    outcome = run_day(DAY, line("ta", "97530", 2, 30, assistant=15), ref=SHIPPED_2025, policy=MEDICARE_POLICY)
    results = by_key(outcome)
    assert results["ta:without-assistant"].expected_amount == Decimal("33.65")
    assert results["ta:with-assistant"].expected_amount == Decimal("20.49")
    assert results["ta:with-assistant"].modifiers == ("GO", "CO")


def test_rounding_is_half_up_to_the_cent_once_per_line() -> None:
    # Fixture values written here, not CMS values: work 0.10, PE 0, MP 0, GPCIs 1, CF 0.05.
    # One unit = 0.10 x 1 x 0.05 = 0.005 -> half-up -> $0.01 (banker's rounding would give $0.00).
    # Three units = 0.015 -> $0.02 (rounded once per line, not 3 x $0.01).
    fixture = MedicarePfsValues(
        rvus=PfsRvus(
            {
                "97530": CodeRvus(
                    code="97530",
                    work=Decimal("0.10"),
                    pe_nonfacility=Decimal("0"),
                    pe_facility=Decimal("0"),
                    mp=Decimal("0"),
                    mult_proc="5",
                    status="A",
                )
            },
            "fixture",
            "test",
        ),
        gpcis=MedicareGpcis(
            {
                "XX-01": LocalityGpci(
                    locality="XX-01", mac="0", name="fixture", work=Decimal(1), pe=Decimal(1), mp=Decimal(1)
                )
            },
            "fixture",
            "test",
        ),
        conversion_factor=SourcedAmount(amount=Decimal("0.05"), version="fixture", source="test"),
        shares=TherapyPaymentShares(
            assistant_line_share=Decimal("0.85"),
            mppr_later_unit_pe_share=Decimal("0.50"),
            version="fixture",
            source="test",
        ),
    )
    ref = reference(DAY, medicare=fixture)
    one = run_day(DAY, line("a", "97530", 1), ref=ref, policy=MEDICARE_POLICY, locality="XX-01")
    three = run_day(DAY, line("a", "97530", 3), ref=ref, policy=MEDICARE_POLICY, locality="XX-01")
    assert one.lines[0].expected_amount == Decimal("0.01")
    assert three.lines[0].expected_amount == Decimal("0.02")


def test_a_locality_without_gpcis_cannot_be_priced_and_is_flagged_not_held() -> None:
    """An expected amount is advisory: without one the line still bills (KX on the total so far)."""
    outcome = run_day(DAY, line("a", "97530", 1), ref=SHIPPED_2025, policy=MEDICARE_POLICY, locality="KS-00")
    result = outcome.lines[0]
    assert result.expected_amount is None
    assert result.held == ()
    assert result.billable
    assert "no GPCIs for locality KS-00" in result.flags[0].detail


def test_a_fee_schedule_payer_is_amount_times_units() -> None:
    # fixture fee schedule (builders.py): 97530 $40.00 per unit x 2 = $80.00; no MPPR, no CO share
    outcome = run_day(DAY, line("a", "97530", 2), policy=MEDICAID_LIKE_POLICY, payer_id="mo-healthnet-ffs")
    assert outcome.lines[0].expected_amount == Decimal("80.00")
    assert outcome.lines[0].rules[-1].detail == "97530: $40.00 x 2 = $80.00"


def test_a_code_missing_from_the_fee_schedule_is_flagged_not_held_for_a_non_threshold_payer() -> None:
    outcome = run_day(DAY, line("a", "97535", 1), policy=MEDICAID_LIKE_POLICY)
    assert outcome.lines[0].expected_amount is None
    assert outcome.lines[0].held == ()
    assert outcome.lines[0].flags
