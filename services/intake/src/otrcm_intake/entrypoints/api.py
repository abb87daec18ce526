"""The intake HTTP API (FastAPI), all under /v1. OpenAPI at /docs and /openapi.json.

Errors use one shape everywhere: ``{"errors": [{"path", "rule", "message", "severity"}]}``; values
the client sent are never echoed (they may be PHI).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from otrcm_intake.adapters.keys import tenant_of
from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.domain.schema_errors import path_of, violations_from
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
    TherapySpendSubmission,
)
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.http_hygiene import BodyHygiene
from otrcm_intake.entrypoints.status_routes import status_routes
from otrcm_intake.usecases.accept import Acceptance, accept_encounter
from otrcm_intake.usecases.billing_providers import registrations_of_tenant
from otrcm_intake.usecases.outcomes import Outcome, Recorded
from otrcm_intake.usecases.records import (
    record_authorization,
    record_patient,
    record_plan,
    record_plan_event,
)
from otrcm_intake.usecases.therapy_spend import record_therapy_spend
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN, EncounterSubmission
from otrcm_shared.runtime.outbox import stage
from otrcm_shared.runtime.service import ServiceRuntime

MAX_BATCH = 1000
STATUS_OF = {Outcome.ACCEPTED: 202, Outcome.DUPLICATE: 202, Outcome.CONFLICT: 409, Outcome.REJECTED: 422}
CLIENT_ID = re.compile(CLIENT_ID_PATTERN)
# Ids in the URL have the shape every stored id was checked against; others are refused before any query
# (a NUL byte, for one, would make PostgreSQL fail the query).
PlanId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's plan id.")]
PatientId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's patient id.")]

# Starlette's own errors (unknown route, wrong method, unreadable body) in the API's error shape.
HTTP_PROBLEMS = {
    400: ("<body>", "schema.body_unreadable"),
    404: ("<url>", "route.exists"),
    405: ("<method>", "route.method_allowed"),
}


class NotAuthenticated(Exception):
    pass


async def current_tenant(request: Request) -> str:
    """The tenant of the request's API key (``X-API-Key`` or ``Authorization: Bearer``); 401 otherwise."""
    key = request.headers.get("x-api-key")
    authorization = request.headers.get("authorization", "")
    if not key and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    if not key:
        raise NotAuthenticated
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.db.transaction() as session:
        found = await tenant_of(session, key)
    if found is None:
        raise NotAuthenticated
    return found


Tenant = Annotated[str, Depends(current_tenant)]


