"""Lines the rules cannot take: an unknown code, negative minutes, two lines with one id."""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import (
    DuplicateLineId,
    MinutesLine,
    NegativeMinutes,
    UnitMethod,
    UnitsError,
    UnknownCode,
    calculate_day,
)

pytestmark = pytest.mark.unit

CATALOG = CodeCatalog.builtin(date(2025, 3, 14))


@pytest.mark.parametrize("method", list(UnitMethod))
def test_an_unknown_code_is_a_domain_error_naming_the_code_and_line(method: UnitMethod) -> None:
    """97116 (PT gait training) is not in the OT code catalog: the error names it and its line."""
    lines = [MinutesLine("L1", "97110", 20), MinutesLine("L2", "97116", 10)]
    with pytest.raises(UnknownCode, match=r"line L2: code 97116 is not in the code catalog 2020\.1") as caught:
        calculate_day(lines, method, CATALOG)
    assert (caught.value.code, caught.value.line_id) == ("97116", "L2")
    assert isinstance(caught.value, UnitsError)


@pytest.mark.parametrize("method", list(UnitMethod))
def test_negative_minutes_are_a_domain_error_naming_the_line(method: UnitMethod) -> None:
    """Minutes cannot be below zero, on timed or untimed codes alike."""
    for code in ("97530", "97165"):
        with pytest.raises(NegativeMinutes, match=r"line bad-1: minutes must not be negative \(got -5"):
            calculate_day([MinutesLine("bad-1", code, -5)], method, CATALOG)


def test_two_lines_with_one_id_are_refused() -> None:
    """Units go back to lines by id, so ids must be unique within the day."""
    lines = [MinutesLine("same", "97110", 20), MinutesLine("same", "97140", 10)]
    with pytest.raises(DuplicateLineId, match="line same"):
        calculate_day(lines, UnitMethod.CMS, CATALOG)
