"""The intake API on the real broker and PostgreSQL: one event per accepted encounter, idempotency,
conflicts, error bodies, batches, tenant isolation, and no PHI in logs or spans."""

from __future__ import annotations

import json
import logging

import pytest
from aiokafka import ConsumerRecord

from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_shared.events import Envelope
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.claim_lines import HeldLine, HoldDetail
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.topics import ENCOUNTERS_RECEIVED, PATIENTS, PLANS_OF_CARE
from otrcm_status.usecases.handlers import on_claim_lines_ready, on_claim_status_changed
from tests.integration.intake.conftest import Intake
from tests.support.claims_samples import claim_lines_ready
from tests.support.intake_samples import SAMPLE_MBI, billing_provider, fresh_npi, patient
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


def _received(records: list[ConsumerRecord[bytes, bytes]], tenant: str) -> list[Envelope[EncounterReceived]]:
    events = [Envelope[EncounterReceived].model_validate_json(r.value) for r in records]
    return [e for e in events if e.tenant_id == tenant]


async def test_accepted_once_duplicates_ignored_conflicts_refused(intake: Intake, tenant: str) -> None:
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    start = await end_offsets(intake.settings.kafka_bootstrap, ENCOUNTERS_RECEIVED.name)

    first = await intake.client.post("/v1/encounters", json=clinic.encounter("enc-a"), headers=headers)
    again = await intake.client.post("/v1/encounters", json=clinic.encounter("enc-a"), headers=headers)
    changed = clinic.encounter("enc-a", place_of_service="12")
    conflict = await intake.client.post("/v1/encounters", json=changed, headers=headers)

    assert first.status_code == 202, first.text
    assert first.json()["status"] == "accepted"
    assert again.status_code == 202
    assert again.json() == {**first.json(), "status": "duplicate"}
    assert conflict.status_code == 409
    assert conflict.json()["status"] == "conflict"

    records = await read_from(
        intake.settings.kafka_bootstrap, start, until=lambda rs: len(_received(rs, tenant)) >= 1, settle_s=2.0
    )
    (event,) = _received(records, tenant)
    assert str(event.event_id) == first.json()["event_id"]
    assert event.payload.encounter_id == "enc-a"
    assert event.payload.patient_key != "mrn-1001", "the client's patient id never leaves intake"
    assert [line.minutes for line in event.payload.lines] == [25, 15]
    status = await intake.client.get("/v1/encounters/enc-a", headers=headers)
    assert status.status_code == 200
    assert status.json()["status"] in ("received", "units_calculated")


async def test_a_bad_encounter_gets_422_naming_field_and_rule_and_nothing_is_kept(intake: Intake, tenant: str) -> None:
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    body = clinic.encounter("enc-bad", billing_provider_npi="1234567890")
    body["lines"][0]["code"] = "97014"
    response = await intake.client.post("/v1/encounters", json=body, headers=headers)
    assert response.status_code == 422
    errors = {(e["path"], e["rule"]) for e in response.json()["errors"]}
    assert errors == {("billing_provider_npi", "npi.check_digit"), ("lines.1.code", "code.in_catalog")}
    missing = await intake.client.get("/v1/encounters/enc-bad", headers=headers)
    assert missing.status_code == 404


async def test_a_batch_reports_per_item(intake: Intake, tenant: str) -> None:
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    batch = [
        clinic.encounter("b-1"),
        clinic.encounter("b-2", place_of_service="98"),
        clinic.encounter("b-3"),
        {"encounter_id": 7},
    ]
    response = await intake.client.post("/v1/encounters", json=batch, headers=headers)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted", "rejected"]
    assert results[1]["errors"][0]["rule"] == "place_of_service.known"
    assert {e["path"] for e in results[3]["errors"]} >= {"encounter_id", "patient_id"}, "paths are the item's own"
    assert response.json()["summary"]["accepted"] == 2
    too_many = await intake.client.post("/v1/encounters", json=[clinic.encounter("x")] * 1001, headers=headers)
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["rule"] == "batch.size"


