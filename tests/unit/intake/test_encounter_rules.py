"""Each encounter rule with input that passes and input that fails; errors name the path and rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from otrcm_intake.adapters.reference import encounter_context
from otrcm_intake.domain import stand_ins
from otrcm_intake.domain.encounter_rules import ALSO_READS, EncounterContext, validate_encounter
from otrcm_intake.domain.reading import read_record
from otrcm_intake.domain.violations import Severity
from otrcm_shared.events.submissions import EncounterSubmission
from tests.support.intake_samples import encounter

pytestmark = pytest.mark.unit

TODAY = date(2026, 3, 20)


def broken_rules(body: dict[str, Any], today: date = TODAY) -> set[tuple[str, str]]:
    """(path, rule) of every error: the schema errors, and the business rules on what the schema could read."""
    reading = read_record(EncounterSubmission, body, stand_ins.encounter(today))
    assert reading.record is not None
    context = encounter_context(reading.record.date_of_service, today)
    assert isinstance(context, EncounterContext)
    found = reading.with_rules(validate_encounter(reading.record, context), ALSO_READS)
    return {(v.path, v.rule) for v in found if v.severity is Severity.ERROR}


def with_line(index: int, **changes: Any) -> dict[str, Any]:
    body = encounter()
    body["lines"][index] = {**body["lines"][index], **changes}
    return body


def test_the_sample_encounter_is_valid() -> None:
    assert broken_rules(encounter()) == set()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (encounter(billing_provider_npi="1234567890"), {("billing_provider_npi", "npi.check_digit")}),
        (
            encounter(rendering_provider={"npi": "1245319590", "role": "OTA"}),
            {("rendering_provider.npi", "npi.check_digit")},
        ),
        (encounter(diagnoses=["62.81", "I69.351"]), {("diagnoses.1", "icd10.shape")}),
        (with_line(0, code="97014"), {("lines.1.code", "code.in_catalog")}),
        (with_line(1, minutes=241), {("lines.2.minutes", "minutes.plausible_per_line")}),
        (with_line(1, assistant_minutes=16), {("lines.2.assistant_minutes", "minutes.assistant_within_line")}),
        (with_line(1, diagnosis_pointers=[3]), {("lines.2.diagnosis_pointers.1", "diagnosis_pointer.in_range")}),
        (with_line(1, line_number=1), {("lines.2.line_number", "lines.numbered_in_order")}),
        (encounter(date_of_service="2026-03-21"), {("date_of_service", "date_of_service.not_future")}),
        (encounter(place_of_service="98"), {("place_of_service", "place_of_service.known")}),
        (encounter(payer_id="acme-health"), {("payer_id", "payer.known")}),
    ],
    ids=["billing-npi", "rendering-npi", "icd10", "catalog", "minutes-line", "assistant", "pointer", "line-no",
         "future", "pos", "payer"],
)  # fmt: skip
def test_each_rule_fails_on_its_own_broken_field(body: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert broken_rules(body) == expected


def test_minutes_per_encounter_are_plausible() -> None:
    lines = [{"line_number": n, "code": "97530", "minutes": 200, "diagnosis_pointers": [1]} for n in (1, 2, 3)]
    assert broken_rules(encounter(lines=lines)) == {("lines", "minutes.plausible_per_encounter")}


@pytest.mark.parametrize(
    ("minutes", "rule"),
    [(-1, "schema.greater_than_equal"), (12.5, "schema.int_type"), ("15", "schema.int_type")],
)
def test_minutes_are_whole_and_not_negative(minutes: object, rule: str) -> None:
    assert broken_rules(with_line(0, minutes=minutes)) == {("lines.1.minutes", rule)}


def test_unknown_fields_and_bad_roles_are_schema_errors() -> None:
    assert broken_rules(encounter(member_id="1EG4TE5MK73")) == {("member_id", "schema.extra_forbidden")}
    rendering = {"npi": "1245319599", "role": "PT"}
    assert broken_rules(encounter(rendering_provider=rendering)) == {("rendering_provider.role", "schema.enum")}


def test_past_the_timely_filing_window_is_a_warning_not_an_error() -> None:
    """Medicare's window is 12 months from the date of service (42 CFR 424.44), shipped as 365 days."""
    submission = EncounterSubmission.model_validate(encounter(date_of_service="2025-03-19"))
    context = encounter_context(submission.date_of_service, TODAY)
    found = validate_encounter(submission, context)  # type: ignore[arg-type]
    assert [(v.rule, v.severity) for v in found] == [("date_of_service.timely_filing", Severity.WARNING)]
    inside = EncounterSubmission.model_validate(encounter(date_of_service="2025-03-20"))
    assert validate_encounter(inside, encounter_context(inside.date_of_service, TODAY)) == []  # type: ignore[arg-type]


def test_no_reference_data_before_the_catalog_starts() -> None:
    assert encounter_context(date(2019, 6, 1), TODAY).rule == "reference_data.in_effect"  # type: ignore[union-attr]
