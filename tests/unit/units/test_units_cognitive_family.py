"""97129/97130 (cognitive function intervention): one timed code family, split at billing.

CPT 2020: 97129 is the first 15 minutes, once a day; 97130 each additional 15 minutes (add-on).
The catalog marks them family ``cognitive_function``, roles first_of_day / add_on. Their minutes count
as one code; the family's units bill as 97129 for the first unit and 97130 for the rest. Expected
values were worked out by hand from the chart.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import DayUnits, FamilyUnitsSplit, MinutesLine, UnitChoice, UnitMethod, calculate_day

pytestmark = pytest.mark.unit

CATALOG = CodeCatalog.builtin(date(2025, 3, 14))


def calc(method: UnitMethod, *lines: tuple[str, str, int]) -> DayUnits:
    return calculate_day([MinutesLine(*line) for line in lines], method, CATALOG)


def billed(day: DayUnits) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in day.lines:
        counts[line.billed_code] += line.units
    return +counts


@pytest.mark.parametrize("method", list(UnitMethod))
def test_one_97129_line_of_40_minutes_bills_97129_once_and_97130_twice(method: UnitMethod) -> None:
    """40 min -> 3 units (38-52) by either method (one code alone): 1 x 97129 + 2 x 97130. The line is
    emitted twice: 97129 over its first 15 minutes, 97130 over the other 25."""
    day = calc(method, ("c1", "97129", 40))
    assert day.total_units == 3
    assert [(line.line_id, line.code, line.billed_code, line.minutes, line.units) for line in day.lines] == [
        ("c1", "97129", "97129", 15, 1),
        ("c1", "97129", "97130", 25, 2),
    ]
    assert any(isinstance(step, FamilyUnitsSplit) for step in day.trace)
    assert "1 of 97129" in day.explanation
    assert "2 of 97130" in day.explanation


def test_reported_97129_and_97130_lines_keep_their_codes() -> None:
    """97129 15 min + 97130 25 min = 40 family minutes -> 3 units. The 97129 line has 1 whole unit
    (0 left), the 97130 line 1 whole unit and 10 left -> it takes the third: 1 and 2. The first unit
    of the day stays on the line reported as 97129."""
    day = calc(UnitMethod.CMS, ("a", "97129", 15), ("b", "97130", 25))
    assert [(line.line_id, line.billed_code, line.units) for line in day.lines] == [
        ("a", "97129", 1),
        ("b", "97130", 2),
    ]


def test_a_lone_97130_line_bills_its_first_unit_as_97129() -> None:
    """Only 97130 reported, 20 min -> 1 unit; it is the family's first unit of the day, so it bills as
    97129 (97130 is an add-on and never stands alone)."""
    day = calc(UnitMethod.CMS, ("x", "97130", 20))
    assert [(line.code, line.billed_code, line.units) for line in day.lines] == [("97130", "97129", 1)]


def test_ama_counts_the_family_as_one_code() -> None:
    """AMA: 97129 10 min + 97130 10 min = 20 family minutes -> 1 unit (two separate codes would have
    been 1 + 1). Equal lines: the one reported as 97129 takes it."""
    day = calc(UnitMethod.AMA, ("a", "97129", 10), ("b", "97130", 10))
    assert day.total_units == 1
    assert billed(day) == Counter({"97129": 1})


def test_97129_is_billed_once_a_day_across_two_visits() -> None:
    """Two visits each report 97129 25 min: family 50 min -> 3 units (38-52). Each line has 1 whole
    unit and 10 left; the third unit goes to line v1 (line id order). Billing: one 97129 (v1's first
    15 minutes), then 97130 for v1's other unit and v2's unit: 97129 x1, 97130 x2."""
    day = calc(UnitMethod.CMS, ("v1", "97129", 25), ("v2", "97129", 25))
    assert day.total_units == 3
    assert billed(day) == Counter({"97129": 1, "97130": 2})
    assert [(line.line_id, line.billed_code, line.minutes, line.units) for line in day.lines] == [
        ("v1", "97129", 15, 1),
        ("v1", "97130", 10, 1),
        ("v2", "97130", 25, 1),
    ]


def test_the_family_competes_for_leftover_units_as_one_code() -> None:
    """CMS: 97129 20 min + 97530 20 min = 40 -> 3 units; 1 whole unit each, leftovers tie at 5. Equal
    minutes, so label order picks the family ("97129/97130" < "97530") and the clinician may choose:
    family 2 units -> 97129 x1 + 97130 x1; 97530 x1."""
    day = calc(UnitMethod.CMS, ("c", "97129", 20), ("t", "97530", 20))
    assert billed(day) == Counter({"97129": 1, "97130": 1, "97530": 1})
    assert day.choices == (UnitChoice(("97129/97130", "97530"), 5, 1, ("97129/97130",)),)


def test_a_family_short_of_eight_minutes_bills_nothing() -> None:
    """AMA: 97129 7 min alone -> 0 units; the line keeps its reported code with 0 units."""
    day = calc(UnitMethod.AMA, ("c", "97129", 7))
    assert [(line.billed_code, line.units) for line in day.lines] == [("97129", 0)]
