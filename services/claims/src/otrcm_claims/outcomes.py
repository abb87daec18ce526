"""Persist a claim's status change and, for the published steps, stage its ``ClaimOutcome`` event.

Both happen in the caller's transaction (the outbox), so a status is never changed without its event
nor published without being stored. Every change is also appended to ``claim_status_changes`` with its
source (batch, 999, 277ca, 835, admin) and, for an acknowledgment, the file's SHA-256. Events carry
claim ids, payer ids, the opaque patient key, codes and amounts: never PHI.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims import store
from otrcm_claims.lifecycle import CORRECTABLE, ClaimState, is_acknowledgment, may_correct, require_transition
from otrcm_shared.events import Envelope
from otrcm_shared.events.claims import Adjustment, ClaimOutcome
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import (
    CLAIMS_ACCEPTED,
    CLAIMS_DENIED,
    CLAIMS_HELD,
    CLAIMS_PAID,
    CLAIMS_REJECTED,
    CLAIMS_SUBMITTED,
    TopicSpec,
    partition_key,
)

# the topics this module stages outbox rows for
PUBLISHES: tuple[TopicSpec, ...] = (
    CLAIMS_HELD,
    CLAIMS_SUBMITTED,
    CLAIMS_ACCEPTED,
    CLAIMS_REJECTED,
    CLAIMS_PAID,
    CLAIMS_DENIED,
)

TOPIC_OF: dict[ClaimState, TopicSpec] = {
    ClaimState.HELD: CLAIMS_HELD,
    ClaimState.SUBMITTED: CLAIMS_SUBMITTED,
    ClaimState.ACCEPTED: CLAIMS_ACCEPTED,
    ClaimState.REJECTED: CLAIMS_REJECTED,
    ClaimState.PAID: CLAIMS_PAID,
    ClaimState.PARTIALLY_PAID: CLAIMS_PAID,
    ClaimState.DENIED: CLAIMS_DENIED,
}


def outcome_event(
    row: Any,
    status: str,
    natural_key: str,
    *,
    topic: TopicSpec,
    reasons: Sequence[str] = (),
    line_keys: Sequence[str] = (),
    paid: Decimal | None = None,
    adjustments: Sequence[Adjustment] = (),
    denial_category: str | None = None,
) -> Outgoing:
    """The ``ClaimOutcome`` of a claim row on ``topic``; its id derives from the claim and ``natural_key``."""
    payload = ClaimOutcome(
        claim_id=row["claim_id"],
        status=status,
        patient_key=row["patient_key"],
        payer_id=row["payer_id"],
        day_keys=tuple(row["day_keys"]),
        encounter_ids=tuple(row["encounter_ids"]),
        line_keys=tuple(line_keys),
        interchange_control_number=(
            f"{row['interchange_control_number']:09d}" if row["interchange_control_number"] else None
        ),
        charge=Decimal(row["charge"]),
        paid=paid,
        reasons=tuple(reasons),
        adjustments=tuple(adjustments),
        denial_category=denial_category,
    )
    event = Envelope.root(
        payload,
        tenant_id=row["tenant_id"],
        subject=row["claim_id"],
        natural_key=f"{row['claim_id']}/{natural_key}",
        stage=f"claims.{status}",
    )
    return Outgoing(topic, partition_key(row["tenant_id"], row["patient_key"]), event)


async def change_status(
    session: AsyncSession,
    row: Any,
    wanted: ClaimState,
    natural_key: str,
    *,
    reasons: Sequence[str] = (),
    line_keys: Sequence[str] = (),
    paid: Decimal | None = None,
    adjustments: Sequence[Adjustment] = (),
    denial_category: str | None = None,
    extra: dict[str, Any] | None = None,
    source: str = "batch",
    acknowledgment_digest: str | None = None,
) -> list[Outgoing]:
    """Move the claim to ``wanted`` (or raise ``InvalidTransition``), append reasons, record the step in the
    claim's history, stage its event. An acknowledgment may correct an earlier one (``may_correct``)."""
    current = ClaimState(row["status"])
    if not await _corrects_an_acknowledgment(session, row, current, wanted, source):
        require_transition(row["claim_id"], current, wanted)
    values: dict[str, Any] = {"status": wanted.value, "reasons": [*row["reasons"], *reasons], **(extra or {})}
    if paid is not None:
        values["paid"] = str(paid)
    await store.set_claim(session, row["tenant_id"], row["claim_id"], **values)
    await store.record_status_change(
        session,
        row,
        wanted.value,
        source=source,
        natural_key=natural_key,
        reasons=list(reasons),
        acknowledgment_digest=acknowledgment_digest,
    )
    topic = TOPIC_OF.get(wanted)
    if topic is None:
        return []
    event = outcome_event(
        row,
        wanted.value,
        natural_key,
        topic=topic,
        reasons=reasons,
        line_keys=line_keys,
        paid=paid,
        adjustments=adjustments,
        denial_category=denial_category,
    )
    return [event]


async def _corrects_an_acknowledgment(
    session: AsyncSession, row: Any, current: ClaimState, wanted: ClaimState, source: str
) -> bool:
    if (current, wanted) not in CORRECTABLE or not is_acknowledgment(source):
        return False
    last = await store.last_status_change(session, row["tenant_id"], row["claim_id"])
    if last is None or last["to_status"] != current.value:
        return False
    return may_correct(current, wanted, last["source"], source)