async def test_a_batch_is_one_unit_that_still_sees_its_own_repeats(intake: Intake, tenant: str) -> None:
    """A batch is accepted in one transaction: an id repeated inside it is a duplicate (same content) or a conflict
    (other content), exactly as across two requests, and every accepted item is published."""
    clinic = await intake.onboard(tenant)
    first, changed = clinic.encounter("r-1"), clinic.encounter("r-2")
    batch = [first, dict(first), changed, {**changed, "place_of_service": "12"}]
    response = await intake.client.post("/v1/encounters", json=batch, headers=clinic.headers)
    assert [r["status"] for r in response.json()["results"]] == ["accepted", "duplicate", "accepted", "conflict"]
    for encounter_id in ("r-1", "r-2"):
        status = await intake.client.get(f"/v1/encounters/{encounter_id}", headers=clinic.headers)
        assert status.status_code == 200


async def test_tenants_cannot_read_or_write_each_others_data(intake: Intake, tenant: str) -> None:
    alice_clinic, bob_clinic = await intake.onboard(tenant), await intake.onboard(f"{tenant}-other")
    alice, bob = alice_clinic.headers, bob_clinic.headers
    plan = {"plan_id": "plan-1", "patient_id": "mrn-1001", "evaluation_date": "2026-03-02", "duration_days": 60}
    shared = alice_clinic.encounter("shared-id")
    assert (await intake.client.post("/v1/encounters", json=shared, headers=alice)).status_code == 202
    assert (await intake.client.post("/v1/plans-of-care", json=plan, headers=alice)).status_code == 202

    # Reading: 404, exactly as for an id that does not exist.
    assert (await intake.client.get("/v1/encounters/shared-id", headers=bob)).status_code == 404
    assert (await intake.client.get("/v1/encounters/never-existed", headers=bob)).status_code == 404
    # Writing: another tenant's plan is invisible, and the same client id is simply bob's own encounter.
    step = {
        "kind": "certified",
        "event_date": "2026-03-05",
        "certifier_npi": "1234567893",
        "certifier_credential": "MD",
    }
    assert (await intake.client.post("/v1/plans-of-care/plan-1/events", json=step, headers=bob)).status_code == 404
    assert (await intake.client.post("/v1/plans-of-care/plan-1/events", json=step, headers=alice)).status_code == 202
    mine_body = bob_clinic.encounter("shared-id", place_of_service="12")
    mine = await intake.client.post("/v1/encounters", json=mine_body, headers=bob)
    assert mine.json()["status"] == "accepted"
    # Without a key, or with a made-up one: 401.
    assert (await intake.client.get("/v1/encounters/shared-id")).status_code == 401
    fake = {"X-API-Key": "otrcm_not-a-real-key"}
    assert (await intake.client.get("/v1/encounters/shared-id", headers=fake)).status_code == 401


async def test_no_phi_in_logs_or_spans(intake: Intake, tenant: str, caplog: pytest.LogCaptureFixture) -> None:
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    sentinel_name, sentinel_member = "Zyxwvutsonia", SAMPLE_MBI
    start = await end_offsets(intake.settings.kafka_bootstrap, PATIENTS.name)
    with caplog.at_level(logging.DEBUG):
        body = patient("mrn-phi", last_name=sentinel_name)
        assert (await intake.client.post("/v1/patients", json=body, headers=headers)).status_code == 202
        bad = patient("mrn-phi-2", last_name=sentinel_name, birth_date="2030-01-01")
        bad["coverages"][0]["member_id"] = sentinel_member + "X"
        rejected = await intake.client.post("/v1/patients", json=bad, headers=headers)
        assert rejected.status_code == 422
        assert sentinel_name not in rejected.text
        enc = clinic.encounter("enc-phi", patient_id="mrn-phi")
        assert (await intake.client.post("/v1/encounters", json=enc, headers=headers)).status_code == 202
        # The PHI does travel where it must: the compacted patients topic.
        records = await read_from(
            intake.settings.kafka_bootstrap,
            start,
            until=lambda rs: any(sentinel_name.encode() in r.value for r in rs),
        )
    assert any(json.loads(r.value)["payload"]["last_name"] == sentinel_name for r in records)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    exported = json.dumps([span.to_json() for span in intake.spans.get_finished_spans()])
    assert intake.spans.get_finished_spans(), "spans were exported"
    for sentinel in (sentinel_name, sentinel_member, "1948-05-17"):
        assert sentinel not in logged
        assert sentinel not in exported


