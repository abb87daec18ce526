"""A dependent's coverage names its subscriber (issue 19 item 4): the door refuses a relationship other than
self without a subscriber, a subscriber on a self coverage, an unknown relationship code, and a subscriber
without birth date or sex, each naming the field and the rule; the patient schema carries the subscriber."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from otrcm_intake.domain.record_rules import validate_patient
from otrcm_intake.domain.submissions import PatientSubmission
from otrcm_shared.refdata import PayerProfiles
from tests.support.intake_samples import patient

pytestmark = pytest.mark.unit

TODAY = date(2026, 3, 20)
PARENT = {"first_name": "Hector", "last_name": "Quill", "birth_date": "1984-06-02", "sex": "M"}


def child(**coverage: Any) -> dict[str, Any]:
    body = patient("mrn-child", first_name="Toby", birth_date="2019-09-14", sex="M")
    body["coverages"] = [{"payer_id": "blue-commercial-ama", "member_id": "XQB884120301", **coverage}]
    return body


def problems(body: dict[str, Any]) -> list[tuple[str, str]]:
    found = validate_patient(PatientSubmission.model_validate(body), PayerProfiles.builtin(TODAY), TODAY)
    return [(violation.path, violation.rule) for violation in found]


def test_a_child_with_the_parent_as_subscriber_is_accepted() -> None:
    assert problems(child(relationship_to_subscriber="19", subscriber=PARENT)) == []
    with_address = {**PARENT, "member_id": "XQB884120300", "address": patient()["address"]}
    assert problems(child(relationship_to_subscriber="01", subscriber=with_address)) == []


@pytest.mark.parametrize("relationship", ["01", "19", "G8"])
def test_a_relationship_other_than_self_without_a_subscriber_is_refused_at_the_subscriber(relationship: str) -> None:
    assert problems(child(relationship_to_subscriber=relationship)) == [
        ("coverages.1.subscriber", "subscriber.required")
    ]


def test_a_patient_who_is_the_subscriber_names_no_other_subscriber() -> None:
    assert problems(child(subscriber=PARENT)) == [("coverages.1.subscriber", "subscriber.only_for_dependents")]
    assert problems(child()) == []  # relationship defaults to 18, self


def test_an_unknown_relationship_code_is_refused_with_the_codes_allowed() -> None:
    found = validate_patient(
        PatientSubmission.model_validate(child(relationship_to_subscriber="99", subscriber=PARENT)),
        PayerProfiles.builtin(TODAY),
        TODAY,
    )
    [violation] = found
    assert (violation.path, violation.rule) == ("coverages.1.relationship_to_subscriber", "relationship.known")
    assert "19 child" in violation.message
    assert "18 self" in violation.message


def test_a_subscriber_needs_birth_date_and_sex_and_no_future_birth_date() -> None:
    bare = {"first_name": "Hector", "last_name": "Quill"}
    assert problems(child(relationship_to_subscriber="19", subscriber=bare)) == [
        ("coverages.1.subscriber.birth_date", "subscriber.birth_date_required"),
        ("coverages.1.subscriber.sex", "subscriber.sex_required"),
    ]
    future = {**PARENT, "birth_date": "2030-01-01"}
    assert problems(child(relationship_to_subscriber="19", subscriber=future)) == [
        ("coverages.1.subscriber.birth_date", "birth_date.not_future")
    ]


def test_a_subscriber_name_longer_than_its_x12_element_is_refused() -> None:
    long_first = {**PARENT, "first_name": "H" * 36}
    assert problems(child(relationship_to_subscriber="19", subscriber=long_first)) == [
        ("coverages.1.subscriber.first_name", "text.max_length")
    ]
