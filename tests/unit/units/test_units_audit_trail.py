"""What an auditor reads: the structured trace and the one-paragraph explanation.

docs/billing-rules.md#1-units: the result must carry a human-readable explanation (total minutes, units, why each
code got its units) because auditors ask for it; ties the clinician may settle differently are named.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import (
    CodeMinutes,
    DayUnits,
    FullUnits,
    FullUnitsGiven,
    LeftoverUnitsRanked,
    MinutesLine,
    ShortServicesCombined,
    TimedMinutesPooled,
    UnitMethod,
    UnitsAllocated,
    UnitTableLookup,
    UntimedLinesBilled,
    calculate_day,
    day_units_as_plain_data,
)

pytestmark = pytest.mark.unit

CATALOG = CodeCatalog.builtin(date(2025, 3, 14))


def day_of(method: UnitMethod, *pairs: tuple[str, int]) -> DayUnits:
    lines = [MinutesLine(f"L{i}", code, minutes) for i, (code, minutes) in enumerate(pairs, 1)]
    return calculate_day(lines, method, CATALOG)


def test_the_cms_trace_follows_the_rule_step_by_step() -> None:
    """§20.2 Example 3 (33 min 97110 + 7 min 97140): pool 40 -> chart 3 units (38-52) -> whole units
    97110 2 (3 left), 97140 0 (7 left) -> 1 unit left, ranking 97140 7 before 97110 3 -> 97140."""
    day = day_of(UnitMethod.CMS, ("97110", 33), ("97140", 7))
    pooled, lookup, whole, leftover, outcome = day.trace
    assert pooled == TimedMinutesPooled((CodeMinutes("97110", 33), CodeMinutes("97140", 7)), 40)
    assert lookup == UnitTableLookup(None, 40, 3, 38, 52)
    assert whole == FullUnitsGiven((FullUnits("97110", 33, 2, 3), FullUnits("97140", 7, 0, 7)))
    assert leftover == LeftoverUnitsRanked(1, (CodeMinutes("97140", 7), CodeMinutes("97110", 3)), ("97140",))
    assert isinstance(outcome, UnitsAllocated)
    assert (outcome.timed_units, outcome.untimed_units, outcome.total_units) == (3, 0, 3)


def test_the_short_services_rule_is_named_in_the_trace() -> None:
    """7 min 97530 + 5 min 97535 = 12 -> 1 unit under 97530 (docs/billing-rules.md#1-units short-services rule)."""
    day = day_of(UnitMethod.CMS, ("97530", 7), ("97535", 5))
    assert ShortServicesCombined(("97530", "97535"), 12, 1, ("97530",)) in day.trace
    assert "No code reached 8 minutes on its own" in day.explanation


def test_untimed_lines_are_a_trace_step() -> None:
    """An evaluation beside a timed code: the untimed step counts 1 unit per line."""
    day = day_of(UnitMethod.AMA, ("97165", 45), ("97530", 30))
    assert UntimedLinesBilled(("97165",), 1) in day.trace
    assert UnitTableLookup("97530", 30, 2, 23, 37) in day.trace


def test_the_explanation_states_minutes_units_reasons_and_the_result() -> None:
    """§20.2 Example 3 in words: 40 minutes, 3 units, 97110's whole units, 97140's leftover wins."""
    text = day_of(UnitMethod.CMS, ("97110", 33), ("97140", 7)).explanation
    assert "\n" not in text
    for fragment in (
        "CMS total-time method",
        "40 minutes",
        "38-52 minutes earns 3 units",
        "97110 gets 2 for the first 30 of its 33 minutes",
        "so 97140 gets it",
        "In all, 3 units: 2 of 97110 and 1 of 97140.",
    ):
        assert fragment in text


def test_the_explanation_names_the_choice_left_to_the_clinician() -> None:
    """§20.2 Example 2 (20 + 20 min): the tie and who got the unit are in the words too."""
    text = day_of(UnitMethod.CMS, ("97112", 20), ("97110", 20)).explanation
    assert "Clinician's choice: 97110 and 97112 tie at 5 leftover minutes for 1 unit" in text


def test_the_ama_explanation_says_codes_are_not_pooled() -> None:
    """AMA, 7 + 7 + 7 min: each code under 8 minutes earns nothing on its own."""
    text = day_of(UnitMethod.AMA, ("97112", 7), ("97110", 7), ("97140", 7)).explanation
    assert "never pooled" in text
    assert "97112 7 min earns 0 units (under 8 minutes)" in text


def test_the_explanation_is_built_once_and_kept() -> None:
    """Lazily computed and cached: reading it twice returns the same object."""
    day = day_of(UnitMethod.CMS, ("97110", 33))
    assert day.explanation is day.explanation
    assert day.trace is day.trace


def test_plain_data_has_the_keys_the_cli_and_events_need() -> None:
    """The plain-data view: method, minutes, units, lines with billed codes, explanation, choices."""
    data = day_units_as_plain_data(day_of(UnitMethod.CMS, ("97110", 33), ("97140", 7)), include_trace=True)
    assert {"method", "total_timed_minutes", "total_units", "lines", "explanation", "choices", "trace"} <= set(data)
    assert data["lines"][1] == {"line_id": "L2", "code": "97140", "billed_code": "97140", "minutes": 7, "units": 1}
    assert data["trace"][0]["step"] == "TimedMinutesPooled"
    assert data["trace"][0]["source"].startswith("CMS Pub. 100-04")
