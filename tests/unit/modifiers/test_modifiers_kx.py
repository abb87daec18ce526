"""KX once the year's OT total is above the threshold (CMS Pub. 100-04 Ch. 5 §10.3;
docs/billing-rules.md#4-threshold-and-kx).

Amounts come from the fixture fee schedule in builders.py (97530 $40.00, 97110 $35.00 per unit) under a
policy that uses the threshold and KX; thresholds are the shipped ones (2025 OT $2,410.00; 2026 $2,480.00).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otrcm_modifiers.domain import (
    HeldReason,
    SeededAmount,
    SeedOrigin,
    ThresholdAccrual,
    empty_accrual,
    remove_lines,
    seed,
)
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from tests.unit.modifiers.builders import (
    BENEFICIARY,
    MEDICAID_LIKE_POLICY,
    NOT_ATTESTED,
    by_key,
    line,
    reference,
    run_day,
)

pytestmark = pytest.mark.unit

OT = ThresholdBucket.OT


def seeded(amount: str, year: int = 2025) -> ThresholdAccrual:
    return seed(empty_accrual(BENEFICIARY), SeededAmount("271", year, OT, Decimal(amount), SeedOrigin.ELIGIBILITY_271))


def test_the_line_that_reaches_exactly_the_threshold_gets_no_kx_and_the_next_one_does() -> None:
    # seeded 2,370.00 + 97530 $40.00 = 2,410.00: equal to the threshold, not above it -> no KX;
    # + 97110 $35.00 = 2,445.00: above -> KX (medical necessity attested).
    outcome = run_day(date(2025, 6, 2), line("a", "97530", 1), line("b", "97110", 1), accrual=seeded("2370.00"))
    results = by_key(outcome)
    assert "KX" not in results["a"].modifiers
    assert results["a"].rules[-1].outcome == "no KX"
    assert results["b"].modifiers == ("GO", "KX")
    assert "2445.00" in results["b"].rules[-1].detail


def test_the_line_that_takes_the_total_above_gets_kx() -> None:
    # 2,370.01 + 40.00 = 2,410.01 > 2,410.00
    outcome = run_day(date(2025, 6, 2), line("a", "97530", 1), accrual=seeded("2370.01"))
    assert outcome.lines[0].modifiers == ("GO", "KX")


def test_above_the_threshold_without_attestation_the_line_is_held() -> None:
    outcome = run_day(date(2025, 6, 2), line("a", "97530", 1, attestations=NOT_ATTESTED), accrual=seeded("2400.00"))
    result = outcome.lines[0]
    assert result.held == (HeldReason.KX_NEEDS_ATTESTATION,)
    assert "KX" not in result.modifiers
    # the held line still counts: it bills once documented
    assert outcome.accrual_estimates[0].total == Decimal("2440.00")


def test_dec_31_is_2025_and_jan_1_starts_2026_from_zero() -> None:
    accrual = seeded("2500.00")
    dec31 = run_day(date(2025, 12, 31), line("a", "97530", 1), accrual=accrual)
    assert dec31.lines[0].modifiers == ("GO", "KX")  # 2,500.00 + 40.00 > 2,410.00
    jan1 = run_day(date(2026, 1, 1), line("b", "97530", 1), accrual=dec31.accrual)
    assert jan1.lines[0].modifiers == ("GO",)  # 2026 starts at 0.00 + 40.00, threshold 2,480.00
    assert [e.total for e in jan1.accrual_estimates if e.bucket is OT] == [Decimal("40.00")]


def test_a_units_revision_replaces_the_days_contribution() -> None:
    first = run_day(date(2025, 3, 3), line("a", "97530", 2), accrual=seeded("2300.00"))
    assert first.accrual_estimates[0].total == Decimal("2380.00")  # 2,300.00 + 2 x 40.00
    revised = run_day(date(2025, 3, 3), line("a", "97530", 3), accrual=first.accrual)
    assert revised.accrual_estimates[0].total == Decimal("2420.00")  # 2,300.00 + 3 x 40.00, not + 80 + 120
    assert revised.lines[0].modifiers == ("GO", "KX")


def test_a_denied_claim_reduces_the_accrual_and_names_the_days_to_re_evaluate() -> None:
    day1 = run_day(date(2025, 3, 3), line("d1", "97530", 2), accrual=seeded("2350.00"))  # 2,430.00
    day2 = run_day(date(2025, 3, 5), line("d2", "97110", 1), accrual=day1.accrual)
    assert day2.lines[0].modifiers == ("GO", "KX")  # 2,430.00 + 35.00
    after_denial = remove_lines(day2.accrual, ["d1"])
    rerun = run_day(date(2025, 3, 5), line("d2", "97110", 1), accrual=after_denial)
    assert rerun.lines[0].modifiers == ("GO",)  # 2,350.00 + 35.00 = 2,385.00
    assert day1.days_to_reevaluate == ()
    assert run_day(date(2025, 3, 3), line("d1", "97530", 1), accrual=day2.accrual).days_to_reevaluate == (
        date(2025, 3, 5),
    )


def test_passing_the_targeted_review_amount_is_a_flag_not_a_hold() -> None:
    # 2,990.00 + 40.00 = 3,030.00: past $3,000.00
    outcome = run_day(date(2025, 6, 2), line("a", "97530", 1), accrual=seeded("2990.00"))
    result = outcome.lines[0]
    assert result.held == ()
    assert [flag.rule_id for flag in result.flags] == ["targeted_review_amount_passed"]
    assert [rule.rule_id for rule in outcome.day_rules] == ["targeted_review_amount_passed"]


def test_a_payer_without_the_threshold_gets_no_kx_and_leaves_the_accrual() -> None:
    accrual = seeded("5000.00")
    outcome = run_day(date(2025, 6, 2), line("a", "97530", 1), accrual=accrual, policy=MEDICAID_LIKE_POLICY)
    assert outcome.lines[0].modifiers == ("GO",)
    assert outcome.accrual == accrual


def test_a_year_without_a_recorded_threshold_holds_the_line() -> None:
    outcome = run_day(date(2027, 2, 1), line("a", "97530", 1), ref=reference(date(2027, 2, 1), limits={}))
    assert outcome.lines[0].held == (HeldReason.THRESHOLD_UNKNOWN,)
