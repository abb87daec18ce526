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
from otrcm_shared.rules.plan_steps import PlanFacts
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
        ("coverages.1.member_id", "mbi.format")
    ]
    medicaid = patient(coverages=[{"payer_id": "mo-healthnet-ffs", "member_id": "12345678"}])
    assert rules(validate_patient(PatientSubmission.model_validate(medicaid), PAYERS, TODAY)) == []


def test_patient_birth_date_and_payer() -> None:
    future = patient(birth_date="2026-04-01", coverages=[{"payer_id": "nope", "member_id": "1"}])
    assert rules(validate_patient(PatientSubmission.model_validate(future), PAYERS, TODAY)) == [
        ("birth_date", "birth_date.not_future"),
        ("coverages.1.payer_id", "payer.known"),
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


PLAN = PlanFacts(evaluation_date=date(2026, 2, 20))


def test_a_certifier_npi_needs_its_check_digit() -> None:
    good = PlanEventSubmission.model_validate(
        {"kind": "certified", "event_date": "2026-03-01", "certifier_npi": "1234567893", "certifier_credential": "MD"}
    )
    bad = good.model_copy(update={"certifier_npi": "1234567894"})
    assert rules(validate_plan_event(good, TODAY, PLAN)) == []
    assert rules(validate_plan_event(bad, TODAY, PLAN)) == [("certifier_npi", "npi.check_digit")]


@pytest.mark.parametrize(
    ("changes", "plan", "expected"),
    [
        ({"certifier_credential": "DC"}, PLAN, [("certifier_credential", "certifier.credential_allowed")]),
        ({"certifier_credential": "DDS"}, PLAN, [("certifier_credential", "certifier.credential_allowed")]),
        ({"certifier_credential": "OD"}, PLAN, [("certifier_credential", "certifier.credential_allowed")]),
        ({"certifier_credential": "OD"}, PlanFacts(date(2026, 2, 20), low_vision=True), []),
        ({"certifier_credential": "RN"}, PLAN, [("certifier_credential", "certifier.credential_allowed")]),
        ({"certifier_credential": None}, PLAN, [("certifier_credential", "certifier.credential_required")]),
        ({"certifier_npi": None}, PLAN, [("certifier_npi", "certifier.npi_required")]),
        ({"event_date": date(2026, 2, 19)}, PLAN, [("event_date", "plan_step.not_before_evaluation")]),
        ({"kind": "recertified"}, PLAN, [("duration_days", "recertification.duration_required")]),
        ({}, PlanFacts(date(2026, 2, 20), is_iep=True), [("kind", "iep.no_later_steps")]),
    ],
)
def test_a_plan_step_is_refused_at_the_door_for_what_poc_would_refuse(
    changes: dict[str, object], plan: PlanFacts, expected: list[tuple[str, str]]
) -> None:
    """Pub. 100-02 Ch. 15 §220.1.3: chiropractors never certify, dentists are not certifying practitioners,
    optometrists only for low vision; a certification names who certified; nothing predates the evaluation."""
    base = {
        "kind": "certified",
        "event_date": "2026-03-01",
        "certifier_npi": "1234567893",
        "certifier_credential": "MD",
    }
    step = PlanEventSubmission.model_validate({**base, "certifier_credential": "MD", **changes})
    assert rules(validate_plan_event(step, TODAY, plan)) == expected


def test_an_authorization_ends_after_it_starts() -> None:
    body = {"authorization_id": "a1", "patient_id": "p", "payer_id": "mo-healthnet-ffs", "authorized": 6,
            "start_date": "2026-01-01", "end_date": "2026-03-31"}  # fmt: skip
    assert rules(validate_authorization(AuthorizationSubmission.model_validate(body), PAYERS)) == []
    backwards = AuthorizationSubmission.model_validate({**body, "end_date": "2025-12-31"})
    assert rules(validate_authorization(backwards, PAYERS)) == [("end_date", "dates.ordered")]
