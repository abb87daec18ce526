"""The API's one error shape, as answers and as the OpenAPI document declares them.

Every error answer (400, 401, 404, 405, 409, 413, 415, 422, 503) is ``{"errors": [Problem, ...]}``; an
answer about one record also says its ``status`` and the record's id (``encounter_id`` for an encounter,
``id`` for the other records). Values the client sent are never echoed (they may be PHI).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.http_hygiene import MAX_BODY_BYTES


class Problem(BaseModel):
    """One broken rule: where, which rule, and what to do about it."""

    path: str = Field(
        description="The field at fault, dotted; list positions count from 1 (`lines.2.minutes` is the line whose "
        "`line_number` is 2). `<body>`, `<url>`, `headers.content-type` ... for the request itself."
    )
    rule: str = Field(description="A stable rule id, e.g. `npi.check_digit`, `schema.missing`.")
    message: str = Field(description="What to do about it, e.g. the date format expected; never the value sent.")
    severity: Literal["error", "warning"] = "error"


class ErrorBody(BaseModel):
    """Every error of the request at once, one per problem."""

    status: Literal["rejected", "conflict"] | None = Field(
        default=None, description="Present when the answer is about one record."
    )
    id: str | None = Field(default=None, description="The record's id, when it could be read (not for encounters).")
    encounter_id: str | None = Field(default=None, description="The encounter's id, when it could be read.")
    errors: list[Problem]
    warnings: list[Problem] = Field(default_factory=list, description="Accepted with these warnings.")


class RecordAnswer(BaseModel):
    """What became of a record: accepted, or a duplicate of what was already recorded."""

    status: Literal["accepted", "duplicate"]
    id: str


class BodyUnreadable(Exception):
    """The body is not JSON (or nests too deeply to be read): 400 with the problem."""

    def __init__(self, problem: Violation) -> None:
        super().__init__(problem.rule)
        self.problem = problem


async def json_body(request: Request) -> Any:
    """The request's body as decoded JSON (any JSON value); :class:`BodyUnreadable` when it is not JSON."""
    try:
        return json.loads(await request.body())
    except ValueError:
        raise BodyUnreadable(Violation("<body>", "schema.json_invalid", "the body is not valid JSON")) from None
    except RecursionError:
        problem = Violation("<body>", "schema.json_too_deep", "the body nests arrays or objects too deeply")
        raise BodyUnreadable(problem) from None


def error_response(violations: list[Violation], status: int, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": [v.as_dict() for v in violations]}, status_code=status, headers=headers)


def _described(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# The error answers every route may give, for the OpenAPI document.
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _described("No valid API key (`auth.api_key`)."),
    422: _described("Invalid: every error of the request, each naming the field and the rule."),
}
# ... and those of a route that takes a body.
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    **COMMON_ERRORS,
    400: _described("The body is not JSON (`schema.json_invalid`, `schema.json_too_deep`)."),
    409: _described("The id was already recorded with different content (`idempotency.same_content`)."),
    413: _described(f"The body is larger than {MAX_BODY_BYTES} bytes (`http.body_too_large`)."),
    415: _described("The body is not sent as `Content-Type: application/json` (`http.media_type`)."),
}


def json_request_body(model: type[BaseModel], *, batch: int | None = None) -> dict[str, Any]:
    """``openapi_extra`` declaring a JSON body of ``model`` (or of up to ``batch`` of them) for a route that reads
    its body itself (to answer every error at once); the model's schema is added by :func:`publish_schemas`."""
    single = {"$ref": f"#/components/schemas/{model.__name__}"}
    schema = single if batch is None else {"oneOf": [single, {"type": "array", "maxItems": batch, "items": single}]}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def publish_schemas(document: dict[str, Any], models: list[type[BaseModel]]) -> None:
    """Put the models read by hand into the document's components, and FastAPI's default 422 body (which this
    API never answers) out of it: every reference to it points at :class:`ErrorBody`."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    published: list[type[BaseModel]] = [*models, ErrorBody]
    for model in published:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    if not any(name in components for name in ("HTTPValidationError", "ValidationError")):
        return
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    text = json.dumps(document).replace("#/components/schemas/HTTPValidationError", "#/components/schemas/ErrorBody")
    document.clear()
    document.update(json.loads(text))
