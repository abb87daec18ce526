"""The OpenAPI document tells the truth about errors, and /docs works offline (issue 17 item 6).

Every POST route declares the API's own error body for 422 (not FastAPI's default ``HTTPValidationError``,
which this API never answers) and documents 413 and 415; real error answers validate against what the
document declares. /docs and /redoc load nothing from outside the service: every script, style sheet and
icon they reference is served by the app itself.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import jsonschema
import pytest

from otrcm_intake.entrypoints.http_hygiene import MAX_BODY_BYTES
from tests.integration.intake.conftest import Intake
from tests.support.intake_samples import patient

pytestmark = pytest.mark.integration

ERROR_BODY = "#/components/schemas/ErrorBody"
REFERENCE = re.compile(
    r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)["']?\s*\)|\burl:\s*["']([^"']+)["']"""
)
OUTSIDE = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+")


def _declared(document: dict[str, Any], operation: dict[str, Any], status: str) -> str | None:
    content = operation["responses"].get(status, {}).get("content", {}).get("application/json", {})
    return content.get("schema", {}).get("$ref")


def _validates(document: dict[str, Any], body: Any) -> None:
    jsonschema.validate(body, {"$ref": ERROR_BODY, "components": document["components"]})


async def test_every_post_route_declares_the_real_error_body_and_413_415(intake: Intake, tenant: str) -> None:
    document = (await intake.client.get("/openapi.json")).json()
    posts = {path: item["post"] for path, item in document["paths"].items() if "post" in item}
    assert set(posts) >= {
        "/v1/encounters", "/v1/patients", "/v1/plans-of-care", "/v1/plans-of-care/{plan_id}/events",
        "/v1/authorizations", "/v1/patients/{patient_id}/therapy-spend",
    }  # fmt: skip
    for path, operation in posts.items():
        for status in ("422", "413", "415", "400", "401"):
            assert _declared(document, operation, status) == ERROR_BODY, f"POST {path} {status}"
        assert str(MAX_BODY_BYTES) in operation["responses"]["413"]["description"]
        body_ref = operation["requestBody"]["content"]["application/json"]["schema"]
        assert "$ref" in body_ref or "oneOf" in body_ref, f"POST {path} documents its body"
    assert "HTTPValidationError" not in str(document), "FastAPI's default 422 body is never answered"
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if "422" in operation.get("responses", {}):
                assert _declared(document, operation, "422") == ERROR_BODY, f"{method.upper()} {path}"


async def test_real_error_answers_are_what_the_document_declares(intake: Intake, tenant: str) -> None:
    document = (await intake.client.get("/openapi.json")).json()
    headers = await intake.key_for(tenant)
    invalid = await intake.client.post("/v1/patients", json=patient(birth_date="5/17/1948", sex="X"), headers=headers)
    assert invalid.status_code == 422
    assert {e["path"] for e in invalid.json()["errors"]} == {"birth_date", "sex"}, "every error at once"
    huge = b"[" + b" " * (MAX_BODY_BYTES + 1) + b"]"
    too_large = await intake.client.post("/v1/patients", content=huge, headers={**headers,
                                         "Content-Type": "application/json"})  # fmt: skip
    not_json = await intake.client.post("/v1/authorizations", content=b"a=1", headers={**headers,
                                        "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert (too_large.status_code, not_json.status_code) == (413, 415)
    for answer in (invalid, too_large, not_json):
        _validates(document, answer.json())


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_docs_pages_load_nothing_from_outside_the_service(intake: Intake, page: str) -> None:
    """Every asset a page references is fetched from the app; no page or style sheet names another host."""
    response = await intake.client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert not OUTSIDE.search(response.text), f"{page} names an outside URL"
    pending = [urljoin(page, ref) for ref in _references(response.text)]
    assert any(ref.endswith(".js") for ref in pending), "the page loads its script"
    fetched: set[str] = set()
    while pending:
        asset = pending.pop()
        if asset in fetched:
            continue
        fetched.add(asset)
        answer = await intake.client.get(asset)
        assert answer.status_code == 200, asset
        assert answer.content, asset
        if asset.endswith(".css"):
            assert not OUTSIDE.search(" ".join(_references(answer.text))), f"{asset} loads an outside resource"
            pending += [urljoin(asset, ref) for ref in _references(answer.text)]
    if page == "/docs":
        assert '"validatorUrl": null' in response.text, "Swagger UI would fetch its validator badge from outside"
        assert {"/docs-assets/swagger-ui-bundle.js", "/docs-assets/swagger-ui.css", "/openapi.json"} <= fetched


def _references(text: str) -> list[str]:
    """What a page or style sheet loads (inline ``data:`` images load nothing)."""
    found = [next(group for group in match.groups() if group) for match in REFERENCE.finditer(text)]
    return [ref for ref in found if not ref.startswith("data:")]
