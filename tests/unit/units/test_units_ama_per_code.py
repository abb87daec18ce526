"""AMA/CPT per-code method ("rule of eights") and how it differs from CMS total time on the same minutes.

Rule (AMA CPT time rule; docs/billing-rules.md#1-units): the chart applies to each timed code's own minutes for
the day; minutes are never pooled across codes; a code under 8 minutes earns 0. Expected values were
worked out by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import DayUnits, MinutesLine, UnitMethod, calculate_day

pytestmark = pytest.mark.unit

CATALOG = CodeCatalog.builtin(date(2025, 3, 14))


def day_of(method: UnitMethod, *pairs: tuple[str, int]) -> DayUnits:
    lines = [MinutesLine(f"L{i}", code, minutes) for i, (code, minutes) in enumerate(pairs, 1)]
    return calculate_day(lines, method, CATALOG)


def test_three_seven_minute_codes_cms_one_unit_ama_none() -> None:
    """7 min each of 97112, 97110, 97140: CMS pools 21 min -> 1 unit (§20.2 Example 5); AMA looks at
    each code alone, 7 < 8 -> 0 units each, 0 in all."""
    pairs = (("97112", 7), ("97110", 7), ("97140", 7))
    assert day_of(UnitMethod.CMS, *pairs).total_units == 1
    ama = day_of(UnitMethod.AMA, *pairs)
    assert (ama.total_timed_minutes, ama.total_units) == (21, 0)
    assert [line.units for line in ama.lines] == [0, 0, 0]
    assert ama.choices == ()


def test_cms_example_3_minutes_under_ama() -> None:
    """33 min 97110 + 7 min 97140: AMA gives 97110 2 units (23-37) and 97140 0 (under 8) = 2;
    CMS gives 3 (2 + 1, §20.2 Example 3)."""
    assert day_of(UnitMethod.CMS, ("97110", 33), ("97140", 7)).total_units == 3
    ama = day_of(UnitMethod.AMA, ("97110", 33), ("97140", 7))
    assert [(line.code, line.units) for line in ama.lines] == [("97110", 2), ("97140", 0)]
    assert ama.total_units == 2


def test_cms_example_1_minutes_under_ama() -> None:
    """24 min 97112 + 23 min 97110: AMA 2 + 2 = 4 units (each in 23-37); CMS 47 min -> 3."""
    ama = day_of(UnitMethod.AMA, ("97112", 24), ("97110", 23))
    assert [line.units for line in ama.lines] == [2, 2]
    assert ama.total_units == 4
    assert day_of(UnitMethod.CMS, ("97112", 24), ("97110", 23)).total_units == 3


def test_ama_gives_each_code_its_own_eight_minute_unit() -> None:
    """8 min 97530 + 8 min 97535: AMA 1 + 1 = 2; CMS pools 16 -> 1 unit."""
    assert day_of(UnitMethod.AMA, ("97530", 8), ("97535", 8)).total_units == 2
    assert day_of(UnitMethod.CMS, ("97530", 8), ("97535", 8)).total_units == 1


def test_ama_adds_one_code_s_minutes_across_two_visits() -> None:
    """AMA reads a code's minutes for the day: 10 + 10 min of 97110 in two visits = 20 min -> 1 unit
    (each visit alone would earn 1, 2 in all). Equal lines: line id order gives it to "am"."""
    lines = [MinutesLine("am", "97110", 10), MinutesLine("pm", "97110", 10)]
    day = calculate_day(lines, UnitMethod.AMA, CATALOG)
    assert day.total_units == 1
    assert [(line.line_id, line.units) for line in day.lines] == [("am", 1), ("pm", 0)]


def test_ama_counts_untimed_codes_one_unit_per_line() -> None:
    """97166 (evaluation, untimed) 50 min + 8 min 97530: 1 + 1 = 2 units; 8 timed minutes."""
    day = day_of(UnitMethod.AMA, ("97166", 50), ("97530", 8))
    assert (day.total_timed_minutes, day.total_units) == (8, 2)