def _errors(violations: list[Violation], status: int, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": [v.as_dict() for v in violations]}, status_code=status, headers=headers)


def _submitted_id(item: Any) -> str:
    """The id of an item that failed the schema, only when it is a well-formed id: nothing else is echoed."""
    value = item.get("encounter_id") if isinstance(item, dict) else None
    return value if isinstance(value, str) and CLIENT_ID.fullmatch(value) else ""


def _fastapi_location(location: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """A request-validation location without FastAPI's ``body`` root (``path``/``query`` stay)."""
    return location[1:] if location[:1] == ("body",) else location


def _status_reader(runtime: ServiceRuntime) -> StatusReader:
    from otrcm_intake.settings import IntakeSettings

    url = getattr(runtime.settings, "status_url", None) or IntakeSettings.model_fields["status_url"].default
    return StatusReader(str(url))


def create_api(
    runtime: ServiceRuntime, today: Callable[[], date] | None = None, status: StatusReader | None = None
) -> FastAPI:
    """The front door; statuses are asked of the status service through ``status`` (default: its loopback URL)."""
    today = today or runtime.settings.today  # validation's "today": the business date unless a caller fixes one
    status_reader = status or _status_reader(runtime)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            async with runtime.serving():
                yield
        finally:
            await status_reader.close()

    api = FastAPI(
        title="otrcm intake",
        version="0.1.0",
        description="The one front door of the otrcm pipeline: encounters, patients, plans of care, authorizations.",
        lifespan=lifespan,
    )
    api.state.runtime = runtime
    api.add_middleware(BodyHygiene)

    @api.middleware("http")
    async def trace_requests(request: Request, call_next: Any) -> Any:
        """One server span per request: the root of the trace that follows the encounter downstream."""
        with runtime.tracer.start_as_current_span(
            "intake.http", kind=SpanKind.SERVER, attributes={"http.request.method": request.method}
        ) as span:
            response = await call_next(request)
            route = request.scope.get("route")
            span.set_attribute("http.route", getattr(route, "path", "unmatched"))
            span.set_attribute("http.response.status_code", response.status_code)
            return response

    @api.exception_handler(RequestValidationError)
    async def schema_errors(_request: Request, error: RequestValidationError) -> JSONResponse:
        found = [
            Violation(path_of(_fastapi_location(item["loc"])), f"schema.{item['type']}", item["msg"])
            for item in error.errors()
        ]
        return _errors(found, 422)

    @api.exception_handler(HTTPException)
    async def http_problems(_request: Request, error: HTTPException) -> JSONResponse:
        path, rule = HTTP_PROBLEMS.get(error.status_code, ("<request>", f"http.{error.status_code}"))
        return _errors([Violation(path, rule, str(error.detail))], error.status_code, error.headers)

    @api.exception_handler(NotAuthenticated)
    async def unauthenticated(_request: Request, _error: NotAuthenticated) -> JSONResponse:
        problem = Violation("headers.x-api-key", "auth.api_key", "a valid API key is required (X-API-Key or Bearer)")
        return _errors([problem], 401)

    async def accept_one(tenant_id: str, item: Any, index: str) -> Acceptance:
        try:
            submission = EncounterSubmission.model_validate(item)
        except ValidationError as error:
            return Acceptance(Outcome.REJECTED, _submitted_id(item), violations=violations_from(error, index))
        for attempt in (1, 2):
            try:
                async with runtime.db.transaction() as session:
                    result = await accept_encounter(session, tenant_id, submission, today())
                    await stage(session, runtime.tables, result.outgoing)
                break
            except IntegrityError:
                if attempt == 2:
                    raise  # a concurrent insert of the same id: the second pass sees it as existing
        if result.outcome is Outcome.ACCEPTED:
            runtime.wake_relay()
        return result

    @api.post(
        "/v1/encounters",
        status_code=202,
        summary="Submit one encounter, or a batch of up to 1,000 (a JSON array)",
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
            "oneOf": [
                {"$ref": "#/components/schemas/EncounterSubmission"},
                {"type": "array", "maxItems": MAX_BATCH, "items": {"$ref": "#/components/schemas/EncounterSubmission"}},
            ]
        }}}}},
    )  # fmt: skip
    async def post_encounters(request: Request, tenant_id: Tenant) -> JSONResponse:
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _errors([Violation("<body>", "schema.json_invalid", "the body is not valid JSON")], 400)
        except RecursionError:
            problem = Violation("<body>", "schema.json_too_deep", "the body nests arrays or objects too deeply")
            return _errors([problem], 400)
        if isinstance(body, list):
            if not 1 <= len(body) <= MAX_BATCH:
                problem = Violation("<body>", "batch.size", f"a batch holds 1 to {MAX_BATCH} encounters")
                return _errors([problem], 422)
            results = [await accept_one(tenant_id, item, str(i)) for i, item in enumerate(body)]
            summary = {outcome.value: sum(r.outcome is outcome for r in results) for outcome in Outcome}
            items = [{"index": i, **r.as_dict()} for i, r in enumerate(results)]
            return JSONResponse({"summary": summary, "results": items}, status_code=200)
        result = await accept_one(tenant_id, body, "")
        return JSONResponse(result.as_dict(), status_code=STATUS_OF[result.outcome])

    api.include_router(status_routes(runtime, status_reader, current_tenant))

    async def respond(result: Recorded | None) -> JSONResponse:
        if result is None:
            return _errors([Violation("plan_id", "plan.exists", "no such plan of care")], 404)
        if result.outcome is Outcome.ACCEPTED:
            runtime.wake_relay()
        return JSONResponse(result.as_dict(), status_code=STATUS_OF[result.outcome])

    @api.post("/v1/patients", status_code=202, summary="Record a patient's demographics and coverage")
    async def post_patient(patient: PatientSubmission, tenant_id: Tenant) -> JSONResponse:
        async with runtime.db.transaction() as session:
            result = await record_patient(session, tenant_id, patient, today())
        return await respond(result)

    @api.post("/v1/plans-of-care", status_code=202, summary="Create a plan of care (or an IEP)")
    async def post_plan(plan: PlanOfCareSubmission, tenant_id: Tenant) -> JSONResponse:
        async with runtime.db.transaction() as session:
            result = await record_plan(session, tenant_id, plan, today())
        return await respond(result)

    @api.post(
        "/v1/plans-of-care/{plan_id}/events",
        status_code=202,
        summary="A later step of a plan: sent, certified, signed, recertified, progress report filed ...",
    )
    async def post_plan_event(plan_id: PlanId, step: PlanEventSubmission, tenant_id: Tenant) -> JSONResponse:
        async with runtime.db.transaction() as session:
            result = await record_plan_event(session, tenant_id, plan_id, step, today())
        return await respond(result)

    @api.post(
        "/v1/patients/{patient_id}/therapy-spend",
        status_code=202,
        summary="Record prior therapy spend by other providers (year, discipline ot|pt_slp, amount, source, as_of)",
    )
    async def post_therapy_spend(
        patient_id: PatientId, spend: TherapySpendSubmission, tenant_id: Tenant
    ) -> JSONResponse:
        async with runtime.db.transaction() as session:
            result = await record_therapy_spend(session, tenant_id, patient_id, spend, today())
        return await respond(result)

    @api.post("/v1/authorizations", status_code=202, summary="Record a payer's authorization")
    async def post_authorization(auth: AuthorizationSubmission, tenant_id: Tenant) -> JSONResponse:
        async with runtime.db.transaction() as session:
            result = await record_authorization(session, tenant_id, auth, today())
        return await respond(result)

    @api.get("/v1/billing-providers", summary="The billing providers registered to your organisation")
    async def get_billing_providers(tenant_id: Tenant) -> JSONResponse:
        async with runtime.db.transaction() as session:
            registered = await registrations_of_tenant(session, tenant_id)
        return JSONResponse({"billing_providers": registered})

    _publish_submission_schema(api)
    return api


def _publish_submission_schema(api: FastAPI) -> None:
    """Put EncounterSubmission (read by hand, for per-item batch results) into the OpenAPI components."""
    generate = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema:
            return api.openapi_schema
        document = generate()
        components = document.setdefault("components", {}).setdefault("schemas", {})
        schema = EncounterSubmission.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components["EncounterSubmission"] = schema
        api.openapi_schema = document
        return document

    api.openapi = openapi  # type: ignore[method-assign]
