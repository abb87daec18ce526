"""The routes that record what is not an encounter: patients, plans of care and their steps, authorizations,
prior therapy spend. Each reads its body itself, so that a body the schema cannot read whole is still
checked against every rule that stands on what could be read: every error of a request in one answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from otrcm_intake.domain import stand_ins
from otrcm_intake.domain.reading import Reading, read_record
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    EligibilityCheckSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
    TherapySpendSubmission,
)
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.problems import BODY_ERRORS, RecordAnswer, error_response, json_body, json_request_body
from otrcm_intake.usecases.eligibility_checks import request_check
from otrcm_intake.usecases.outcomes import Outcome, Recorded
from otrcm_intake.usecases.records import record_authorization, record_patient, record_plan, record_plan_event
from otrcm_intake.usecases.therapy_spend import record_therapy_spend
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.service import ServiceRuntime

STATUS_OF = {Outcome.ACCEPTED: 202, Outcome.DUPLICATE: 202, Outcome.CONFLICT: 409, Outcome.REJECTED: 422}
# Ids in the URL have the shape every stored id was checked against; others are refused before any query
# (a NUL byte, for one, would make PostgreSQL fail the query).
PlanId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's plan id.")]
PatientId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's patient id.")]
# The models these routes read by hand (their schemas go into the OpenAPI document's components).
BODIES: list[type[BaseModel]] = [
    PatientSubmission,
    PlanOfCareSubmission,
    PlanEventSubmission,
    AuthorizationSubmission,
    TherapySpendSubmission,
    EligibilityCheckSubmission,
]
ANSWERS: dict[int | str, dict[str, Any]] = {
    202: {"model": RecordAnswer, "description": "Accepted (published), or a duplicate of what was recorded."},
    **BODY_ERRORS,
}
NO_SUCH_PATIENT = Violation("patient_id", "patient.recorded", "no such patient; record it first (POST /v1/patients)")
NO_SUCH_PLAN = Violation("plan_id", "plan.exists", "no such plan of care; create it first (POST /v1/plans-of-care)")


def record_routes(runtime: ServiceRuntime, today: Callable[[], date], tenant_of_key: Callable[..., Any]) -> APIRouter:
    """``tenant_of_key``: the dependency giving the tenant of the request's API key (401 otherwise)."""
    router = APIRouter()
    tenant = Depends(tenant_of_key)  # the key's tenant, checked as on every route of the door

    def answer(result: Recorded | None) -> JSONResponse:
        if result is None:
            return error_response([NO_SUCH_PLAN], 404)
        if result.outcome is Outcome.ACCEPTED:
            runtime.wake_relay()
        return JSONResponse(result.as_dict(), status_code=STATUS_OF[result.outcome])

    def route(path: str, model: type[BaseModel], summary: str) -> Callable[[Any], Any]:
        return router.post(
            path, status_code=202, summary=summary, responses=ANSWERS, openapi_extra=json_request_body(model)
        )

    @route("/v1/patients", PatientSubmission, "Record a patient's demographics and coverage")
    async def post_patient(request: Request, tenant_id: str = tenant) -> JSONResponse:
        day = today()
        reading = read_record(PatientSubmission, await json_body(request), stand_ins.patient(day))
        async with runtime.db.transaction() as session:
            return answer(await record_patient(session, tenant_id, reading, day))

    @route("/v1/plans-of-care", PlanOfCareSubmission, "Create a plan of care (or an IEP)")
    async def post_plan(request: Request, tenant_id: str = tenant) -> JSONResponse:
        day = today()
        reading = read_record(PlanOfCareSubmission, await json_body(request), stand_ins.plan(day))
        async with runtime.db.transaction() as session:
            return answer(await record_plan(session, tenant_id, reading, day))

    @route(
        "/v1/plans-of-care/{plan_id}/events",
        PlanEventSubmission,
        "A later step of a plan: sent, certified, signed, recertified, progress report filed ...",
    )
    async def post_plan_event(plan_id: PlanId, request: Request, tenant_id: str = tenant) -> JSONResponse:
        day = today()
        reading: Reading[PlanEventSubmission] = read_record(
            PlanEventSubmission, await json_body(request), stand_ins.plan_event(day)
        )
        async with runtime.db.transaction() as session:
            return answer(await record_plan_event(session, tenant_id, plan_id, reading, day))

    @route(
        "/v1/patients/{patient_id}/therapy-spend",
        TherapySpendSubmission,
        "Record prior therapy spend by other providers (year, discipline ot|pt_slp, amount, source, as_of)",
    )
    async def post_therapy_spend(patient_id: PatientId, request: Request, tenant_id: str = tenant) -> JSONResponse:
        day = today()
        reading = read_record(TherapySpendSubmission, await json_body(request), stand_ins.therapy_spend(day))
        async with runtime.db.transaction() as session:
            return answer(await record_therapy_spend(session, tenant_id, patient_id, reading, day))

    @route(
        "/v1/patients/{patient_id}/eligibility-checks",
        EligibilityCheckSubmission,
        "Ask the patient's payer about coverage (a 270; the 271's answer is published as eligibility.checked)",
    )
    async def post_eligibility_check(patient_id: PatientId, request: Request, tenant_id: str = tenant) -> JSONResponse:
        reading = read_record(EligibilityCheckSubmission, await json_body(request), {})
        if reading.record is None or not reading.whole:
            return error_response(list(reading.problems), 422)
        async with runtime.db.transaction() as session:
            result = await request_check(session, tenant_id, patient_id, reading.record, today())
        if result is None:
            return error_response([NO_SUCH_PATIENT], 404)
        return answer(result)

    @route("/v1/authorizations", AuthorizationSubmission, "Record a payer's authorization")
    async def post_authorization(request: Request, tenant_id: str = tenant) -> JSONResponse:
        day = today()
        reading = read_record(AuthorizationSubmission, await json_body(request), stand_ins.authorization(day))
        async with runtime.db.transaction() as session:
            return answer(await record_authorization(session, tenant_id, reading, day))

    return router
