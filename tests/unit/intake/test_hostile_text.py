"""Regressions from the intruder probes and the fuzzer: hostile text in fields the schema leaves open.

Each case was accepted before (or crashed the API with a 500); each is now refused with a rule that
names the field, and no message repeats the text.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from otrcm_intake.adapters.reference import encounter_context
from otrcm_intake.domain.encounter_rules import validate_encounter
from otrcm_intake.domain.free_text import text_is_plain
from otrcm_intake.domain.identifiers import npi_check_digit_is_valid
from otrcm_intake.domain.record_rules import validate_authorization, validate_patient, validate_plan_event
from otrcm_intake.domain.schema_errors import violations_from
from otrcm_intake.domain.submissions import AuthorizationSubmission, PatientSubmission, PlanEventSubmission
from otrcm_intake.domain.violations import Severity, Violation
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.refdata import PayerProfiles
from otrcm_shared.rules.plan_steps import PlanFacts
from tests.support.intake_samples import encounter, patient

pytestmark = pytest.mark.unit

TODAY = date(2026, 3, 20)
PAYERS = PayerProfiles.builtin(TODAY)
LONE_SURROGATE = json.loads('"Ada\\ud800"')  # what json.loads makes of a client's "\ud800" escape
ARABIC_INDIC_NPI = "".join(chr(0x0660 + int(digit)) for digit in "1234567893")  # 1234567893 is a valid NPI


def errors(found: list[Violation]) -> set[tuple[str, str]]:
    return {(v.path, v.rule) for v in found if v.severity is Severity.ERROR}


def encounter_errors(body: dict[str, Any]) -> set[tuple[str, str]]:
    submission = EncounterSubmission.model_validate(body)
    context = encounter_context(submission.date_of_service, TODAY)
    assert not isinstance(context, Violation)
    return errors(validate_encounter(submission, context))


def patient_errors(body: dict[str, Any]) -> set[tuple[str, str]]:
    return errors(validate_patient(PatientSubmission.model_validate(body), PAYERS, TODAY))


@pytest.mark.parametrize("text", ["Ada\x00", "Ada\r\nX-Injected: 1", "Ada\tQuill", "Ada\x7f", "Ada\x85"])
def test_control_characters_in_a_name_are_refused(text: str) -> None:
    assert patient_errors(patient(first_name=text)) == {("first_name", "text.no_control_characters")}


def test_a_lone_surrogate_is_refused_before_the_record_is_hashed() -> None:
    """It used to pass validation, then fail to encode as UTF-8 when hashed: a 500."""
    body = patient()
    body["address"] = {**body["address"], "line1": LONE_SURROGATE}
    assert patient_errors(body) == {("address.line1", "text.unicode")}


def test_free_text_deep_in_lists_is_checked_with_its_full_path() -> None:
    body = patient()
    body["coverages"] = [{**body["coverages"][0], "group_number": "G\x001"}]
    assert patient_errors(body) == {("coverages.1.group_number", "text.no_control_characters")}
    assert encounter_errors(encounter(location_id="MO-01\r\n")) == {("location_id", "text.no_control_characters")}


def test_plan_event_reasons_and_authorization_payers_are_checked_too() -> None:
    step = PlanEventSubmission.model_validate({"kind": "late_reason_recorded", "event_date": "2026-03-01",
                                              "reason": "late\x00"})  # fmt: skip
    assert errors(validate_plan_event(step, TODAY, PlanFacts(date(2026, 2, 1)))) == {
        ("reason", "text.no_control_characters")
    }
    auth = AuthorizationSubmission.model_validate({"authorization_id": "a1", "patient_id": "p", "authorized": 6,
        "payer_id": "mo-healthnet-ffs\n", "start_date": "2026-01-01", "end_date": "2026-03-31"})  # fmt: skip
    found = errors(validate_authorization(auth, PAYERS))
    assert ("payer_id", "text.no_control_characters") in found


def test_ordinary_text_passes() -> None:
    """Apostrophes, quotes, angle brackets, accents and emoji are text; only controls are refused."""
    names = ["O'Brien", 'Ann "Nan"', "<Quill>", "Zoë", "Łukasz", "José 😀", "'; DROP TABLE encounters; --"]
    for name in names:
        assert text_is_plain(PatientSubmission.model_validate(patient(first_name=name))) == []


def test_messages_never_repeat_the_text() -> None:
    found = validate_patient(PatientSubmission.model_validate(patient(last_name="Zyxw\x00")), PAYERS, TODAY)
    assert found
    assert all("Zyxw" not in v.message for v in found)


def test_a_modifier_is_two_upper_case_letters_or_digits() -> None:
    def with_modifiers(*modifiers: str) -> dict[str, Any]:
        body = encounter()
        body["lines"][0] = {**body["lines"][0], "modifiers": list(modifiers)}
        return body

    assert encounter_errors(with_modifiers("GO", "59", "KX")) == set()
    assert encounter_errors(with_modifiers("go", "G:O", "'; DROP TABLE encounters; --")) == {
        ("lines.1.modifiers.1", "modifier.shape"),
        ("lines.1.modifiers.2", "modifier.shape"),
        ("lines.1.modifiers.3", "modifier.shape"),
    }


PARENT = {"first_name": "Hector", "last_name": "Quill", "birth_date": "1984-06-02", "sex": "M"}


def test_a_relationship_code_has_the_x12_shape() -> None:
    body = patient()
    body["coverages"] = [{**body["coverages"][0], "relationship_to_subscriber": "<script>alert(1)</script>"}]
    assert patient_errors(body) == {("coverages.1.relationship_to_subscriber", "relationship.code_shape")}
    body["coverages"] = [{**body["coverages"][0], "relationship_to_subscriber": "19", "subscriber": PARENT}]
    assert patient_errors(body) == set()


def test_digits_of_other_scripts_are_not_npi_or_zip_digits() -> None:
    """The schema's \\d admits them (pydantic's regex is Unicode-aware); they used to pass the NPI check."""
    assert npi_check_digit_is_valid("1234567893")
    assert not npi_check_digit_is_valid(ARABIC_INDIC_NPI)
    assert encounter_errors(encounter(billing_provider_npi=ARABIC_INDIC_NPI)) == {
        ("billing_provider_npi", "npi.check_digit")
    }
    body = patient()
    body["address"] = {**body["address"], "postal_code": "٦٣١٠١"}
    assert patient_errors(body) == {("address.postal_code", "postal_code.digits")}


@pytest.mark.parametrize(
    ("unknown_key", "shown"),
    [("member_id", "member_id"), ("Ada Quill", "<key>"), ("k" * 500, "<key>"), ("x\r\ny", "<key>"), ("", "<key>")],
)
def test_an_unknown_member_is_named_only_when_it_looks_like_a_field_name(unknown_key: str, shown: str) -> None:
    """A made-up key is client text: shown as ``<key>`` unless it is shaped like a field name."""
    with pytest.raises(ValidationError) as raised:
        EncounterSubmission.model_validate({**encounter(), unknown_key: 1})
    assert [(v.path, v.rule) for v in violations_from(raised.value, "3")] == [(f"3.{shown}", "schema.extra_forbidden")]


def test_text_longer_than_its_x12_element_is_refused_never_cut() -> None:
    """005010X222A1: NM104 first name 35, N301 address 55, N401 city 30; any other text 500."""
    body = patient("mrn-long", first_name="A" * 36)
    body["address"] = {**body["address"], "city": "C" * 31}
    assert patient_errors(body) == {("first_name", "text.max_length"), ("address.city", "text.max_length")}
    assert patient_errors(patient("mrn-ok", first_name="A" * 35)) == set()
    assert encounter_errors(encounter(location_id="L" * 64)) == set()
