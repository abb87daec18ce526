"""A child covered on a parent's plan (issue 19 item 4): the patient record's subscriber becomes 2010BA and
the child 2000C/2010CA; a patient who is the subscriber keeps SBR02 = 18 and no 2000C. Both shapes are
built from the record, rendered, and accepted by pyx12 and the project's checks."""

from __future__ import annotations

import pytest

from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.x12 import validate_837p
from otrcm_claims.domain.grouping import group_days
from otrcm_claims.usecases.claim_builder import build_claim
from tests.support.claims_samples import (
    COMMERCIAL,
    claim_lines_ready,
    clinic_registration,
    dependent_recorded,
    parent_subscriber,
    patient_recorded,
)
from tests.unit.claims.builders import render, segments_of

pytestmark = pytest.mark.unit

TENANT = "tenant-x"
REGISTERED = {"1234567893": clinic_registration()}


def _built(record_payload, payer_id):  # type: ignore[no-untyped-def]
    day = claim_lines_ready(TENANT, "pk-a", payer_id=payer_id).payload
    [draft] = group_days(TENANT, [day])
    return build_claim(draft, record_payload, BillingProfiles.load(), REGISTERED)


def _loops(segments: list[str]) -> list[str]:
    """The HL, SBR, PAT, NM1*IL/QC and DMG segments, in order: the subscriber and patient hierarchy."""
    keep = ("HL*", "SBR*", "PAT*", "NM1*IL*", "NM1*QC*", "DMG*")
    return [segment for segment in segments if segment.startswith(keep)]


def test_a_dependent_claim_carries_the_subscriber_in_2010ba_and_the_child_in_2000c_and_pyx12_accepts_it() -> None:
    record = dependent_recorded(TENANT, "pk-a", parent_subscriber()).payload
    built = _built(record, COMMERCIAL)
    assert built.problems == ()
    assert built.claim is not None
    rendered = render(built.claim)

    segments = segments_of(rendered.text)
    assert _loops(segments) == [
        "HL*1**20*1",
        "HL*2*1*22*1",  # the subscriber has a child loop
        "SBR*P**GRP7781******CI",  # SBR02 empty: the patient is not the subscriber
        "NM1*IL*1*QUILLFEATHER*HECTOR****MI*XQB884120301",
        "HL*3*2*23*0",
        "PAT*19",
        "NM1*QC*1*QUILLFEATHER*TOBIAS",
        "DMG*D8*20190914*M",  # the child's, in 2010CA; 2010BA sends no DMG for a dependent
    ]
    assert "N3*5 ELM ST" in segments
    report = validate_837p([built.claim], rendered)
    assert report.pyx12_valid, report.issues
    assert report.passed, report.issues


def test_a_subscriber_with_their_own_member_id_is_billed_under_it() -> None:
    subscriber = parent_subscriber().model_copy(update={"member_id": "XQB884120300"})
    built = _built(dependent_recorded(TENANT, "pk-a", subscriber, relationship="01").payload, COMMERCIAL)
    assert built.claim is not None
    segments = segments_of(render(built.claim).text)
    assert "NM1*IL*1*QUILLFEATHER*HECTOR****MI*XQB884120300" in segments
    assert "PAT*01" in segments


def test_a_patient_who_is_the_subscriber_has_sbr02_18_and_no_patient_loop_and_pyx12_accepts_it() -> None:
    built = _built(patient_recorded(TENANT, "pk-a").payload, "medicare-wps-j5")
    assert built.claim is not None
    rendered = render(built.claim)
    assert _loops(segments_of(rendered.text)) == [
        "HL*1**20*1",
        "HL*2*1*22*0",
        "SBR*P*18*******MB",
        "NM1*IL*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73",
        "DMG*D8*19480307*F",
    ]
    report = validate_837p([built.claim], rendered)
    assert report.pyx12_valid, report.issues
    assert report.passed, report.issues


def test_a_dependent_whose_record_names_no_subscriber_is_held_naming_the_fact_and_no_phi() -> None:
    built = _built(dependent_recorded(TENANT, "pk-a").payload, COMMERCIAL)
    assert built.claim is None
    [problem] = built.problems
    assert problem.startswith("subscriber:")
    assert "relationship 19" in problem
    assert "names no subscriber" in problem
    assert "QUILLFEATHER" not in problem.upper()
    assert "XQB884120301" not in problem
