"""Certification intervals: which calendar days a plan's certification and recertifications cover.

Source: Pub. 100-02 Ch. 15 §220.1.3 B-C. A certification covers the plan's duration or 90 calendar
days from the first treatment, the evaluation included, whichever is less; treatment beyond it needs a
recertification, itself for at most 90 days.

Interpretations (see :mod:`day_counting`):

* The interval is a *period of calendar days that includes the evaluation day*: the evaluation is day 1,
  day 90 (``evaluation + 89``) is the last day covered, day 91 is not. "90 calendar days from the date
  of the initial treatment", with "the initial treatment includes the evaluation", gives 90 days that
  start with the evaluation, not 90 days after it.
* A recertification's interval starts on the day after the previous interval ends, unless the
  recertification states its own first day (a significant change of the plan: §220.1.3 C requires
  recertification then, and its interval runs from the change). An earlier stated start cuts the
  previous interval short the day before; a later one leaves a gap of uncovered days. Either way no
  interval is longer than 90 days and intervals never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from otrcm_poc.domain.day_counting import DateRange, period_of_days
from otrcm_poc.domain.plan import PlanOfCare, Recertification
from otrcm_shared.rules.plan_periods import certification_interval_days


@dataclass(frozen=True, slots=True)
class CertificationInterval:
    """One interval of a plan: number 0 is the initial certification, n the n-th recertification."""

    number: int
    dates: DateRange
    recertification: Recertification | None = None

    @property
    def is_initial(self) -> bool:
        return self.number == 0


def interval_is_the_lesser_of_duration_and_ninety_days(first_day: date, duration_days: int) -> DateRange:
    """Rule: an interval covers its duration or 90 calendar days from its first day, whichever is less.

    Source: Pub. 100-02 Ch. 15 §220.1.3 B-C. The first day is day 1 (see the module docstring).
    """
    return period_of_days(first_day, certification_interval_days(duration_days))


def initial_interval(plan: PlanOfCare) -> DateRange:
    """The initial certification interval, from the evaluation; the certified duration wins if given."""
    certified = plan.certification.duration_days if plan.certification is not None else None
    return interval_is_the_lesser_of_duration_and_ninety_days(plan.evaluation_date, certified or plan.duration_days)


def certification_intervals(plan: PlanOfCare) -> tuple[CertificationInterval, ...]:
    """Every interval of the plan in order: the initial one, then one per recertification.

    Raises ``ValueError`` when a recertification starts on or before the first day of the interval it
    follows (it would replace that interval rather than follow it); :mod:`plan_transitions` refuses such
    an event before it reaches the plan.
    """
    intervals = [CertificationInterval(0, initial_interval(plan))]
    for number, recert in enumerate(plan.recertifications, start=1):
        previous = intervals[-1]
        first_day = recert.starts_on or previous.dates.last + timedelta(days=1)
        if first_day <= previous.dates.first:
            raise ValueError(
                f"recertification {number} starts on {first_day}, not after interval {previous.number} "
                f"starting {previous.dates.first}"
            )
        if first_day <= previous.dates.last:
            cut = DateRange(previous.dates.first, first_day - timedelta(days=1))
            intervals[-1] = CertificationInterval(previous.number, cut, previous.recertification)
        dates = interval_is_the_lesser_of_duration_and_ninety_days(first_day, recert.duration_days)
        intervals.append(CertificationInterval(number, dates, recert))
    return tuple(intervals)


def interval_covering(plan: PlanOfCare, day: date) -> CertificationInterval | None:
    """The interval whose dates include ``day``, or ``None`` (before the plan, in a gap, or after it)."""
    for interval in certification_intervals(plan):
        if interval.dates.covers(day):
            return interval
    return None


def last_certified_day(plan: PlanOfCare) -> date:
    """The last day of the plan's last interval (its initial interval when never recertified)."""
    return certification_intervals(plan)[-1].dates.last
