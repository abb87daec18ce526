"""Schema errors as a biller reads them: one per problem, with a hint where pydantic's sentence is no help."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from otrcm_intake.domain.schema_errors import violations_from
from otrcm_shared.events.submissions import EncounterSubmission
from tests.support.intake_samples import encounter

pytestmark = pytest.mark.unit


def _violations(body: dict[str, object]) -> list[tuple[str, str, str]]:
    with pytest.raises(ValidationError) as raised:
        EncounterSubmission.model_validate(body)
    return [(v.path, v.rule, v.message) for v in violations_from(raised.value)]


def test_negative_minutes_are_one_error_not_also_an_empty_encounter() -> None:
    """Issue 17: minutes of -5 used to add "Tuple should have at least 1 item" for the lines as well."""
    body = encounter("x", lines=[{"line_number": 1, "code": "97530", "minutes": -5, "diagnosis_pointers": [1]}])
    assert [(path, rule) for path, rule, _ in _violations(body)] == [("lines.1.minutes", "schema.greater_than_equal")]


def test_an_encounter_without_lines_is_still_told_so() -> None:
    assert [(path, rule) for path, rule, _ in _violations(encounter("x", lines=[]))] == [("lines", "schema.too_short")]


def test_a_date_in_another_format_says_which_format_is_expected() -> None:
    [(path, rule, message)] = _violations(encounter("x", date_of_service="11/20/2026"))
    assert (path, rule) == ("date_of_service", "schema.date_from_datetime_parsing")
    assert "YYYY-MM-DD" in message
