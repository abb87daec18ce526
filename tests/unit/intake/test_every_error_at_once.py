"""Every error of a record in one answer (issue 17 item 5): a value the schema cannot read no longer hides the
rules that stand on the values it could read, and a value put in its place never makes an error of its own.
Paths count list positions from 1, so a line's path carries its ``line_number``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel

from otrcm_intake.adapters.reference import encounter_context
from otrcm_intake.domain import stand_ins
from otrcm_intake.domain.encounter_rules import ALSO_READS, EncounterContext, validate_encounter
from otrcm_intake.domain.reading import read_record
from otrcm_intake.domain.record_rules import ALSO_READS as RECORD_ALSO_READS
from otrcm_intake.domain.record_rules import validate_authorization, validate_patient, validate_plan
from otrcm_intake.domain.spend_rules import validate_therapy_spend
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
    TherapySpendSubmission,
)
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.refdata import PayerProfiles
from tests.support.intake_samples import encounter, patient

pytestmark = pytest.mark.unit

TODAY = date(2026, 3, 20)


def encounter_errors(body: Any) -> list[tuple[str, str]]:
    reading = read_record(EncounterSubmission, body, stand_ins.encounter(TODAY))
    if reading.record is None:
        return [(v.path, v.rule) for v in reading.problems]
    context = encounter_context(reading.record.date_of_service, TODAY)
    assert isinstance(context, EncounterContext)
    return [(v.path, v.rule) for v in reading.with_rules(validate_encounter(reading.record, context), ALSO_READS)]


def test_a_date_error_no_longer_hides_a_bad_npi_and_an_unknown_code() -> None:
    body = encounter(date_of_service="11/20/2026", billing_provider_npi="1234567890")
    body["lines"][1]["code"] = "97014"
    assert encounter_errors(body) == [
        ("date_of_service", "schema.date_from_datetime_parsing"),
        ("billing_provider_npi", "npi.check_digit"),
        ("lines.2.code", "code.in_catalog"),
    ]


def test_minutes_of_minus_one_are_one_error_whatever_else_the_line_says() -> None:
    body = encounter()
    body["lines"][0] = {**body["lines"][0], "minutes": -1, "assistant_minutes": 10}
    assert encounter_errors(body) == [("lines.1.minutes", "schema.greater_than_equal")]


def test_an_unknown_field_is_named_and_the_rules_still_run() -> None:
    body = {**encounter(place_of_service="98"), "role": "OT"}
    assert encounter_errors(body) == [
        ("role", "schema.extra_forbidden"),
        ("place_of_service", "place_of_service.known"),
    ]


def test_a_finding_that_reads_an_unreadable_value_is_dropped() -> None:
    """Pointer 2 cannot be judged when the diagnoses could not be read; the stand-in (one diagnosis) says nothing."""
    body = encounter(diagnoses="M62.81")
    assert encounter_errors(body) == [("diagnoses", "schema.tuple_type")]


def test_a_whole_line_that_cannot_be_read_hides_nothing_else() -> None:
    body = encounter(billing_provider_npi="1234567890")
    body["lines"][1] = "97535 x 15"
    assert encounter_errors(body) == [("lines.2", "schema.model_type"), ("billing_provider_npi", "npi.check_digit")]


def test_a_body_that_is_not_an_object_is_one_error() -> None:
    assert encounter_errors(["not", "an", "encounter"]) == [("<body>", "schema.model_type")]


def test_the_path_of_a_line_is_its_line_number() -> None:
    body = encounter()
    body["lines"][1]["minutes"] = 241
    assert encounter_errors(body) == [("lines.2.minutes", "minutes.plausible_per_line")]
    assert body["lines"][1]["line_number"] == 2
    body["lines"] = [body["lines"][1], body["lines"][0]]  # numbered 2, 1: out of order
    assert ("lines.1.line_number", "lines.numbered_in_order") in encounter_errors(body)


def test_a_patient_with_an_unreadable_birth_date_still_hears_of_its_member_id() -> None:
    body = patient(birth_date="17/05/1948", coverages=[{"payer_id": "medicare-wps-j5", "member_id": "123456789A"}])
    reading = read_record(PatientSubmission, body, stand_ins.patient(TODAY))
    assert reading.record is not None
    found = reading.with_rules(validate_patient(reading.record, PayerProfiles.builtin(TODAY), TODAY), RECORD_ALSO_READS)
    assert [(v.path, v.rule, v.message) for v in found] == [
        ("birth_date", "schema.date_from_datetime_parsing", "a date is written YYYY-MM-DD, e.g. 2026-11-20"),
        ("coverages.1.member_id", "mbi.format", found[1].message),
    ]
    assert reading.text("patient_id") == "mrn-1001"


def test_an_unreadable_id_is_never_answered_with_its_stand_in() -> None:
    reading = read_record(PatientSubmission, patient(patient_id="no spaces allowed"), stand_ins.patient(TODAY))
    assert reading.text("patient_id") == ""
    assert not reading.whole


@pytest.mark.parametrize(
    ("model", "stand_in"),
    [
        (EncounterSubmission, stand_ins.encounter),
        (PatientSubmission, stand_ins.patient),
        (PlanOfCareSubmission, stand_ins.plan),
        (PlanEventSubmission, stand_ins.plan_event),
        (AuthorizationSubmission, stand_ins.authorization),
        (TherapySpendSubmission, stand_ins.therapy_spend),
    ],
)
def test_every_stand_in_is_a_valid_record(model: type[BaseModel], stand_in: Any) -> None:
    model.model_validate(stand_in(TODAY))


def test_the_stand_ins_break_no_rule_of_their_own_but_unknown_references() -> None:
    """Their ids and payer are deliberately unknown: findings on them sit at unreadable paths and are dropped."""
    payers = PayerProfiles.builtin(TODAY)
    enc = EncounterSubmission.model_validate(stand_ins.encounter(TODAY))
    context = encounter_context(TODAY, TODAY)
    assert isinstance(context, EncounterContext)
    assert {v.rule for v in validate_encounter(enc, context)} == {"payer.known"}
    assert {
        v.path for v in validate_patient(PatientSubmission.model_validate(stand_ins.patient(TODAY)), payers, TODAY)
    } == {"coverages.1.payer_id"}
    assert validate_plan(PlanOfCareSubmission.model_validate(stand_ins.plan(TODAY)), TODAY) == []
    auth = AuthorizationSubmission.model_validate(stand_ins.authorization(TODAY))
    assert [v.path for v in validate_authorization(auth, payers)] == ["payer_id"]
    assert validate_therapy_spend(TherapySpendSubmission.model_validate(stand_ins.therapy_spend(TODAY)), TODAY) == []
