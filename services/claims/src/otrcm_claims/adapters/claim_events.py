"""What a claim's status step publishes, decided in one place.

Every step goes out on ``otrcm.claims.status-changed.v2`` (``ClaimStatusChanged``, revision = the step,
event id derived from claim and revision). Until its readers have moved (docs/adr/010, step 5), the
steps the ``.v1`` topics knew are also published there as ``ClaimOutcome``, with the ids they always had:
held, submitted, accepted, rejected, paid (and partially paid), denied; a partial payment also sends
``claims.denied`` for its denied lines. Built and validated have no ``.v1`` topic.
Both keyed ``partition_key(tenant, patient_key)``; events carry ids, codes and amounts, never PHI.
"""

from __future__ import annotations

from otrcm_claims.domain.claim_aggregate import StatusStep
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_status import ClaimStatusChanged
from otrcm_shared.events.claims import ClaimOutcome
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import (
    CLAIM_STATUS,
    CLAIMS_ACCEPTED,
    CLAIMS_DENIED,
    CLAIMS_HELD,
    CLAIMS_PAID,
    CLAIMS_REJECTED,
    CLAIMS_SUBMITTED,
    TopicSpec,
    partition_key,
)

V1_TOPIC_OF: dict[ClaimState, TopicSpec] = {
    ClaimState.HELD: CLAIMS_HELD,
    ClaimState.SUBMITTED: CLAIMS_SUBMITTED,
    ClaimState.ACCEPTED: CLAIMS_ACCEPTED,
    ClaimState.REJECTED: CLAIMS_REJECTED,
    ClaimState.PAID: CLAIMS_PAID,
    ClaimState.PARTIALLY_PAID: CLAIMS_PAID,
    ClaimState.DENIED: CLAIMS_DENIED,
}


# the topics this module stages outbox rows for
PUBLISHES: tuple[TopicSpec, ...] = (CLAIM_STATUS, *dict.fromkeys(V1_TOPIC_OF.values()))


def status_changed_event(tenant_id: str, event: ClaimStatusChanged) -> Envelope[ClaimStatusChanged]:
    """The v2 envelope; its id depends only on tenant, claim and revision (a redo publishes the same id)."""
    return Envelope.root(
        event,
        tenant_id=tenant_id,
        subject=event.claim_id,
        natural_key=f"{event.claim_id}/status/{event.revision}",
        stage="claims.status-changed",
    )


def events_of(tenant_id: str, step: StatusStep) -> list[Outgoing]:
    """The v2 event of the step, then its v1 ``ClaimOutcome`` events (none for built and validated)."""
    event = step.event
    key = partition_key(tenant_id, event.patient_key)
    outgoing = [Outgoing(CLAIM_STATUS, key, status_changed_event(tenant_id, event))]
    topic = V1_TOPIC_OF.get(step.status)
    if topic is None:
        return outgoing
    partial = step.status is ClaimState.PARTIALLY_PAID
    outgoing.append(_v1(tenant_id, step, topic, step.natural_key, line_keys=not partial, category=not partial))
    if partial:
        outgoing.append(
            _v1(tenant_id, step, CLAIMS_DENIED, f"{step.natural_key}/lines", status=ClaimState.DENIED.value)
        )
    return outgoing


def _v1(
    tenant_id: str,
    step: StatusStep,
    topic: TopicSpec,
    natural_key: str,
    *,
    status: str | None = None,
    line_keys: bool = True,
    category: bool = True,
) -> Outgoing:
    event = step.event
    status = status or event.status.value
    payload = ClaimOutcome(
        claim_id=event.claim_id,
        status=status,
        patient_key=event.patient_key,
        payer_id=event.payer_id,
        day_keys=event.day_keys,
        encounter_ids=event.encounter_ids,
        line_keys=event.line_keys if line_keys else (),
        interchange_control_number=event.interchange_control_number,
        charge=event.charge,
        paid=event.paid,
        reasons=event.reasons,
        adjustments=event.adjustments,
        denial_category=event.denial_category if category else None,
    )
    envelope = Envelope.root(
        payload,
        tenant_id=tenant_id,
        subject=event.claim_id,
        natural_key=f"{event.claim_id}/{natural_key}",
        stage=f"claims.{status}",
    )
    return Outgoing(topic, partition_key(tenant_id, event.patient_key), envelope)
