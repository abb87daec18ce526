"""What a claim's status step publishes, decided in one place.

Every step goes out on ``otrcm.claims.status-changed.v2`` (``ClaimStatusChanged``, revision = the step,
event id derived from claim and revision), keyed ``partition_key(tenant, patient_key)`` so a claim's life
stays in order. Events carry ids, codes and amounts, never PHI. The six ``otrcm.claims.<verb>.v1`` topics
are no longer produced (docs/adr/010, step 5).
"""

from __future__ import annotations

from otrcm_claims.domain.claim_aggregate import StatusStep
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_status import ClaimStatusChanged
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import CLAIM_STATUS, TopicSpec, partition_key

# the topics this module stages outbox rows for
PUBLISHES: tuple[TopicSpec, ...] = (CLAIM_STATUS,)


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
    """The step's ``ClaimStatusChanged`` on the claim's one stream."""
    event = step.event
    return [Outgoing(CLAIM_STATUS, partition_key(tenant_id, event.patient_key), status_changed_event(tenant_id, event))]
