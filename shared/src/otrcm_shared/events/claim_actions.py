"""A biller's action on a claim, asked through the front door and carried out by the claims service: approve a
held replacement (CLM05-3 7) or void (8) so that it is sent, or void a claim that was sent.

Ids, the action, who asked (the API key's id, never a person's name) and why; never PHI. The claims service
decides whether the claim is in a state that allows the action and says so on the claim's status stream."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.envelope import EventPayload


class ClaimAction(StrEnum):
    APPROVE = "approve"  # send a held replacement or void claim
    VOID = "void"  # cancel a sent claim: a void claim (CLM05-3 8) naming the payer's claim number (REF*F8)


class ClaimActionRequested(EventPayload):
    EVENT_TYPE: ClassVar[str] = "claim.action-requested"

    action_id: str = Field(min_length=1, max_length=64, description="Unique per request (the front door's id).")
    claim_id: str = Field(min_length=1, max_length=40, description="The claim acted on (CLM01).")
    action: ClaimAction
    requested_by: str = Field(min_length=1, max_length=64, description="The API key id that asked (not a name).")
    reason: str = Field(min_length=1, max_length=500, description="Why, as the biller wrote it (kept, never logged).")
