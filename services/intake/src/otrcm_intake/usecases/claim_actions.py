"""Use case: a biller asks to approve a held replacement or void, or to void a sent claim. The request is checked
against the claim's status and staged for the claims service (``otrcm.claim-actions.requested.v1``) in the
caller's transaction; the claims service carries it out and the claim's status history shows the outcome."""

from __future__ import annotations

import uuid
from typing import Any

from otrcm_intake.domain.claim_action_rules import why_not_approve, why_not_void
from otrcm_intake.domain.violations import Violation
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_actions import ClaimAction, ClaimActionRequested
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import CLAIM_ACTIONS, TopicSpec, claim_key

PUBLISHES: tuple[TopicSpec, ...] = (CLAIM_ACTIONS,)  # the topics this module stages outbox rows for

STAGE = "intake"


def refusal(action: ClaimAction, claim: dict[str, Any]) -> Violation | None:
    """Why the claim's status (as the status service shows it) does not allow ``action``; None when it does."""
    if action is ClaimAction.VOID:
        return why_not_void(str(claim["status"]))
    return why_not_approve(str(claim["status"]), [str(reason) for reason in claim.get("reasons", [])])


def action_requested(
    tenant_id: str, claim_id: str, action: ClaimAction, key_id: str, reason: str
) -> tuple[ClaimActionRequested, Outgoing]:
    """The request as an event for the claims service, keyed by tenant and claim (no PHI)."""
    action_id = uuid.uuid4().hex
    asked = ClaimActionRequested(
        action_id=action_id, claim_id=claim_id, action=action, requested_by=key_id, reason=reason
    )
    event = Envelope.root(
        asked, tenant_id=tenant_id, subject=claim_id, natural_key=f"claim-action/{action_id}", stage=STAGE
    )
    return asked, Outgoing(CLAIM_ACTIONS, claim_key(tenant_id, claim_id), event)
