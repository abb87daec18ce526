"""A biller's actions on a claim through the front door: ``POST /v1/claims/{claim_id}/void`` (a void claim,
CLM05-3 8, of a sent claim) and ``POST /v1/claims/{claim_id}/approve`` (send a replacement or void held for
approval). Both need a key with the ``submit`` scope and answer 202 once the request is staged for the claims
service; a claim the tenant does not have answers 404 (another tenant's exactly as a missing one), a claim whose
status does not allow the action 422 (``claim.may_be_voided``, ``claim.awaits_approval``), in the API's error
shape. The reason is kept with the request and never logged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from otrcm_intake.adapters.keys import Caller
from otrcm_intake.adapters.status_reader import StatusReader, StatusUnavailable
from otrcm_intake.domain.key_terms import Scope
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.auth import caller_with
from otrcm_intake.entrypoints.problems import BODY_ERRORS, error_response
from otrcm_intake.usecases.claim_actions import action_requested, refusal
from otrcm_shared.events.claim_actions import ClaimAction
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.outbox import stage
from otrcm_shared.runtime.service import ServiceRuntime

ClaimId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The claim's id (CLM01).")]


class VoidRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500, description="Why the claim is voided (kept, never logged).")


class ApprovalRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="approved", min_length=1, max_length=500, description="A note kept with it.")


def claim_action_routes(runtime: ServiceRuntime, reader: StatusReader) -> APIRouter:
    router = APIRouter()
    biller = Depends(caller_with(Scope.SUBMIT))

    async def act(caller: Caller, claim_id: str, action: ClaimAction, reason: str) -> JSONResponse:
        try:
            claim = await reader.claim(caller.tenant_id, claim_id)
        except StatusUnavailable:
            problem = Violation("<service>", "status.available", "claims cannot be read right now; try again shortly")
            return error_response([problem], 503, {"Retry-After": "5"})
        if claim is None:
            return error_response([Violation("claim_id", "claim.exists", "no such claim")], 404)
        refused = refusal(action, claim)
        if refused is not None:
            return error_response([refused], 422)
        asked, outgoing = action_requested(caller.tenant_id, claim_id, action, caller.key_id, reason)
        async with runtime.db.transaction() as session:
            await stage(session, runtime.tables, [outgoing])
        runtime.wake_relay()
        body = {"status": "accepted", "claim_id": claim_id, "action": action.value, "action_id": asked.action_id}
        return JSONResponse(body, status_code=202)

    @router.post(
        "/v1/claims/{claim_id}/void",
        status_code=202,
        summary="Void a sent claim: a void claim (CLM05-3 8) naming the payer's claim number (REF*F8)",
        description="Sent after a biller approves it (POST .../approve on the void claim), or at once when the "
        "billing profile's corrections_sent is automatically. 422 claim.may_be_voided for a claim not sent, or "
        "rejected.",
        responses=BODY_ERRORS,
    )
    async def post_void(claim_id: ClaimId, request: VoidRequest, caller: Caller = biller) -> JSONResponse:
        return await act(caller, claim_id, ClaimAction.VOID, request.reason)

    @router.post(
        "/v1/claims/{claim_id}/approve",
        status_code=202,
        summary="Approve a replacement (CLM05-3 7) or void (8) claim held for approval, so that it is sent",
        description="422 claim.awaits_approval for a claim that is not held for approval.",
        responses=BODY_ERRORS,
    )
    async def post_approve(claim_id: ClaimId, request: ApprovalRequest, caller: Caller = biller) -> JSONResponse:
        return await act(caller, claim_id, ClaimAction.APPROVE, request.reason)

    return router
