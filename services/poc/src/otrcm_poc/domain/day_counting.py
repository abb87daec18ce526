"""How the poc rules count calendar days: periods that include their first day, deadlines after a day.

The manual words two kinds of span differently, and the rules keep them apart on purpose:

* A **period of N calendar days** ("90 calendar days from the date of the initial treatment", a plan
  "for 60 days") includes its first day: that day is day 1 and day N is the last covered day, so the
  period is ``first .. first + (N - 1)``. See :func:`period_of_days`.
* A **deadline N days after a day** ("dated in the 30 days following the first day of treatment",
  "followed within 14 days by a signature", "sent within 30 days of the evaluation") counts the days
  *after* that day: the day itself is day 0, day N is ``day + N`` and is still in time, day N + 1 is
  late. See :func:`deadline_after`.

Source: CMS Pub. 100-02, Medicare Benefit Policy Manual, Ch. 15 §220.1.3 B (both wordings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class DateRange:
    """Calendar days ``first`` through ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a date range cannot end ({self.last}) before it starts ({self.first})")

    def covers(self, day: date) -> bool:
        """True when ``first <= day <= last``."""
        return self.first <= day <= self.last

    @property
    def days(self) -> int:
        """How many calendar days the range holds (a one-day range holds 1)."""
        return (self.last - self.first).days + 1


def period_of_days(first: date, days: int) -> DateRange:
    """The period of ``days`` calendar days whose day 1 is ``first`` (it ends on ``first + days - 1``)."""
    if days < 1:
        raise ValueError(f"a period needs at least one day (got {days})")
    return DateRange(first, first + timedelta(days=days - 1))


def deadline_after(day: date, days: int) -> date:
    """The last day that is still "within ``days`` days" of ``day``: ``day + days`` (``day`` is day 0)."""
    return day + timedelta(days=days)


def days_after(earlier: date, later: date) -> int:
    """How many calendar days ``later`` falls after ``earlier`` (0 on the same day, negative before)."""
    return (later - earlier).days
