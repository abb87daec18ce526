"""The benchmark's set-up is what intake's front door asks for: patients it can record, encounters under
the registered billing NPI for recorded patients with coverage by the encounter's payer; and the group
count attributes groups to services by their members' client ids."""

from __future__ import annotations

import json

import pytest

from otrcm_intake.domain.identifiers import npi_check_digit_is_valid
from otrcm_intake.domain.submissions import PatientSubmission
from tests.bench.enroll import patient_body, patient_ids
from tests.bench.groups import groups_by_service
from tests.bench.pipeline import PAYER, build_submissions
from tests.support.intake_samples import fresh_npi

pytestmark = pytest.mark.unit


def test_every_encounter_names_a_recorded_patient_covered_by_its_payer_under_the_registered_npi() -> None:
    npi = fresh_npi()
    assert npi_check_digit_is_valid(npi)
    recorded = {p: PatientSubmission.model_validate(patient_body(p, PAYER)) for p in patient_ids(601)}
    submissions = build_submissions("bench-t", 601, npi)
    for _key, value, _encounter_id in submissions:
        payload = json.loads(value)["payload"]
        assert payload["billing_provider_npi"] == npi
        patient = recorded[payload["patient_id"]]
        assert payload["payer_id"] in {coverage.payer_id for coverage in patient.coverages}
    assert {json.loads(v)["payload"]["patient_id"] for _, v, _ in submissions} == set(recorded)


def test_groups_are_counted_per_service_only_when_they_have_members() -> None:
    described = [
        ("otrcm.intake", "Stable", ["otrcm-intake"]),
        ("otrcm.intake_status_held", "Empty", []),
        ("otrcm.claims", "Stable", ["otrcm-claims"]),
        ("otrcm.claims_billing_providers", "Stable", ["otrcm-claims", "otrcm-claims"]),
        ("someone-else", "Stable", ["otrcm-units"]),
    ]
    assert groups_by_service(described) == {
        "claims": ["otrcm.claims", "otrcm.claims_billing_providers"],
        "intake": ["otrcm.intake"],
    }
