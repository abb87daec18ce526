"""The envelope: strict, immutable, deterministic ids, and a follow-up keeps the chain."""

from __future__ import annotations

import json
import pickle
from uuid import RFC_4122, UUID, uuid5

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from otrcm_shared.events import Envelope, derive_event_id
from otrcm_shared.events.dead_letters import DeadLetter
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.events.ids import OTRCM_NAMESPACE
from tests.support.factories import encounter_received

pytestmark = pytest.mark.unit


def test_ids_are_deterministic_per_source_and_stage() -> None:
    source = UUID("00000000-0000-0000-0000-000000000001")
    assert derive_event_id(source, "units") == derive_event_id(source, "units")
    assert derive_event_id(source, "units") != derive_event_id(source, "poc")
    assert derive_event_id(source, "units") != derive_event_id(UUID(int=2), "units")
    with pytest.raises(ValueError, match="stage"):
        derive_event_id(source, "")


def test_an_id_is_the_version_5_uuid_of_source_and_stage() -> None:
    # Ids already stored and published must not change: this one is what Python's own uuid5 gives.
    derived = derive_event_id(UUID(int=1), "units")
    assert derived == UUID("36e7c400-d8e6-5024-8068-3f107a4c00fc")
    assert (derived.version, derived.variant) == (5, RFC_4122)
    assert pickle.loads(pickle.dumps(derived)) == derived
    assert hash(derived) == hash(UUID(str(derived)))


@given(source=st.one_of(st.uuids(), st.text()), stage=st.text(min_size=1))
def test_ids_are_what_uuid5_gives_for_any_source_and_stage(source: UUID | str, stage: str) -> None:
    expected = uuid5(OTRCM_NAMESPACE, f"{source}|{stage}")
    derived = derive_event_id(source, stage)
    assert (derived, str(derived), derived.int) == (expected, str(expected), expected.int)


def test_the_same_request_gives_the_same_root_event_id() -> None:
    assert encounter_received("enc-1").event_id == encounter_received("enc-1").event_id
    assert encounter_received("enc-1").event_id != encounter_received("enc-2").event_id
    assert encounter_received("enc-1").event_id != encounter_received("enc-1", tenant_id="t-b").event_id


def test_a_follow_up_event_keeps_tenant_and_correlation_and_names_its_cause() -> None:
    root = encounter_received("enc-1")
    letter = DeadLetter(
        stage="units", reason_code="X", message="m", source_topic="t", source_partition=0, source_offset=1
    )
    follow = root.follow(letter, stage="units")
    assert follow.causation_id == root.event_id
    assert follow.correlation_id == root.correlation_id == root.event_id
    assert follow.tenant_id == root.tenant_id
    assert follow.event_type == "dead-letter"
    assert follow.event_id == derive_event_id(root.event_id, "units")
    # The concrete payload is serialized in full, not as the base payload class.
    assert '"reason_code":"X"' in follow.model_dump_json()


def test_unknown_fields_are_rejected_and_events_are_immutable() -> None:
    data = encounter_received().model_dump(mode="json")
    data["payload"]["member_id"] = "1EG4TE5MK73"
    with pytest.raises(ValidationError, match=r"payload\.member_id"):
        Envelope[EncounterReceived].model_validate(data)
    event = encounter_received()
    with pytest.raises(ValidationError):
        event.tenant_id = "other"  # type: ignore[misc]


def test_json_round_trip_is_lossless() -> None:
    event = encounter_received(lines=(("97530", 23), ("97165", 45)))
    assert Envelope[EncounterReceived].model_validate_json(event.model_dump_json()) == event


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [("schema_version", 99, "schema_version_unsupported"), ("event_type", "claim.outcome", "event_type_unexpected")],
)
def test_a_reader_refuses_another_version_or_type_of_its_event(field: str, value: object, error_type: str) -> None:
    """Found by the fault suite: a v99 envelope on the ingestion topic used to be read as v1."""
    body = json.loads(encounter_received().model_dump_json())
    body[field] = value
    with pytest.raises(ValidationError) as raised:
        Envelope[EncounterReceived].model_validate(body)
    assert [error["type"] for error in raised.value.errors()] == [error_type]


def test_claim_lines_and_alerts_stored_before_issue_15_still_parse() -> None:
    """New fields are optional: events written before provisional estimates and hold details still read."""
    from otrcm_shared.events.alerts import AlertRaised
    from otrcm_shared.events.claim_lines import ClaimLinesReady

    old_day = {
        "day_key": "pk/2025-12-01/OT/medicare-wps-j5", "version": 1, "patient_key": "pk", "payer_id": "medicare-wps-j5",
        "date_of_service": "2025-12-01", "place_of_service": "11", "billing_provider_npi": "1234567893",
        "rendering_provider": {"npi": "1234567893", "role": "OT"},
        "lines": [{"line_key": "e#1#97530", "encounter_id": "e", "line_number": 1, "code": "97530", "units": 1,
                   "diagnosis_codes": ["M62.81"], "expected_allowed": "33.65", "rules": []}],
        "held_lines": [{"line_key": "e#2#97110", "encounter_id": "e", "line_number": 2, "code": "97110",
                        "reasons": ["EXPECTED_AMOUNT_UNKNOWN"], "message": "not billable"}],
        "threshold": {"year": 2025, "bucket": "ot", "accrued": "33.65", "threshold": "2410", "above_threshold": False,
                      "targeted_review_flag": False, "estimate": True},
    }  # fmt: skip
    day = ClaimLinesReady.model_validate(old_day)
    assert day.lines[0].expected_provisional is False
    assert day.held_lines[0].details == ()
    assert day.reference_data == ()
    old_alert = {"condition_id": "c", "kind": "RECERT_DUE", "patient_key": "pk", "subject_id": "p1", "message": "m"}
    assert AlertRaised.model_validate(old_alert).dataset is None
