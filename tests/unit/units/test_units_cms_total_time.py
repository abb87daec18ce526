"""CMS total-time method: worked cases from CMS Pub. 100-04 Ch. 5 §20.2 and docs/billing-rules.md#1-units.

Every expected value was worked out by hand from the rule as CMS states it:
total timed minutes -> units from the chart; each code's whole 15-minute units first; the units left
go one each to the largest leftover minutes (minutes beyond the whole units).
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import DayUnits, MinutesLine, UnitChoice, UnitMethod, calculate_day

pytestmark = pytest.mark.unit

CATALOG = CodeCatalog.builtin(date(2025, 3, 14))


def cms(*pairs: tuple[str, int]) -> DayUnits:
    lines = [MinutesLine(f"L{i}", code, minutes) for i, (code, minutes) in enumerate(pairs, 1)]
    return calculate_day(lines, UnitMethod.CMS, CATALOG)


def units_per_line(day: DayUnits) -> list[tuple[str, int]]:
    return [(line.billed_code, line.units) for line in day.lines]


def test_cms_example_1_more_units_go_to_the_code_with_more_time() -> None:
    """§20.2 Example 1: 24 min 97112 + 23 min 97110 = 47 min -> 3 units (38-52). Whole units: 1 each,
    leftovers 9 and 8; the third unit goes to 97112 (9 > 8): 97112 x2, 97110 x1."""
    day = cms(("97112", 24), ("97110", 23))
    assert (day.total_timed_minutes, day.total_units) == (47, 3)
    assert units_per_line(day) == [("97112", 2), ("97110", 1)]
    assert day.choices == ()


def test_cms_example_2_equal_times_leave_the_extra_unit_to_the_clinician() -> None:
    """§20.2 Example 2: 20 min 97112 + 20 min 97110 = 40 min -> 3 units; each code gets 1 whole unit,
    leftovers tie at 5, so either code may take the third ("choose either code for 2 units").
    Deterministic pick: equal minutes, so code order -> 97110; the tie is reported as a choice."""
    day = cms(("97112", 20), ("97110", 20))
    assert day.total_units == 3
    assert units_per_line(day) == [("97112", 1), ("97110", 2)]
    assert day.choices == (UnitChoice(("97110", "97112"), 5, 1, ("97110",)),)


def test_cms_example_3_a_short_code_beats_a_smaller_leftover() -> None:
    """§20.2 Example 3: 33 min 97110 + 7 min 97140 = 40 min -> 3 units. 97110's first 30 minutes are 2
    whole units; its 3 leftover minutes lose to 97140's 7, so the third unit is 97140's:
    97110 x2, 97140 x1 (CMS: "bill the larger, which is 97140"; not 3 units of 97110)."""
    day = cms(("97110", 33), ("97140", 7))
    assert (day.total_timed_minutes, day.total_units) == (40, 3)
    assert units_per_line(day) == [("97110", 2), ("97140", 1)]


def test_cms_example_4_the_largest_leftovers_take_the_remaining_units() -> None:
    """§20.2 Example 4 (18 min 97110, 13 min 97140, 10 min 97116, 8 min 97035 = 49 min -> 3 units),
    with OT's 97530 standing in for the PT gait code 97116, which the OT catalog does not list.
    97110 gets 1 whole unit (3 left over); the 2 units left go to 97140 (13) and 97530 (10);
    97035's 8 minutes rank below: 0 units, as in the manual."""
    day = cms(("97110", 18), ("97140", 13), ("97530", 10), ("97035", 8))
    assert (day.total_timed_minutes, day.total_units) == (49, 3)
    assert units_per_line(day) == [("97110", 1), ("97140", 1), ("97530", 1), ("97035", 0)]
    assert day.choices == ()


def test_cms_example_5_three_seven_minute_codes_earn_one_unit_and_a_choice() -> None:
    """§20.2 Example 5: 7 min each of 97112, 97110, 97140 = 21 min -> 1 unit; all three tie, so the
    clinician selects the code. Deterministic pick: code order -> 97110; reported as a choice."""
    day = cms(("97112", 7), ("97110", 7), ("97140", 7))
    assert (day.total_timed_minutes, day.total_units) == (21, 1)
    assert units_per_line(day) == [("97112", 0), ("97110", 1), ("97140", 0)]
    assert day.choices == (UnitChoice(("97110", "97112", "97140"), 7, 1, ("97110",)),)


