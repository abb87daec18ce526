"""The intruder probes and the input fuzzer (tests/faults/intruders.py, fuzzer.py) against the in-process
intake API, and against stand-in servers that misbehave, to show the checks do fail when they should."""

from __future__ import annotations

import json

import httpx
import pytest

from otrcm_intake.adapters.keys import create_key, revoke_key
from tests.faults.documented_reads import documented_read_routes
from tests.faults.front_door import Samples, body_endpoints
from tests.faults.fuzzer import FuzzReport, fuzz_api
from tests.faults.intruders import IntruderReport, own_ids, probe_intruders
from tests.integration.intake.conftest import Intake

pytestmark = pytest.mark.integration

SAMPLES = Samples.from_examples()
OWN_ENCOUNTER = SAMPLES.encounter["encounter_id"]


async def _revoked_key(intake: Intake, tenant: str) -> str:
    async with intake.runtime.db.transaction() as session:
        key = await create_key(session, tenant)
    async with intake.runtime.db.transaction() as session:
        assert await revoke_key(session, key)
    return key


async def test_intruders_are_refused_and_hostile_text_is_handled(examples_intake: Intake, tenant: str) -> None:
    intake = examples_intake
    clinic = await intake.onboard(tenant, patients=(str(SAMPLES.encounter["patient_id"]),))
    samples = SAMPLES.billed_by(clinic.npi)
    own = clinic.headers["X-API-Key"]
    other_clinic = await intake.onboard(f"{tenant}-other")
    other = other_clinic.headers["X-API-Key"]
    revoked = await _revoked_key(intake, tenant)
    submitted = await intake.client.post("/v1/encounters", json=samples.encounter, headers={"X-API-Key": own})
    assert submitted.status_code == 202, submitted.text

    report = await probe_intruders(
        intake.client,
        own_key=own,
        other_tenant_key=other,
        revoked_key=revoked,
        own_encounter_id=OWN_ENCOUNTER,
        samples=samples,
        other_tenant_npi=other_clinic.npi,
    )

    assert report.violations == []
    assert report.server_errors == 0
    assert report.attempts > 500
    routes = await documented_read_routes(intake.client)
    assert {"/v1/encounters/{encounter_id}", "/v1/worklist", "/v1/plans-of-care/{plan_id}", "/v1/alerts",
            "/v1/authorizations/{authorization_id}"} <= {route.route for route in routes}  # fmt: skip
    endpoints, garbage_key_kinds = len(body_endpoints(samples)) + len(routes), 8
    ours = own_ids(samples, OWN_ENCOUNTER)
    other_tenant_reads = sum(1 for route in routes if not route.parameters or route.filled(ours) is not None)
    assert report.tallies["no_key"].refused_correctly == endpoints
    assert report.tallies["garbage_key"].refused_correctly == endpoints * garbage_key_kinds
    assert report.tallies["revoked_key"].refused_correctly == endpoints * 2
    assert report.tallies["other_tenant"].refused_correctly == other_tenant_reads + 1  # + the plan-step write
    assert report.tallies["other_tenant_npi"].refused_correctly == 1
    assert report.tallies["injection"].attempts > 400
    assert report.tallies["injection"].refused_correctly > report.tallies["injection"].accepted
    assert report.tallies["path_injection"].refused_correctly == report.tallies["path_injection"].attempts
    assert report.tallies["tables_intact"].refused_correctly == 1
    # Control characters never get in, in any field.
    assert not [entry for entry in report.accepted_injections if "nul_byte" in entry or "crlf_header" in entry]


async def test_the_fuzzer_finds_no_server_errors(examples_intake: Intake, tenant: str) -> None:
    intake = examples_intake
    clinic = await intake.onboard(tenant, patients=(str(SAMPLES.encounter["patient_id"]),))

    samples = SAMPLES.billed_by(clinic.npi)
    report = await fuzz_api(
        intake.client, key=clinic.headers["X-API-Key"], samples=samples, examples=150, seed=20260320
    )

    assert report.server_errors == []
    assert report.requests > 100
    assert len(report.mutations) >= 8, report.mutations
    assert report.mutations["query_parameter"] > 0, "the read routes' queries are fuzzed too"
    assert report.mutations["path_parameter"] > 0
    assert report.unshaped_errors == [], "every 4xx but a 409 carries {errors: [{path, rule, message}]}"


# --- the checks themselves can fail ----------------------------------------------------------------------