async def test_a_held_claim_shows_on_its_encounters_with_the_reasons(intake: Intake, tenant: str) -> None:
    """Found by the fault suite: claims the claims service held were silent, so the encounters stayed
    "ready" forever; a held step on the claim stream now moves them to "claim_held" with the claim's reasons."""
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    await intake.client.post("/v1/encounters", json=clinic.encounter("enc-held"), headers=headers)
    reason = "referring-provider: the payer requires the referring provider (2310A)"
    held = ClaimStatusChanged(
        claim_id="C1", revision=2, status=ClaimStatus.HELD, source="batch", patient_key="pk",
        payer_id="medicare-wps-j5", day_keys=("d",), encounter_ids=("enc-held",), reasons=(reason,),
    )  # fmt: skip
    event = Envelope.root(held, tenant_id=tenant, subject="C1", natural_key="C1/held", stage="claims.held")
    async with intake.status_db.transaction() as session:
        await on_claim_status_changed(session, event)
    status = (await intake.client.get("/v1/encounters/enc-held", headers=headers)).json()
    assert status["status"] == "claim_held"
    assert status["detail"] == {"claim_id": "C1", "reasons": [reason]}
    claim = (await intake.client.get("/v1/claims/C1", headers=headers)).json()
    assert (claim["status"], claim["encounter_ids"]) == ("held", ["enc-held"])
    other = await intake.key_for(f"{tenant}-other")
    assert (await intake.client.get("/v1/claims/C1", headers=other)).status_code == 404, "scoped to the key's tenant"


async def test_an_encounter_pooled_into_a_day_with_only_held_lines_is_held_too(intake: Intake, tenant: str) -> None:
    """Found by the fault suite: a visit whose minutes went to the day's other visit, on a day where every
    line was held, was neither ready nor held, and stayed "cleared" forever."""
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    for encounter_id in ("enc-pooled", "enc-with-line"):
        await intake.client.post("/v1/encounters", json=clinic.encounter(encounter_id), headers=headers)
    held_line = HeldLine(
        line_key="enc-with-line#1#97112", encounter_id="enc-with-line", line_number=1, code="97112",
        reasons=("EXPECTED_AMOUNT_UNKNOWN",), message="not billable",
    )  # fmt: skip
    sample = claim_lines_ready(tenant, "pk-pooled").payload
    ready = sample.model_copy(
        update={"lines": (), "held_lines": (held_line,), "encounter_ids": ("enc-pooled", "enc-with-line")}
    )
    event = Envelope.root(ready, tenant_id=tenant, subject=ready.day_key, natural_key="pooled", stage="modifiers")
    async with intake.status_db.transaction() as session:
        await on_claim_lines_ready(session, event)
    pooled = (await intake.client.get("/v1/encounters/enc-pooled", headers=headers)).json()
    assert pooled["status"] == "held"
    assert [reason["code"] for reason in pooled["detail"]["reasons"]] == ["EXPECTED_AMOUNT_UNKNOWN"]


async def test_a_held_line_shows_its_reason_rule_sentence_and_releasing_action(intake: Intake, tenant: str) -> None:
    """Issue 15: the status used to read "not billable" once per line; it now carries the hold's details."""
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    await intake.client.post("/v1/encounters", json=clinic.encounter("enc-kx"), headers=headers)
    detail = HoldDetail(
        code="KX_NEEDS_ATTESTATION", rule_id="kx_required_once_threshold_exceeded",
        message="This line takes the year's therapy spend above the threshold.",
        action="Document medical necessity and resubmit the encounter.", detail="$2460.00 + $33.71 > $2480.00",
    )  # fmt: skip
    held_line = HeldLine(
        line_key="enc-kx#1#97530", encounter_id="enc-kx", line_number=1, code="97530",
        reasons=("KX_NEEDS_ATTESTATION",), message=detail.message, details=(detail,),
    )  # fmt: skip
    sample = claim_lines_ready(tenant, "pk-kx").payload
    ready = sample.model_copy(update={"lines": (), "held_lines": (held_line,), "encounter_ids": ("enc-kx",)})
    event = Envelope.root(ready, tenant_id=tenant, subject=ready.day_key, natural_key="kx", stage="modifiers")
    async with intake.status_db.transaction() as session:
        await on_claim_lines_ready(session, event)
    status = (await intake.client.get("/v1/encounters/enc-kx", headers=headers)).json()
    assert status["status"] == "held"
    (reason,) = status["detail"]["reasons"]
    assert reason == {
        "code": "KX_NEEDS_ATTESTATION",
        "rule_id": "kx_required_once_threshold_exceeded",
        "message": detail.message,
        "action": detail.action,
        "line": "enc-kx#1#97530",
    }


