"""The top-level use case on a whole day: every line's final modifiers, units, amount, holds and the why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otrcm_modifiers.domain import (
    HeldReason,
    InvalidMinutes,
    LinePart,
    ModifiersError,
    SeededAmount,
    SeedOrigin,
    empty_accrual,
    seed,
)
from otrcm_shared.refdata.ncci_edits import PtpEdits
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from tests.unit.modifiers.builders import BENEFICIARY, NOT_ATTESTED, by_key, line, reference, run_day

pytestmark = pytest.mark.unit

DAY = date(2025, 9, 15)


def test_a_full_day_near_the_threshold() -> None:
    # Fixture prices: 97140 $33.00, 97530 $40.00; seeded OT spend 2,360.00 (2025 OT threshold 2,410.00).
    # 97140 x1: 2,360.00 + 33.00 = 2,393.00 (not above) -> GO
    # 97530 x2, 30 minutes with the assistant 15: one unit without CO, one with (whole blocks);
    #   without part: 2,393.00 + 40.00 = 2,433.00 (above) -> GO, XU, KX
    #   with part:    2,433.00 + 40.00 = 2,473.00 -> GO, CO, XU, KX
    accrual = seed(
        empty_accrual(BENEFICIARY),
        SeededAmount("271", 2025, ThresholdBucket.OT, Decimal("2360.00"), SeedOrigin.ELIGIBILITY_271),
    )
    ref = reference(DAY, ptp=PtpEdits.builtin(DAY))
    outcome = run_day(DAY, line("mt", "97140", 1), line("ta", "97530", 2, 30, assistant=15), accrual=accrual, ref=ref)
    results = by_key(outcome)
    assert results["mt"].modifiers == ("GO",)
    assert results["ta:without-assistant"].modifiers == ("GO", "XU", "KX")
    assert results["ta:with-assistant"].modifiers == ("GO", "CO", "XU", "KX")
    assert [r.part for r in outcome.lines] == [LinePart.WHOLE, LinePart.WITHOUT_ASSISTANT, LinePart.WITH_ASSISTANT]
    assert all(r.billable for r in outcome.lines)
    assert outcome.accrual_estimates[0].total == Decimal("2473.00")
    assert outcome.accrual_estimates[0].is_estimate
    for result in outcome.lines:
        assert all(rule.rule_id and rule.source for rule in result.rules)
    rule_ids = {rule.rule_id for rule in results["ta:with-assistant"].rules}
    assert rule_ids >= {
        "discipline_modifier_on_every_therapy_line",
        "column_two_code_needs_distinct_service",
        "co_applies_when_assistant_over_ten_percent",
        "fee_schedule_expected_amount",
        "kx_required_once_threshold_exceeded",
    }


def test_a_day_that_needs_people() -> None:
    outcome = run_day(
        DAY,
        line("ev1", "97165", 1, 45, attestations=NOT_ATTESTED),
        line("ev2", "97168", 1, 30, attestations=NOT_ATTESTED),
        line("mt", "97140", 1, attestations=NOT_ATTESTED),
        line("ta", "97530", 1, attestations=NOT_ATTESTED),
        ref=reference(DAY, ptp=PtpEdits.builtin(DAY)),
    )
    held = {r.line_key: r.held for r in outcome.lines}
    assert held == {
        "ev1": (),
        "ev2": (HeldReason.TWO_EVALUATIONS_SAME_DAY,),
        "mt": (),
        "ta": (HeldReason.NCCI_PAIR_NOT_DISTINCT,),
    }
    # only billed lines accrue: 97165 $100.00 + 97140 $33.00
    assert outcome.accrual_estimates[0].own == Decimal("133.00")


def test_a_line_with_no_units_passes_through_unpriced() -> None:
    outcome = run_day(DAY, line("a", "97530", 0, 5))
    assert (outcome.lines[0].units, outcome.lines[0].expected_amount, outcome.lines[0].billable) == (0, None, False)


def test_impossible_input_is_an_error_naming_the_line() -> None:
    with pytest.raises(InvalidMinutes, match="line a"):
        run_day(DAY, line("a", "97530", 1, 10, assistant=11))
    with pytest.raises(ModifiersError, match="line a: the same line id"):
        run_day(DAY, line("a", "97530", 1), line("a", "97110", 1))
    with pytest.raises(ModifiersError, match="accrual belongs to someone-else"):
        run_day(DAY, line("a", "97530", 1), accrual=empty_accrual("someone-else"))
