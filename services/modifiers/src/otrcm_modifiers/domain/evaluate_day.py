"""Use case: one billing day in, every claim line's modifiers, units, expected amount and holds out.

The rules run in this order, each recording what it decided (rule id and source) on the lines:

1. rule-owned modifiers re-derived, a wrong discipline modifier removed and flagged (:mod:`discipline_modifier`);
2. the discipline modifier on every therapy line (GO on OT);
3. one evaluation per discipline per day (:mod:`evaluations`);
4. MUE unit limits (:mod:`unit_limits`) and NCCI pairs (:mod:`ncci_pairs`), per the payer's policy;
5. CO/CQ per unit, which may split a line in two parts (:mod:`assistant_co`);
6. the expected amount: Medicare PFS with MPPR and the assistant share, or the fee schedule (:mod:`payment`);
7. KX from the threshold accrual, and the targeted-review flag (:mod:`kx_threshold`).

The day's amounts then replace the day's earlier contribution in the accrual (:mod:`threshold_accrual`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from otrcm_modifiers.domain.assistant_co import co_applies_when_assistant_over_ten_percent
from otrcm_modifiers.domain.discipline_modifier import (
    discipline_modifier_on_every_therapy_line,
    lines_entering_the_rules,
)
from otrcm_modifiers.domain.errors import InvalidMinutes, ModifiersError, ModifiersRule
from otrcm_modifiers.domain.evaluations import one_evaluation_per_discipline_per_day
from otrcm_modifiers.domain.kx_threshold import kx_required_once_threshold_exceeded
from otrcm_modifiers.domain.model import BillingDay, LineResult, RuleResult
from otrcm_modifiers.domain.ncci_pairs import column_two_code_needs_distinct_service
from otrcm_modifiers.domain.payment import fee_schedule_expected_amounts, medicare_expected_amounts
from otrcm_modifiers.domain.reference import DayReference
from otrcm_modifiers.domain.threshold_accrual import (
    AccrualEstimate,
    ThresholdAccrual,
    accrued,
    apply_day_contribution,
    later_days,
)
from otrcm_modifiers.domain.unit_limits import units_above_the_mue_are_held
from otrcm_shared.refdata.payer_modifier_policy import PricingMethod
from otrcm_shared.refdata.therapy_limits import ThresholdBucket


@dataclass(frozen=True, slots=True)
class DayOutcome:
    """The day's claim lines, the accrual with this day's amounts in place, and what to look at next.

    ``accrual_estimates``: the year's totals per bucket after this day (always estimates).
    ``days_to_reevaluate``: later billed days of the year whose KX decisions may change with this day.
    """

    lines: tuple[LineResult, ...]
    accrual: ThresholdAccrual
    day_rules: tuple[RuleResult, ...]
    accrual_estimates: tuple[AccrualEstimate, ...]
    days_to_reevaluate: tuple[date, ...]


def evaluate_billing_day(day: BillingDay, accrual: ThresholdAccrual, reference: DayReference) -> DayOutcome:
    """Apply every modifier rule to one billing day and update the beneficiary's threshold accrual.

    Raises :class:`~otrcm_modifiers.domain.errors.ModifiersError` for a line that cannot be evaluated
    (unknown code, impossible minutes, duplicate line id) or an accrual of another beneficiary.
    """
    _check(day, accrual)
    policy = day.policy
    lines = lines_entering_the_rules(day.lines, reference.catalog, reference.disciplines)
    lines = tuple(discipline_modifier_on_every_therapy_line(entry, reference.disciplines) for entry in lines)
    lines = one_evaluation_per_discipline_per_day(lines)
    lines = units_above_the_mue_are_held(lines, reference.mue_limits, policy)
    lines = column_two_code_needs_distinct_service(lines, reference.ptp_edits, policy)
    lines = tuple(
        part
        for entry in lines
        for part in co_applies_when_assistant_over_ten_percent(entry, reference.disciplines, policy)
    )
    if policy.pricing is PricingMethod.MEDICARE_PFS:
        lines = medicare_expected_amounts(lines, reference.medicare, day.locality)
    else:
        lines = fee_schedule_expected_amounts(lines, reference.fee_schedule, day.payer_id)
    kx = kx_required_once_threshold_exceeded(
        lines, day.date_of_service, accrual, reference.limits, reference.disciplines, policy
    )
    updated = accrual
    for contribution in kx.contributions:
        updated = apply_day_contribution(updated, contribution)
    year = day.date_of_service.year
    estimates = tuple(accrued(updated, year, bucket) for bucket in ThresholdBucket) if policy.uses_threshold else ()
    return DayOutcome(
        lines=tuple(entry.result() for entry in kx.lines),
        accrual=updated,
        day_rules=kx.day_rules,
        accrual_estimates=estimates,
        days_to_reevaluate=later_days(updated, day.date_of_service) if policy.uses_threshold else (),
    )


def _check(day: BillingDay, accrual: ThresholdAccrual) -> None:
    if accrual.beneficiary_key != day.beneficiary_key:
        other = f"the accrual belongs to {accrual.beneficiary_key}, the day to {day.beneficiary_key}"
        raise ModifiersError(other, ModifiersRule.ACCRUAL_OF_THE_DAY)
    seen: set[str] = set()
    for line in day.lines:
        if line.line_id in seen:
            twice = f"line {line.line_id}: the same line id appears more than once in the day"
            raise ModifiersError(twice, ModifiersRule.LINE_IDS_UNIQUE)
        seen.add(line.line_id)
        if line.minutes < 0 or not 0 <= line.assistant_minutes <= line.minutes:
            raise InvalidMinutes(line.line_id, line.minutes, line.assistant_minutes)
        if line.units < 0:
            negative = f"line {line.line_id}: units must not be negative (got {line.units})"
            raise ModifiersError(negative, ModifiersRule.UNITS_NOT_NEGATIVE)