async def test_an_npi_or_tax_id_belongs_to_one_tenant_unless_the_operator_transfers_it(
    intake: Intake, tenant: str
) -> None:
    """Registration is the operator's: a second tenant cannot register another's NPI or tax id (a false
    claim waiting to happen); a transfer moves the NPI and withdraws it from the first tenant."""
    first, second = await intake.onboard(tenant), await intake.onboard(f"{tenant}-b")
    taken = BillingProviderRegistered.model_validate(billing_provider(first.npi))
    async with intake.runtime.db.transaction() as session:
        refused = await register_billing_provider(session, second.tenant_id, taken)
    assert [(v.path, v.rule) for v in refused.violations] == [("npi", "billing_provider.npi_owned_elsewhere")]
    listed = await intake.client.get("/v1/billing-providers", headers=first.headers)
    [registered] = listed.json()["billing_providers"]
    same_tin = BillingProviderRegistered.model_validate(billing_provider(fresh_npi(), registered["tin"]))
    async with intake.runtime.db.transaction() as session:
        refused = await register_billing_provider(session, second.tenant_id, same_tin)
    assert [(v.path, v.rule) for v in refused.violations] == [("tin", "billing_provider.tin_owned_elsewhere")]

    async with intake.runtime.db.transaction() as session:
        moved = await register_billing_provider(session, second.tenant_id, taken, transfer=True)
    assert moved.outcome.value == "accepted"
    posted = await intake.client.post("/v1/encounters", json=first.encounter("after-transfer"), headers=first.headers)
    assert posted.status_code == 422
    assert posted.json()["errors"][0]["rule"] == "billing_provider.registered"
    owned = await intake.client.get("/v1/billing-providers", headers=second.headers)
    assert first.npi in [entry["npi"] for entry in owned.json()["billing_providers"]]


async def test_a_chiropractor_certification_is_refused_at_the_door_and_nothing_is_published(
    intake: Intake, tenant: str
) -> None:
    """Issue 17: a DC certification used to get 202 and die on poc's dead-letter topic, unseen by the client.
    The door applies poc's own rule (otrcm_shared.rules.plan_steps) and answers 422 naming field and rule."""
    clinic = await intake.onboard(tenant)
    plan = {"plan_id": "plan-dc", "patient_id": "mrn-1001", "evaluation_date": "2026-03-02", "duration_days": 60}
    assert (await intake.client.post("/v1/plans-of-care", json=plan, headers=clinic.headers)).status_code == 202
    start = await end_offsets(intake.settings.kafka_bootstrap, PLANS_OF_CARE.name)
    chiropractor = {"kind": "certified", "event_date": "2026-03-04", "certifier_npi": "1245319599",
                    "certifier_credential": "DC"}  # fmt: skip
    refused = await intake.client.post("/v1/plans-of-care/plan-dc/events", json=chiropractor, headers=clinic.headers)
    early = {**chiropractor, "certifier_credential": "MD", "event_date": "2026-03-01"}
    too_early = await intake.client.post("/v1/plans-of-care/plan-dc/events", json=early, headers=clinic.headers)

    assert refused.status_code == 422
    assert [(e["path"], e["rule"]) for e in refused.json()["errors"]] == [
        ("certifier_credential", "certifier.credential_allowed")
    ]
    assert "chiropractor" in refused.json()["errors"][0]["message"]
    assert too_early.status_code == 422
    assert too_early.json()["errors"][0]["rule"] == "plan_step.not_before_evaluation"
    medical_doctor = {**chiropractor, "certifier_credential": "MD"}
    accepted = await intake.client.post("/v1/plans-of-care/plan-dc/events", json=medical_doctor, headers=clinic.headers)
    assert accepted.status_code == 202
    records = await read_from(
        intake.settings.kafka_bootstrap,
        start,
        until=lambda rs: any(b'"certified"' in r.value and tenant.encode() in r.value for r in rs),
        settle_s=2.0,
    )
    events = [json.loads(r.value) for r in records]
    steps = [e["payload"] for e in events if e["tenant_id"] == tenant and e["payload"]["kind"] != "created"]
    assert [(s["kind"], s["certifier_credential"]) for s in steps] == [("certified", "MD")], "only the MD step left"
