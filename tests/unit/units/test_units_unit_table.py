"""The minutes-to-units table both methods share (CMS Pub. 100-04 Ch. 5 §20.2 chart; AMA CPT)."""

from __future__ import annotations

import pytest

from otrcm_units.domain import minutes_range_for_units, units_for_timed_minutes

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("minutes", "units"),
    [
        (0, 0),
        (7, 0),
        (8, 1),
        (22, 1),
        (23, 2),
        (37, 2),
        (38, 3),
        (52, 3),
        (53, 4),
        (67, 4),
        (68, 5),
        (82, 5),
        (83, 6),
        (97, 6),
        (98, 7),
        (112, 7),
        (113, 8),
        (127, 8),
        (128, 9),
        (142, 9),
        (143, 10),
    ],
)
def test_the_unit_table_matches_the_cms_chart(minutes: int, units: int) -> None:
    """CMS §20.2 chart: 1 unit >= 8 min through 22, 2 units >= 23 through 37, ... 8 units >= 113
    through 127; docs/billing-rules.md#1-units: the table has no upper end (128-142 = 9, 143 = 10).
    Each boundary pair above was read off the chart, not computed by the code under test."""
    assert units_for_timed_minutes(minutes) == units


@pytest.mark.parametrize(
    ("units", "low", "high"), [(0, 0, 7), (1, 8, 22), (2, 23, 37), (3, 38, 52), (4, 53, 67), (8, 113, 127)]
)
def test_each_unit_count_names_its_minute_range(units: int, low: int, high: int) -> None:
    """The ranges the explanation quotes are the chart's rows (CMS §20.2)."""
    assert minutes_range_for_units(units) == (low, high)