def test_one_code_under_eight_minutes_earns_nothing() -> None:
    """Chart: under 8 total timed minutes is 0 units (7 min of 97530 alone -> 0)."""
    day = cms(("97530", 7))
    assert (day.total_timed_minutes, day.total_units) == (7, 0)
    assert units_per_line(day) == [("97530", 0)]


def test_eight_minutes_of_one_code_earn_one_unit() -> None:
    """Chart: 8-22 minutes = 1 unit (8 min of 97535 -> 1)."""
    assert units_per_line(cms(("97535", 8))) == [("97535", 1)]


def test_two_short_codes_reaching_eight_minutes_bill_one_unit_under_the_longer() -> None:
    """docs/billing-rules.md#1-units: codes each done 7 minutes or less that together reach 8+ earn one unit,
    billed under the code with the most minutes: 7 min 97530 + 5 min 97535 = 12 -> 1 unit, 97530."""
    day = cms(("97535", 5), ("97530", 7))
    assert day.total_units == 1
    assert units_per_line(day) == [("97535", 0), ("97530", 1)]
    assert day.choices == ()


def test_two_seven_minute_codes_tie_and_the_clinician_may_choose() -> None:
    """7 min 97530 + 7 min 97110 = 14 -> 1 unit; equal minutes, so either may bill it (§20.2 Ex. 5
    reasoning). Code order picks 97110; the choice is reported."""
    day = cms(("97530", 7), ("97110", 7))
    assert units_per_line(day) == [("97530", 0), ("97110", 1)]
    assert day.choices == (UnitChoice(("97110", "97530"), 7, 1, ("97110",)),)


def test_a_code_over_fifteen_minutes_beside_a_short_one() -> None:
    """16 min 97530 + 5 min 97535 = 21 -> 1 unit; 97530 already holds it as a whole unit (1 min
    left), nothing remains for 97535: 97530 x1, 97535 x0."""
    day = cms(("97530", 16), ("97535", 5))
    assert day.total_units == 1
    assert units_per_line(day) == [("97530", 1), ("97535", 0)]


def test_a_long_code_keeps_the_last_unit_when_its_leftover_is_larger() -> None:
    """38 min 97530 + 7 min 97140 = 45 -> 3 units; 97530 has 2 whole units and 8 leftover minutes,
    which beat 97140's 7: 97530 x3, 97140 x0 (compare §20.2 Example 3, where 3 < 7)."""
    day = cms(("97530", 38), ("97140", 7))
    assert units_per_line(day) == [("97530", 3), ("97140", 0)]


def test_a_code_done_fifteen_minutes_always_gets_a_unit() -> None:
    """docs/billing-rules.md#1-units: 15 min 97110 + 14 min 97112 = 29 -> 2 units; 97110's whole unit is its own
    and the second goes to 97112's 14 leftover minutes: 1 each."""
    assert units_per_line(cms(("97110", 15), ("97112", 14))) == [("97110", 1), ("97112", 1)]


def test_a_tie_that_does_not_cross_the_last_unit_is_not_a_choice() -> None:
    """24 + 24 + 5 min = 53 -> 4 units; whole units 1 + 1, the 2 left go to both 9-minute leftovers;
    the tie gives both a unit, so the clinician has nothing to choose: 2, 2, 0."""
    day = cms(("97110", 24), ("97112", 24), ("97140", 5))
    assert units_per_line(day) == [("97110", 2), ("97112", 2), ("97140", 0)]
    assert day.choices == ()


