"""The intake HTTP API (FastAPI), all under /v1. OpenAPI at /openapi.json, read at /docs (served offline).

Errors use one shape everywhere (``problems.ErrorBody``): ``{"errors": [{"path", "rule", "message",
"severity"}]}``, every error of the request at once; values the client sent are never echoed (they may be PHI).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry.trace import SpanKind
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.domain import stand_ins
from otrcm_intake.domain.key_terms import KEY_HEADER_PATH, Scope
from otrcm_intake.domain.reading import read_record
from otrcm_intake.domain.schema_errors import path_of
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.auth import NotAuthenticated, Refused, tenant_with
from otrcm_intake.entrypoints.billing_profile_routes import billing_profile_routes
from otrcm_intake.entrypoints.claim_action_routes import claim_action_routes
from otrcm_intake.entrypoints.docs_pages import serve_docs_offline
from otrcm_intake.entrypoints.encounter_correction_routes import (
    EncounterCorrection,
    EncounterVoid,
    encounter_correction_routes,
)
from otrcm_intake.entrypoints.encounter_record_routes import encounter_record_routes
from otrcm_intake.entrypoints.http_hygiene import BodyHygiene
from otrcm_intake.entrypoints.patient_routes import patient_routes
from otrcm_intake.entrypoints.problems import (
    BODY_ERRORS,
    COMMON_ERRORS,
    BodyUnreadable,
    error_response,
    json_body,
    json_request_body,
    publish_schemas,
)
from otrcm_intake.entrypoints.record_routes import BODIES, record_routes
from otrcm_intake.entrypoints.status_routes import status_routes
from otrcm_intake.usecases.accept import Acceptance, accept_encounter
from otrcm_intake.usecases.outcomes import Outcome
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.runtime.ops_routes import add_operations_routes
from otrcm_shared.runtime.outbox import stage
from otrcm_shared.runtime.service import ServiceRuntime

MAX_BATCH = 1000
STATUS_OF = {Outcome.ACCEPTED: 202, Outcome.DUPLICATE: 202, Outcome.CONFLICT: 409, Outcome.REJECTED: 422}

# Starlette's own errors (unknown route, wrong method, unreadable body) in the API's error shape.
HTTP_PROBLEMS = {
    400: ("<body>", "schema.body_unreadable"),
    404: ("<url>", "route.exists"),
    405: ("<method>", "route.method_allowed"),
}


Submitter = Annotated[str, Depends(tenant_with(Scope.SUBMIT))]  # the tenant of a key that may submit


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
        docs_url=None,  # served offline by docs_pages
        redoc_url=None,
    )
    api.state.runtime = runtime
    add_operations_routes(api, runtime.ops_routes())  # /health, /ready, /metrics beside the API
    api.state.today = today  # the business date keys' expiry is judged on (auth.py)
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
        return error_response(found, 422)

    @api.exception_handler(BodyUnreadable)
    async def body_unreadable(_request: Request, error: BodyUnreadable) -> JSONResponse:
        return error_response([error.problem], 400)

    @api.exception_handler(HTTPException)
    async def http_problems(_request: Request, error: HTTPException) -> JSONResponse:
        path, rule = HTTP_PROBLEMS.get(error.status_code, ("<request>", f"http.{error.status_code}"))
        return error_response([Violation(path, rule, str(error.detail))], error.status_code, error.headers)

    @api.exception_handler(NotAuthenticated)
    async def unauthenticated(_request: Request, _error: NotAuthenticated) -> JSONResponse:
        problem = Violation(KEY_HEADER_PATH, "auth.api_key", "a valid API key is required (X-API-Key or Bearer)")
        return error_response([problem], 401)

    @api.exception_handler(Refused)
    async def refused(_request: Request, error: Refused) -> JSONResponse:
        return error_response([error.why.violation], error.why.status)

    async def accept_one(tenant_id: str, item: Any) -> Acceptance:
        day = today()
        reading = read_record(EncounterSubmission, item, stand_ins.encounter(day))
        for attempt in (1, 2):
            try:
                async with runtime.db.transaction() as session:
                    result = await accept_encounter(session, tenant_id, reading, day)
                    await stage(session, runtime.tables, result.outgoing)
                break
            except IntegrityError:
                if attempt == 2:
                    raise  # a concurrent insert of the same id: the second pass sees it as existing
        if result.outcome is Outcome.ACCEPTED:
            runtime.wake_relay()
        return result

    async def accept_batch(tenant_id: str, items: list[Any]) -> list[Acceptance]:
        """A batch in one transaction (one commit, one outbox insert); when a concurrent request stored one of its
        ids meanwhile, item by item instead (each then sees the other's row)."""
        day = today()
        readings = [read_record(EncounterSubmission, item, stand_ins.encounter(day)) for item in items]
        try:
            async with runtime.db.transaction() as session:
                results = [await accept_encounter(session, tenant_id, reading, day) for reading in readings]
                await stage(session, runtime.tables, [out for result in results for out in result.outgoing])
        except IntegrityError:
            return [await accept_one(tenant_id, item) for item in items]
        if any(result.outcome is Outcome.ACCEPTED for result in results):
            runtime.wake_relay()
        return results

    @api.post(
        "/v1/encounters",
        status_code=202,
        summary="Submit one encounter, or a batch of up to 1,000 (a JSON array)",
        description="One encounter answers 202 (accepted or duplicate), 409 or 422; a batch answers 200 with a "
        "result per item (`index` counts from 0, as the array does), each in the same shape.",
        responses=BODY_ERRORS,
        openapi_extra=json_request_body(EncounterSubmission, batch=MAX_BATCH),
    )
    async def post_encounters(request: Request, tenant_id: Submitter) -> JSONResponse:
        body = await json_body(request)
        if isinstance(body, list):
            if not 1 <= len(body) <= MAX_BATCH:
                problem = Violation("<body>", "batch.size", f"a batch holds 1 to {MAX_BATCH} encounters")
                return error_response([problem], 422)
            results = await accept_batch(tenant_id, body)
            summary = {outcome.value: sum(r.outcome is outcome for r in results) for outcome in Outcome}
            items = [{"index": i, **r.as_dict()} for i, r in enumerate(results)]
            return JSONResponse({"summary": summary, "results": items}, status_code=200)
        result = await accept_one(tenant_id, body)
        return JSONResponse(result.as_dict(), status_code=STATUS_OF[result.outcome])

    api.include_router(status_routes(runtime, status_reader, tenant_with(Scope.READ)), responses=COMMON_ERRORS)
    api.include_router(
        encounter_record_routes(runtime, status_reader, tenant_with(Scope.READ)), responses=COMMON_ERRORS
    )
    api.include_router(patient_routes(runtime, today), responses=COMMON_ERRORS)
    api.include_router(record_routes(runtime, today, tenant_with(Scope.SUBMIT)))
    api.include_router(billing_profile_routes(runtime), responses=COMMON_ERRORS)
    api.include_router(claim_action_routes(runtime, status_reader), responses=COMMON_ERRORS)
    api.include_router(encounter_correction_routes(runtime, today), responses=COMMON_ERRORS)
    serve_docs_offline(api)
    _publish_read_bodies(api)
    return api


def _publish_read_bodies(api: FastAPI) -> None:
    """The bodies the routes read by hand (to answer every error at once) in the OpenAPI components, and the
    API's error body in place of FastAPI's default 422 body."""
    generate = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema:
            return api.openapi_schema
        document = generate()
        publish_schemas(document, [EncounterSubmission, EncounterCorrection, EncounterVoid, *BODIES])
        api.openapi_schema = document
        return document

    api.openapi = openapi  # type: ignore[method-assign]
