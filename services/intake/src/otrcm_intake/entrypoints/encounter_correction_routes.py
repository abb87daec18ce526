"""Corrections and voids of an accepted encounter through the front door (a key with the ``submit`` scope):

- ``POST /v1/encounters/{encounter_id}/corrections`` with ``{"corrected_by", "reason", "encounter"}``: the
  encounter as it should have been (the body of ``POST /v1/encounters``, the same id), meeting every rule of a
  new encounter and keeping its billing day;
- ``POST /v1/encounters/{encounter_id}/void`` with ``{"voided_by", "reason"}``.

202 when accepted (or a duplicate of the version that stands), 404 for an encounter the organisation never
submitted (another organisation's answers the same), 422 with every problem at once in the API's error shape.
The day is recomputed downstream; a day already billed gets its replacement or void claim."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from otrcm_intake.adapters.keys import Caller
from otrcm_intake.domain import stand_ins
from otrcm_intake.domain.key_terms import Scope
from otrcm_intake.domain.reading import read_record
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.auth import caller_with
from otrcm_intake.entrypoints.problems import BODY_ERRORS, error_response, json_body, json_request_body
from otrcm_intake.usecases.accept import Acceptance
from otrcm_intake.usecases.encounter_corrections import correct_encounter, void_encounter
from otrcm_intake.usecases.outcomes import Outcome
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN, EncounterSubmission
from otrcm_shared.runtime.outbox import stage
from otrcm_shared.runtime.service import ServiceRuntime

EncounterId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's encounter id.")]
CORRECTION_MEMBERS = ("corrected_by", "reason", "encounter")
VOID_MEMBERS = ("voided_by", "reason")


class EncounterCorrection(BaseModel):
    """A correction: who, why, and the encounter as it should have been (schema ``EncounterSubmission``)."""

    model_config = ConfigDict(extra="forbid")

    corrected_by: str = Field(min_length=1, max_length=64, description="Who corrected it (a staff id).")
    reason: str = Field(min_length=1, max_length=500, description="Why (kept by intake; never published).")
    encounter: EncounterSubmission


class EncounterVoid(BaseModel):
    model_config = ConfigDict(extra="forbid")

    voided_by: str = Field(min_length=1, max_length=64, description="Who voided it (a staff id).")
    reason: str = Field(min_length=1, max_length=500, description="Why (kept by intake; never published).")


def unknown_members(body: dict[str, Any], known: tuple[str, ...]) -> list[Violation]:
    return [
        Violation(str(name), "schema.extra_forbidden", "not a member of this body")
        for name in body
        if name not in known
    ]


def correction_reading(body: dict[str, Any], today: date) -> Any:
    return read_record(EncounterSubmission, body.get("encounter"), stand_ins.encounter(today))


def encounter_correction_routes(runtime: ServiceRuntime, today: Callable[[], date]) -> APIRouter:
    router = APIRouter()
    biller = Depends(caller_with(Scope.SUBMIT))

    def answer(result: Acceptance | None, extra: list[Violation]) -> JSONResponse:
        if result is None:
            return error_response([Violation("encounter_id", "encounter.exists", "no such encounter")], 404)
        if extra:
            return error_response([*extra, *result.violations], 422)
        if result.outcome is Outcome.ACCEPTED:
            runtime.wake_relay()
        return JSONResponse(result.as_dict(), status_code=422 if result.outcome is Outcome.REJECTED else 202)

    @router.post(
        "/v1/encounters/{encounter_id}/corrections",
        status_code=202,
        summary="Correct an accepted encounter: a new version of it, with who corrected it and why",
        description="The encounter keeps its billing day (patient, date, payer, billing provider, discipline); "
        "the day is recomputed, and when it was billed its claim is replaced (CLM05-3 7) or voided (8).",
        responses=BODY_ERRORS,
        openapi_extra=json_request_body(EncounterCorrection),
    )
    async def post_correction(encounter_id: EncounterId, request: Request, caller: Caller = biller) -> JSONResponse:
        body = await json_body(request)
        if not isinstance(body, dict):
            return error_response([Violation("<body>", "schema.model_type", "a JSON object")], 422)
        extra = unknown_members(body, CORRECTION_MEMBERS)
        if not isinstance(body.get("encounter"), dict):
            extra.append(Violation("encounter", "schema.missing", "the encounter as it should have been"))
        day = today()
        note = (body.get("corrected_by"), body.get("reason"), caller.key_id)
        async with runtime.db.transaction() as session:
            result = await correct_encounter(
                session, caller.tenant_id, encounter_id, note, correction_reading(body, day), day
            )
            if result is not None and not extra:
                await stage(session, runtime.tables, result.outgoing)
        return answer(result, extra)

    @router.post(
        "/v1/encounters/{encounter_id}/void",
        status_code=202,
        summary="Void an accepted encounter, with who voided it and why",
        description="The day is recomputed without it; when it was billed its claim is replaced, or voided "
        "(CLM05-3 8) when no other visit is left on it.",
        responses=BODY_ERRORS,
        openapi_extra=json_request_body(EncounterVoid),
    )
    async def post_void(encounter_id: EncounterId, request: Request, caller: Caller = biller) -> JSONResponse:
        body = await json_body(request)
        if not isinstance(body, dict):
            return error_response([Violation("<body>", "schema.model_type", "a JSON object")], 422)
        extra = unknown_members(body, VOID_MEMBERS)
        note = (body.get("voided_by"), body.get("reason"), caller.key_id)
        async with runtime.db.transaction() as session:
            result = await void_encounter(session, caller.tenant_id, encounter_id, note)
            if result is not None and not extra:
                await stage(session, runtime.tables, result.outgoing)
        return answer(result, extra)

    return router
