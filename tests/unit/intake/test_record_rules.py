"""Patients, plans and authorizations: the rules beyond the schema, passing and failing."""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_intake.domain.record_rules import (
    validate_authorization,
    validate_patient,
    validate_plan,
    validate_plan_event,
)
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
)
from otrcm_shared.refdata import PayerProfiles
from tests.support.intake_samples import patient

pytestmark = pytest.mark.unit

TODAY = date(2026, 3, 20)
PAYERS = PayerProfiles.builtin(TODAY)


def rules(found: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(v.path, v.rule) for v in found]


def test_a_medicare_member_id_must_be_an_mbi() -> None:
    assert rules(validate_patient(PatientSubmission.model_validate(patient()), PAYERS, TODAY)) == []
    bad = patient(coverages=[{"payer_id": "medicare-wps-j5", "member_id": "123456789A"}])
    assert rules(validate_patient(PatientSubmission.model_validate(bad), PAYERS, TODAY)) == [
        ("coverages.0.member_id", "mbi.format")
    ]
    medicaid = patient(coverages=[{"payer_id": "mo-healthnet-ffs", "member_id": "12345678"}])
    assert rules(validate_patient(PatientSubmission.model_validate(medicaid), PAYERS, TODAY)) == []


def test_patient_birth_date_and_payer() -> None:
    future = patient(birth_date="2026-04-01", coverages=[{"payer_id": "nope", "member_id": "1"}])
    assert rules(validate_patient(PatientSubmission.model_validate(future), PAYERS, TODAY)) == [
        ("birth_date", "birth_date.not_future"),
        ("coverages.0.payer_id", "payer.known"),
    ]


def test_an_iep_needs_ordered_dates() -> None:
    base = {"plan_id": "iep-1", "patient_id": "p", "evaluation_date": "2026-01-05", "duration_days": 180}
    assert rules(validate_plan(PlanOfCareSubmission.model_validate(base), TODAY)) == []
    missing = PlanOfCareSubmission.model_validate({**base, "is_iep": True})
    assert rules(validate_plan(missing, TODAY)) == [("iep_start", "iep.dates_required")]
    backwards = PlanOfCareSubmission.model_validate(
        {**base, "is_iep": True, "iep_start": "2026-06-01", "iep_end": "2026-01-01"}
    )
    assert rules(validate_plan(backwards, TODAY)) == [("iep_end", "dates.ordered")]


def test_a_certifier_npi_needs_its_check_digit() -> None:
    good = PlanEventSubmission(kind="certified", event_date=date(2026, 3, 1), certifier_npi="1234567893")  # type: ignore[arg-type]
    bad = PlanEventSubmission(kind="certified", event_date=date(2026, 3, 1), certifier_npi="1234567894")  # type: ignore[arg-type]
    assert rules(validate_plan_event(good, TODAY)) == []
    assert rules(validate_plan_event(bad, TODAY)) == [("certifier_npi", "npi.check_digit")]


def test_an_authorization_ends_after_it_starts() -> None:
    body = {"authorization_id": "a1", "patient_id": "p", "payer_id": "mo-healthnet-ffs", "authorized": 6,
            "start_date": "2026-01-01", "end_date": "2026-03-31"}  # fmt: skip
    assert rules(validate_authorization(AuthorizationSubmission.model_validate(body), PAYERS)) == []
    backwards = AuthorizationSubmission.model_validate({**body, "end_date": "2025-12-31"})
    assert rules(validate_authorization(backwards, PAYERS)) == [("end_date", "dates.ordered")]