def test_a_four_way_tie_for_three_units() -> None:
    """11 min each of four codes = 44 -> 3 units; no whole units; four leftovers of 11 tie for 3 units:
    code order gives them to 97110, 97112, 97140; 97530 is left out; one choice, 3 units of 4 codes."""
    day = cms(("97530", 11), ("97140", 11), ("97112", 11), ("97110", 11))
    assert units_per_line(day) == [("97530", 0), ("97140", 1), ("97112", 1), ("97110", 1)]
    assert day.choices == (UnitChoice(("97110", "97112", "97140", "97530"), 11, 3, ("97110", "97112", "97140")),)


def test_on_a_leftover_tie_the_code_with_more_minutes_is_picked() -> None:
    """23 min 97530 (1 whole, 8 left) + 8 min 97535 (8 left) = 31 -> 2 units; the leftovers tie at 8,
    so either may take the second unit; the deterministic pick is the code with more minutes (97530)."""
    day = cms(("97535", 8), ("97530", 23))
    assert units_per_line(day) == [("97535", 0), ("97530", 2)]
    assert day.choices == (UnitChoice(("97530", "97535"), 8, 1, ("97530",)),)


def test_untimed_codes_are_one_unit_each_and_add_no_minutes() -> None:
    """§20.2 / docs/billing-rules.md#1-units: untimed codes are 1 unit and their minutes are not added.
    45 min 97165 (evaluation) + 30 min 97530: timed total 30 -> 2 units, plus 1 for 97165 = 3.
    (Pooling the evaluation's minutes would wrongly give 75 -> 5.)"""
    day = cms(("97165", 45), ("97530", 30))
    assert (day.total_timed_minutes, day.total_units) == (30, 3)
    assert units_per_line(day) == [("97165", 1), ("97530", 2)]
    assert day.untimed_codes == ("97165",)


def test_untimed_lines_count_once_per_line_whatever_their_minutes() -> None:
    """Untimed: 1 unit per line. 97010 (10 min), G0283 (15 min), 97150 twice, 5 min 97110:
    timed 5 -> 0 units; 4 untimed lines -> 4 units."""
    day = cms(("97010", 10), ("G0283", 15), ("97150", 30), ("97150", 30), ("97110", 5))
    assert (day.total_timed_minutes, day.total_units) == (5, 4)
    assert units_per_line(day) == [("97010", 1), ("G0283", 1), ("97150", 1), ("97150", 1), ("97110", 0)]


def test_two_visits_on_one_day_pool_their_timed_minutes() -> None:
    """docs/billing-rules.md#1-units: two visits the same day are one day. 10 min 97110 in the morning and 10 min in
    the afternoon = 20 min of one code -> 1 unit (billing each visit alone would give 2). The unit goes
    to one line: equal leftovers and minutes, so line id order (a1 before p1)."""
    lines = [MinutesLine("a1", "97110", 10), MinutesLine("p1", "97110", 10)]
    day = calculate_day(lines, UnitMethod.CMS, CATALOG)
    assert (day.total_timed_minutes, day.total_units) == (20, 1)
    assert [(line.line_id, line.units) for line in day.lines] == [("a1", 1), ("p1", 0)]


def test_pooled_visits_share_a_codes_units_by_leftover_minutes() -> None:
    """Visit 1: 20 min 97530 + 5 min 97140; visit 2: 10 min 97530. Pooled: 97530 30, 97140 5 = 35 ->
    2 units, both 97530's (2 whole units). Among 97530's lines: visit 1 has 1 whole unit (5 left),
    visit 2 none (10 left); the second unit goes to the larger leftover, visit 2: 1 and 1."""
    lines = [MinutesLine("v1-1", "97530", 20), MinutesLine("v1-2", "97140", 5), MinutesLine("v2-1", "97530", 10)]
    day = calculate_day(lines, UnitMethod.CMS, CATALOG)
    assert (day.total_timed_minutes, day.total_units) == (35, 2)
    assert [(line.line_id, line.units) for line in day.lines] == [("v1-1", 1), ("v1-2", 0), ("v2-1", 1)]


def test_an_empty_day_has_no_units() -> None:
    """No lines: 0 minutes, 0 units, and the explanation says so."""
    day = cms()
    assert (day.total_timed_minutes, day.total_units, day.lines) == (0, 0, ())
    assert "no timed code" in day.explanation
