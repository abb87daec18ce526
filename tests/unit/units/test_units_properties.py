"""Properties that hold for any minutes (hypothesis), straight from the rules' wording.

CMS Pub. 100-04 Ch. 5 §20.2 and docs/billing-rules.md#1-units: CMS units = chart(total timed minutes) plus one
per untimed line; a code done 15+ minutes never gets 0 (CMS); AMA units = sum over codes of
chart(code minutes), 97129/97130 counting as one code; units are never negative and the lines add up
to the day's total. The chart is written here from its ranges (8-22 = 1, 23-37 = 2, ...), not imported.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import asdict
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import DayUnits, MinutesLine, UnitMethod, calculate_day
from otrcm_units.domain.plain_data import trace_step_as_plain_data

pytestmark = pytest.mark.unit

CATALOG = CodeCatalog.builtin(date(2025, 3, 14))
TIMED = ("97530", "97535", "97110", "97112", "97140", "97760", "97763", "97035", "97129", "97130")
UNTIMED = ("97165", "97168", "97150", "97010", "G0283")


def chart(minutes: int) -> int:
    """Units for minutes, by walking the chart's rows: 0 below 8, then one more every 15 minutes."""
    if minutes < 8:
        return 0
    units, upper = 1, 22
    while minutes > upper:
        units, upper = units + 1, upper + 15
    return units


def pool_key(code: str) -> str:
    info = CATALOG.get(code)
    return info.family or code


lines_strategy = st.lists(
    st.tuples(st.sampled_from(TIMED + UNTIMED), st.integers(min_value=0, max_value=200)),
    min_size=0,
    max_size=7,
).map(lambda pairs: [MinutesLine(f"L{i}", code, minutes) for i, (code, minutes) in enumerate(pairs)])


def timed_minutes_by_pool(lines: list[MinutesLine]) -> dict[str, int]:
    pools: dict[str, int] = defaultdict(int)
    for line in lines:
        if CATALOG.get(line.code).timed:
            pools[pool_key(line.code)] += line.minutes
    return pools


def untimed_lines(lines: list[MinutesLine]) -> int:
    return sum(1 for line in lines if not CATALOG.get(line.code).timed)


def units_by_line_id(day: DayUnits) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in day.lines:
        counts[line.line_id] += line.units
    return counts


@given(lines_strategy)
def test_cms_units_are_the_chart_of_the_total_timed_minutes(lines: list[MinutesLine]) -> None:
    day = calculate_day(lines, UnitMethod.CMS, CATALOG)
    total = sum(timed_minutes_by_pool(lines).values())
    assert day.total_timed_minutes == total
    assert day.total_units == chart(total) + untimed_lines(lines)


@given(lines_strategy)
def test_cms_never_leaves_a_code_of_fifteen_minutes_without_a_unit(lines: list[MinutesLine]) -> None:
    day = calculate_day(lines, UnitMethod.CMS, CATALOG)
    units_by_pool: Counter[str] = Counter()
    for result in day.lines:
        units_by_pool[pool_key(result.code)] += result.units
    for pool, minutes in timed_minutes_by_pool(lines).items():
        if minutes >= 15:
            assert units_by_pool[pool] >= 1
    per_line = units_by_line_id(day)
    for line in lines:  # and per line: a line's own 15 minutes are a whole unit of its code
        if CATALOG.get(line.code).timed and line.minutes >= 15:
            assert per_line[line.line_id] >= 1


@given(lines_strategy)
def test_ama_units_are_the_chart_of_each_code_s_minutes(lines: list[MinutesLine]) -> None:
    day = calculate_day(lines, UnitMethod.AMA, CATALOG)
    expected = sum(chart(minutes) for minutes in timed_minutes_by_pool(lines).values())
    assert day.total_units == expected + untimed_lines(lines)
    assert day.choices == ()


@given(lines_strategy, st.sampled_from(list(UnitMethod)))
def test_units_are_never_negative_and_lines_add_up(lines: list[MinutesLine], method: UnitMethod) -> None:
    """Every input line comes back (a family line maybe in two parts) with its minutes intact."""
    day = calculate_day(lines, method, CATALOG)
    assert all(line.units >= 0 for line in day.lines)
    assert sum(line.units for line in day.lines) == day.total_units
    minutes_by_id: Counter[str] = Counter()
    for line in day.lines:
        minutes_by_id[line.line_id] += line.minutes
    assert minutes_by_id == Counter({line.line_id: line.minutes for line in lines})
    assert {line.line_id for line in day.lines} == {line.line_id for line in lines}


@given(lines_strategy, st.sampled_from(list(UnitMethod)))
def test_97129_is_billed_at_most_once_and_only_with_a_unit(lines: list[MinutesLine], method: UnitMethod) -> None:
    day = calculate_day(lines, method, CATALOG)
    first_units = [line.units for line in day.lines if line.billed_code == "97129" and line.units]
    assert first_units in ([], [1])
    if any(line.billed_code == "97130" and line.units for line in day.lines):
        assert first_units == [1]


@settings(max_examples=50)
@given(lines_strategy, st.sampled_from(list(UnitMethod)), st.randoms(use_true_random=False))
def test_the_order_of_the_lines_does_not_change_the_result(
    lines: list[MinutesLine], method: UnitMethod, rng: random.Random
) -> None:
    """Ties are settled by minutes, code and line id, never by input order."""
    shuffled = list(lines)
    rng.shuffle(shuffled)
    first = calculate_day(lines, method, CATALOG)
    second = calculate_day(shuffled, method, CATALOG)
    assert sorted(first.lines) == sorted(second.lines)
    assert first.total_units == second.total_units
    assert sorted(first.choices, key=repr) == sorted(second.choices, key=repr)


@settings(max_examples=60)
@given(lines_strategy, st.sampled_from(list(UnitMethod)))
def test_every_day_explains_itself_in_one_paragraph(lines: list[MinutesLine], method: UnitMethod) -> None:
    """docs/billing-rules.md#1-units: the result carries a readable explanation, whatever the minutes."""
    text = calculate_day(lines, method, CATALOG).explanation
    assert text
    assert "\n" not in text
    assert f"In all, {calculate_day(lines, method, CATALOG).total_units} unit" in text


@given(lines_strategy, st.sampled_from(list(UnitMethod)))
def test_the_trace_as_plain_data_is_what_asdict_gives(lines: list[MinutesLine], method: UnitMethod) -> None:
    """The event's trace entries are built without ``dataclasses.asdict`` (docs/adr/014); they hold the same."""
    day = calculate_day(lines, method, CATALOG)
    for step in day.trace:
        expected = {"step": type(step).__name__, "source": step.SOURCE, **asdict(step)}
        assert trace_step_as_plain_data(step) == expected
