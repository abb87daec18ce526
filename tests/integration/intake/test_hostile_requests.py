"""Regressions from the intruder probes and the fuzzer, through the real API: each request here used to
answer 500, or echo what it was sent; now each is a 4xx in the API's error shape, naming field and rule."""

from __future__ import annotations

import json

import pytest

from otrcm_intake.entrypoints.http_hygiene import MAX_BODY_BYTES
from tests.integration.intake.conftest import Intake
from tests.support.intake_samples import encounter, patient

pytestmark = pytest.mark.integration


def rules(body: dict[str, object]) -> set[tuple[str, str]]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return {(e["path"], e["rule"]) for e in errors}


async def test_a_nul_byte_in_an_id_of_the_url_is_refused_before_any_query(intake: Intake, tenant: str) -> None:
    """PostgreSQL refuses NUL in text: the query failed and the API answered 500."""
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    status = await intake.client.get("/v1/encounters/enc%00-1", headers=headers)
    assert status.status_code == 422
    assert rules(status.json()) == {("path.encounter_id", "schema.string_pattern_mismatch")}
    step = {"kind": "certified", "event_date": "2026-03-05"}
    event = await intake.client.post("/v1/plans-of-care/plan%00-1/events", json=step, headers=headers)
    assert event.status_code == 422
    assert rules(event.json()) == {("path.plan_id", "schema.string_pattern_mismatch")}
    # The key is still checked first: without one, nothing about the id is revealed.
    assert (await intake.client.get("/v1/encounters/enc%00-1")).status_code == 401


async def test_a_body_nested_too_deeply_is_a_400_not_a_500(intake: Intake, tenant: str) -> None:
    headers = {**await intake.key_for(tenant), "Content-Type": "application/json"}
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    batch = await intake.client.post("/v1/encounters", content=deep, headers=headers)
    assert batch.status_code == 400
    assert rules(batch.json()) == {("<body>", "schema.json_too_deep")}
    record = await intake.client.post("/v1/patients", content=deep, headers=headers)
    assert record.status_code == 400
    assert rules(record.json()) == {("<body>", "schema.json_too_deep")}, "every route answers alike"


async def test_a_malformed_encounter_id_is_never_echoed(intake: Intake, tenant: str) -> None:
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    hostile = "<script>alert(1)</script>"
    single = await intake.client.post("/v1/encounters", json=encounter(hostile), headers=headers)
    assert single.status_code == 422
    assert single.json()["encounter_id"] == ""
    assert ("encounter_id", "schema.string_pattern_mismatch") in rules(single.json())
    assert "script" not in single.text

    batch = [encounter("Z" * 10_000), {**encounter("ok-id"), "lines": "not a list"}]
    answer = await intake.client.post("/v1/encounters", json=batch, headers=headers)
    assert [r["encounter_id"] for r in answer.json()["results"]] == ["", "ok-id"]
    assert "ZZZZ" not in answer.text


async def test_a_lone_surrogate_in_free_text_is_a_422_not_a_500(intake: Intake, tenant: str) -> None:
    """Unconstrained str fields accept it; hashing the record (UTF-8) then failed."""
    headers = {**await intake.key_for(tenant), "Content-Type": "application/json"}
    body = patient("mrn-surrogate")
    body["address"] = {**body["address"], "line1": "12 Elm St \ud800"}
    answer = await intake.client.post("/v1/patients", content=json.dumps(body).encode(), headers=headers)
    assert answer.status_code == 422
    assert rules(answer.json()) == {("address.line1", "text.unicode")}


async def test_control_characters_in_free_text_are_refused(intake: Intake, tenant: str) -> None:
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    answer = await intake.client.post("/v1/patients", json=patient("mrn-nul", last_name="Quill\x00"), headers=headers)
    assert answer.status_code == 422
    assert rules(answer.json()) == {("last_name", "text.no_control_characters")}
    assert "Quill" not in answer.text


async def test_unknown_routes_and_methods_answer_in_the_error_shape(intake: Intake, tenant: str) -> None:
    clinic = await intake.onboard(tenant)
    headers = clinic.headers
    missing = await intake.client.get("/v1/nowhere", headers=headers)
    assert missing.status_code == 404
    assert rules(missing.json()) == {("<url>", "route.exists")}
    wrong = await intake.client.delete("/v1/encounters/enc-1", headers=headers)
    assert wrong.status_code == 405
    assert rules(wrong.json()) == {("<method>", "route.method_allowed")}
    assert "GET" in wrong.headers["allow"]


async def test_a_body_that_is_not_json_is_415_and_a_body_over_the_limit_is_413(intake: Intake, tenant: str) -> None:
    """Issue 17: text/plain and form bodies used to be parsed as JSON, and a 50 MB body was read in full."""
    headers = await intake.key_for(tenant)
    body = json.dumps(patient("mrn-hygiene")).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        sent = {**headers, **({"Content-Type": content_type} if content_type else {})}
        answer = await intake.client.post("/v1/patients", content=body, headers=sent)
        assert answer.status_code == 415, content_type
        assert rules(answer.json()) == {("headers.content-type", "http.media_type")}
    huge = b"[" + b" " * (MAX_BODY_BYTES + 1) + b"]"
    too_large = await intake.client.post(
        "/v1/encounters", content=huge, headers={**headers, "Content-Type": "application/json"}
    )
    assert too_large.status_code == 413
    assert rules(too_large.json()) == {("<body>", "http.body_too_large")}
    fine = await intake.client.post(
        "/v1/patients", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert fine.status_code == 202
