"""The certification interval: the plan's duration or 90 calendar days from the first treatment
(the evaluation included), whichever is less; recertifications add intervals of at most 90 days.

Source: Pub. 100-02 Ch. 15 §220.1.3 B-C. Interpretation tested here: the evaluation is day 1 of the
interval, so day 90 (evaluation + 89) is covered and day 91 (evaluation + 90) is not. Dates worked out
by hand: 2025-03-03 is day 62 of 2025; day 62 + 89 = day 151 = 2025-05-31 (Jan 31 + Feb 28 + Mar 31 +
Apr 30 + May 31 = 151), so day 91 is 2025-06-01.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    BillingRecords,
    InvalidPlanEvent,
    PlanCreated,
    PlanRecertified,
    PlanSigned,
    ReasonCode,
    apply_plan_event,
    certification_intervals,
    interval_covering,
    start_plan,
)
from tests.unit.poc.builders import CERTIFIED_PLAN, NPI, PLAN, decide, plan_of, signed

pytestmark = pytest.mark.unit

EVALUATION = date(2025, 3, 3)
DAY_90 = date(2025, 5, 31)
DAY_91 = date(2025, 6, 1)


def test_day_90_of_the_interval_is_covered_and_day_91_is_not() -> None:
    """§220.1.3 B: "90 calendar days from the date of the initial treatment ... includes the evaluation":
    evaluation 2025-03-03 = day 1, day 90 = 2025-05-31 covered, day 91 = 2025-06-01 not."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)), days=120)
    (interval,) = certification_intervals(plan)
    assert (interval.dates.first, interval.dates.last, interval.dates.days) == (EVALUATION, DAY_90, 90)
    assert interval_covering(plan, DAY_90) is not None
    assert interval_covering(plan, DAY_91) is None


def test_the_gate_clears_day_90_and_holds_day_91_as_expired() -> None:
    """Same edge through the gate (a payer requiring a certified plan): day 91 needs a recertification."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)), days=120)
    records = BillingRecords(plan=plan)
    assert decide(CERTIFIED_PLAN, DAY_90, records).cleared
    held = decide(CERTIFIED_PLAN, DAY_91, records)
    assert held.reason_codes == (ReasonCode.POC_EXPIRED,)
    assert "2025-06-01" in held.reasons[0].message
    assert "2025-05-31" in held.reasons[0].message


def test_a_plan_shorter_than_90_days_ends_with_its_own_duration() -> None:
    """§220.1.3 B "whichever is less": a 30-day plan from 2025-03-03 covers 03-03..04-01 (day 30)."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)), days=30)
    (interval,) = certification_intervals(plan)
    assert (interval.dates.first, interval.dates.last) == (EVALUATION, date(2025, 4, 1))


def test_a_plan_given_with_an_end_date_lasts_through_that_date() -> None:
    """A plan "through 2025-04-13" from 2025-03-03 lasts 29 + 13 = 42 days, end date included."""
    plan = start_plan(PlanCreated(PLAN, "k", EVALUATION, end_date=date(2025, 4, 13)))
    assert plan.duration_days == 42
    assert certification_intervals(plan)[0].dates.last == date(2025, 4, 13)


def test_a_physician_certifying_a_shorter_duration_shortens_the_interval() -> None:
    """§220.1.3 (the physician/NPP may certify the duration they find appropriate, up to 90 days):
    a 90-day plan certified for 45 days covers 2025-03-03..2025-04-16 (29 days of March + 16)."""
    plan = plan_of(EVALUATION, PlanSigned(PLAN, date(2025, 3, 10), NPI, "NP", duration_days=45))
    assert certification_intervals(plan)[0].dates.last == date(2025, 4, 16)


def test_a_recertification_starts_the_day_after_the_previous_interval_and_lasts_at_most_90_days() -> None:
    """§220.1.3 C: treatment beyond the interval needs a recertification (up to 90 days). Interval 1 is
    2025-06-01 (day after 05-31) .. 2025-08-29 (June 30 + July 31 + 29 = 90 days) even for a 120-day
    recertification."""
    plan = plan_of(
        EVALUATION,
        signed(date(2025, 3, 10)),
        PlanRecertified(PLAN, date(2025, 5, 28), NPI, "MD", duration_days=120),
    )
    initial, recert = certification_intervals(plan)
    assert initial.dates.last == DAY_90
    assert (recert.dates.first, recert.dates.last, recert.dates.days) == (DAY_91, date(2025, 8, 29), 90)
    decision = decide(CERTIFIED_PLAN, DAY_91, BillingRecords(plan=plan))
    assert decision.cleared


def test_a_recertification_with_its_own_start_cuts_the_previous_interval_short() -> None:
    """§220.1.3 C (a significant change needs a recertification): one starting 2025-04-15 for 60 days
    ends the initial interval on 04-14 and covers 04-15..06-13 (16 days of April + 31 + 13)."""
    plan = plan_of(
        EVALUATION,
        signed(date(2025, 3, 10)),
        PlanRecertified(PLAN, date(2025, 4, 15), NPI, "MD", duration_days=60, starts_on=date(2025, 4, 15)),
    )
    initial, recert = certification_intervals(plan)
    assert initial.dates.last == date(2025, 4, 14)
    assert (recert.dates.first, recert.dates.last) == (date(2025, 4, 15), date(2025, 6, 13))


def test_a_recertification_starting_after_a_gap_leaves_the_gap_uncovered() -> None:
    """A recertification that starts 2025-06-10 leaves 06-01..06-09 outside every interval (expired)."""
    plan = plan_of(
        EVALUATION,
        signed(date(2025, 3, 10)),
        PlanRecertified(PLAN, date(2025, 6, 10), NPI, "MD", duration_days=30, starts_on=date(2025, 6, 10)),
    )
    assert decide(CERTIFIED_PLAN, date(2025, 6, 5), BillingRecords(plan=plan)).reason_codes == (ReasonCode.POC_EXPIRED,)
    assert decide(CERTIFIED_PLAN, date(2025, 6, 10), BillingRecords(plan=plan)).cleared


def test_a_recertification_cannot_start_on_or_before_the_interval_it_follows() -> None:
    """A recertification follows an interval; starting on the evaluation day would replace it."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)))
    with pytest.raises(InvalidPlanEvent, match="starts on 2025-03-03"):
        apply_plan_event(plan, PlanRecertified(PLAN, date(2025, 3, 10), NPI, "MD", 60, starts_on=EVALUATION))