# What a stand-in server documents: one read route by id and one list.
STAND_IN_OPENAPI = {"paths": {"/v1/encounters/{encounter_id}": {"get": {}}, "/v1/worklist": {"get": {}}}}


class _StandIn(httpx.AsyncBaseTransport):
    """A misbehaving server that still publishes its OpenAPI document (where the probes find routes)."""

    def __init__(self, behaviour: httpx.MockTransport) -> None:
        self._behaviour = behaviour

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/openapi.json":
            return httpx.Response(200, json=STAND_IN_OPENAPI)
        return await self._behaviour.handle_async_request(request)


def _client(handler: httpx.MockTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=_StandIn(handler), base_url="http://stand-in.test")


async def _probe(client: httpx.AsyncClient) -> IntruderReport:
    return await probe_intruders(
        client,
        own_key="own",
        other_tenant_key="other",
        revoked_key="revoked",
        own_encounter_id=OWN_ENCOUNTER,
        samples=SAMPLES,
        other_tenant_npi="1245319599",
    )


def _always(status: int, body: object) -> httpx.MockTransport:
    return httpx.MockTransport(lambda _request: httpx.Response(status, json=body))


async def test_a_server_that_lets_everyone_in_is_reported() -> None:
    """200 without a key, for another tenant, and for every injection, echoing the request back."""

    def echo(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content) if request.content else {}
        return httpx.Response(200, json={"status": "accepted", "encounter_id": OWN_ENCOUNTER, "sent": sent})

    async with _client(httpx.MockTransport(echo)) as client:
        report = await _probe(client)

    assert report.server_errors == 0
    assert report.tallies["no_key"].refused_correctly == 0
    assert any(v.startswith("GET /v1/encounters/{encounter_id} no_key: 200") for v in report.violations)
    assert any("other_tenant: 200" in v for v in report.violations)
    assert any("other_tenant_npi: 200" in v for v in report.violations), "billing as another tenant is caught"
    assert any("echoes the injected value" in v for v in report.violations)
    assert all("DROP TABLE" not in v and "<script>" not in v for v in report.violations), "reports carry no body"


async def test_a_failing_server_is_reported_by_both_tools() -> None:
    async with _client(_always(500, {"detail": "boom"})) as client:
        probed = await _probe(client)
        fuzzed = await fuzz_api(client, key="k", samples=SAMPLES, examples=20, seed=1)

    assert probed.server_errors == probed.attempts
    assert any("tables_intact: 500" in v for v in probed.violations)
    assert isinstance(fuzzed, FuzzReport)
    assert len(fuzzed.server_errors) == fuzzed.requests > 0


async def test_a_crash_inside_an_in_process_app_counts_as_a_server_error() -> None:
    def crash(_request: httpx.Request) -> httpx.Response:
        raise RuntimeError("the app fell over")

    async with _client(httpx.MockTransport(crash)) as client:
        fuzzed = await fuzz_api(client, key="k", samples=SAMPLES, examples=5, seed=1)

    assert fuzzed.server_errors
    assert all(entry.endswith("(RuntimeError)") for entry in fuzzed.server_errors)


async def test_errors_that_name_no_field_and_a_leaky_404_are_reported() -> None:
    """422 without naming the field, and a 404 for another tenant that differs from an unknown id's."""

    def vague(request: httpx.Request) -> httpx.Response:
        if request.headers.get("x-api-key") not in ("own", "other"):
            return httpx.Response(401, json={"errors": [{"path": "headers.x-api-key", "rule": "auth", "message": ""}]})
        if request.method == "GET" and request.headers["x-api-key"] == "other":
            exists = request.url.path.endswith(OWN_ENCOUNTER)
            return httpx.Response(404, json={"errors": [{"path": "id", "rule": "exists", "message": str(exists)}]})
        if request.method == "GET":
            return httpx.Response(200, json={"encounter_id": OWN_ENCOUNTER})
        return httpx.Response(422, json={"errors": [{"path": "<body>", "rule": "bad", "message": "bad"}]})

    async with _client(httpx.MockTransport(vague)) as client:
        report = await _probe(client)

    assert report.server_errors == 0
    assert any("differs from the answer for an unknown id" in v for v in report.violations)
    assert any("the error names no field" in v for v in report.violations)
    assert report.tallies["no_key"].refused_correctly == len(body_endpoints(SAMPLES)) + 2  # + the two read routes
