"""The minutes-to-units table shared by both methods.

CMS Pub. 100-04, Medicare Claims Processing Manual, Ch. 5 §20.2 (the chart of timed units) and the
AMA CPT time rule for 15-minute codes ("rule of eights": a unit is earned once more than half of
its 15 minutes, i.e. 8 minutes, is furnished) give the same table: under 8 minutes is 0 units,
8-22 is 1, 23-37 is 2, 38-52 is 3, 53-67 is 4, and so on without a ceiling.
"""

from __future__ import annotations

MINUTES_PER_UNIT = 15
MINUTES_FOR_FIRST_UNIT = 8


def units_for_timed_minutes(minutes: int) -> int:
    """Units that ``minutes`` of timed service earn: ``(minutes + 7) // 15`` (0 below 8 minutes).

    Source: CMS Pub. 100-04 Ch. 5 §20.2 chart; AMA CPT "substantial portion" rule. The formula needs
    no special case below 8 minutes: ``(7 + 7) // 15`` is already 0.
    """
    return (minutes + 7) // MINUTES_PER_UNIT


def minutes_range_for_units(units: int) -> tuple[int, int]:
    """The inclusive range of minutes that earns exactly ``units`` units (e.g. 3 -> (38, 52)).

    For 0 units the range is (0, 7). Used to explain a table lookup in plain words.
    """
    if units <= 0:
        return (0, MINUTES_FOR_FIRST_UNIT - 1)
    return (units * MINUTES_PER_UNIT - 7, units * MINUTES_PER_UNIT + 7)
