"""Intruders at the intake API (a library: the tests that use it live elsewhere).

``probe_intruders`` knocks on every endpoint (every POST route, and every GET route the API's own
OpenAPI document lists) without a key, with made-up keys and with a revoked key (each must be refused
with 401), reads each of another tenant's records through every documented read route (404,
indistinguishable from an unknown id; a list never names them), bills under another tenant's NPI
(422 ``billing_provider.registered``), and plants hostile strings into every text field of a valid
body and into every id of a URL, one at a time (the answer must be below 500: accepted, or refused
with an error that names the field).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from tests.faults.documented_reads import ReadRoute, documented_read_routes, never_existed
from tests.faults.front_door import (
    Answer,
    Body,
    Endpoint,
    FieldPath,
    Headers,
    Samples,
    body_endpoints,
    create_the_sample_plan,
    dotted,
    encounter_status_endpoint,
    fresh_id,
    json_bytes,
    key_header,
    plan_event_endpoint,
    replaced,
    send,
    string_paths,
    strings_in,
)

# ---------------------------------------------------------------------------------------------------
# Intruders
# ---------------------------------------------------------------------------------------------------

INJECTIONS: dict[str, str] = {
    "sql_drop_table": "'; DROP TABLE encounters; --",
    "sql_tautology": '" OR 1=1 --',
    "script_tag": "<script>alert(1)</script>",
    "template": "{{7*7}}",
    "jndi_lookup": "${jndi:ldap://x}",
    "path_traversal": "../../etc/passwd",
    "nul_byte": "gw\x00-1001",
    "crlf_header": "x\r\nX-Injected: yes",
    "ten_thousand_chars": "Z" * 10_000,
    "rtl_and_emoji": "\u202egnp.exe\u202c \U0001f600\u200d\U0001f525 \ufeff",
    "format_string": "%s%n%x%n",
    "arabic_indic_digits": "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0663",  # 1234567893
}

# Each value is a header set that carries no usable key.
GARBAGE_KEYS: dict[str, Headers] = {
    "empty": {"X-API-Key": ""},
    "made_up": {"X-API-Key": "otrcm_" + "q" * 43},
    "sql": {"X-API-Key": "' OR '1'='1"},
    "latin1_bytes": {"X-API-Key": b"\xff\xfe\xe9"},
    "very_long": {"X-API-Key": "k" * 8_192},
    "bearer_empty": {"Authorization": "Bearer "},
    "bearer_made_up": {"Authorization": "Bearer otrcm_not-a-key"},
    "basic_scheme": {"Authorization": "Basic b3RyY206b3RyY20="},
}


@dataclass
class ProbeTally:
    """``refused_correctly``: the answer the probe demanded; ``accepted``: a 2xx that was allowed."""

    attempts: int = 0
    refused_correctly: int = 0
    accepted: int = 0


@dataclass
class IntruderReport:
    tallies: dict[str, ProbeTally] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    server_errors: int = 0
    accepted_injections: list[str] = field(default_factory=list)

    @property
    def attempts(self) -> int:
        return sum(tally.attempts for tally in self.tallies.values())

    def tally(self, kind: str) -> ProbeTally:
        return self.tallies.setdefault(kind, ProbeTally())

    def count(self, kind: str, answer: Answer) -> None:
        self.tally(kind).attempts += 1
        if answer.is_server_error:
            self.server_errors += 1

    def refused(self, kind: str) -> None:
        self.tally(kind).refused_correctly += 1

    def violation(self, endpoint: str, kind: str, answer: Answer, why: str = "") -> None:
        detail = f" ({answer.crash})" if answer.crash else ""
        reason = f" {why}" if why else ""
        self.violations.append(f"{endpoint} {kind}: {answer.status}{detail}{reason}")


async def _probe_unauthenticated(
    client: httpx.AsyncClient, report: IntruderReport, endpoints: list[Endpoint], revoked_key: str
) -> None:
    header_sets: list[tuple[str, Headers]] = [("no_key", {})]
    header_sets += [(f"garbage_key[{name}]", headers) for name, headers in GARBAGE_KEYS.items()]
    header_sets += [("revoked_key", {"X-API-Key": revoked_key})]
    header_sets += [("revoked_key[bearer]", {"Authorization": f"Bearer {revoked_key}"})]
    for endpoint in endpoints:
        content = None if endpoint.body is None else json_bytes(endpoint.body)
        for name, headers in header_sets:
            kind = name.split("[")[0]
            sent_headers = {**headers, "Content-Type": "application/json"}
            answer = await send(client, endpoint.method, endpoint.url, headers=sent_headers, content=content)
            report.count(kind, answer)
            if answer.status == 401:
                report.refused(kind)
            else:
                report.violation(endpoint.label, name, answer, "expected 401")


def own_ids(samples: Samples, encounter_id: str) -> dict[str, str]:
    """The ids of the records the probes create for the first tenant, by path-parameter name."""
    ids = {
        "encounter_id": encounter_id,
        "patient_id": str(samples.patient["patient_id"]),
        "plan_id": str(samples.plan["plan_id"]),
    }
    if "authorization_id" in samples.authorization:
        ids["authorization_id"] = str(samples.authorization["authorization_id"])
    return ids


def read_endpoints(routes: list[ReadRoute], ids: dict[str, str]) -> list[Endpoint]:
    """Every documented read route, filled with our ids where we know them, else with an unknown id."""
    return [route.filled(ids) or route.with_every_parameter(never_existed()) for route in routes]


async def _probe_other_tenant_reads(
    client: httpx.AsyncClient, report: IntruderReport, routes: list[ReadRoute], ids: dict[str, str], other_key: str
) -> None:
    """Each documented read with another tenant's key: our record answers exactly as an id that does not
    exist (404), and a list route never carries one of our ids."""
    kind = "other_tenant"
    theirs = key_header(other_key)
    ours_text = set(ids.values())
    for route in routes:
        ours = route.filled(ids)
        if route.parameters and ours is None:
            continue  # no record of ours to ask for: the unknown-id answer is all there is
        endpoint = ours or route.with_every_parameter("")
        answer = await send(client, "GET", endpoint.url, headers=theirs)
        report.count(kind, answer)
        if not route.parameters:
            leaked = ours_text.intersection(strings_in(answer.document))
            if answer.is_server_error or leaked:
                report.violation(endpoint.label, kind, answer, f"names the other tenant's ids {sorted(leaked)}")
            else:
                report.refused(kind)
            continue
        baseline = await send(client, "GET", route.with_every_parameter(never_existed()).url, headers=theirs)
        if answer.status != 404:
            report.violation(endpoint.label, kind, answer, "expected 404")
        elif answer.document != baseline.document:
            report.violation(endpoint.label, kind, answer, "differs from the answer for an unknown id")
        else:
            report.refused(kind)


async def _probe_other_tenant_write(
    client: httpx.AsyncClient, report: IntruderReport, samples: Samples, other_key: str
) -> None:
    """Another tenant's write of our plan answers exactly as for a plan that does not exist."""
    kind = "other_tenant"
    theirs = key_header(other_key)
    step = plan_event_endpoint(samples.plan_event_plan_id, samples.plan_event)
    answer = await send(client, "POST", step.url, headers=theirs, content=json_bytes(samples.plan_event))
    report.count(kind, answer)
    if answer.status == 404:
        report.refused(kind)
    else:
        report.violation(step.label, kind, answer, "expected 404")


async def _probe_other_tenants_npi(
    client: httpx.AsyncClient, report: IntruderReport, samples: Samples, own_key: str, other_npi: str
) -> None:
    """An encounter billed under another tenant's registered NPI is refused (422) naming the field and the
    rule, exactly as an unregistered NPI would be: the answer never says whose NPI it is."""
    kind = "other_tenant_npi"
    body = {**samples.encounter, "encounter_id": fresh_id("posing"), "billing_provider_npi": other_npi}
    answer = await send(client, "POST", "/v1/encounters", headers=key_header(own_key), content=json_bytes(body))
    report.count(kind, answer)
    errors = answer.document.get("errors", []) if isinstance(answer.document, dict) else []
    rules = {(e.get("path"), e.get("rule")) for e in errors if isinstance(e, dict)}
    if answer.status == 422 and ("billing_provider_npi", "billing_provider.registered") in rules:
        report.refused(kind)
    else:
        report.violation("POST /v1/encounters", kind, answer, "expected 422 billing_provider.registered")


def _names_field(answer: Answer, field_path: str) -> bool:
    """An error path is the field, lies inside it, or is its parent (batch prefixes aside)."""
    for path in answer.error_paths():
        if path == field_path or path.startswith(field_path + ".") or field_path.startswith(path + "."):
            return True
    return False


def _injected_body(endpoint: Endpoint, path: FieldPath, payload: str) -> Body:
    body: Body = replaced(endpoint.body, path, payload)
    if endpoint.fresh_id_field and path != (endpoint.fresh_id_field,):
        body[endpoint.fresh_id_field] = fresh_id("inj")
    return body


def _judge_injection(
    report: IntruderReport, label: str, kind: str, field_path: str, payload: str, answer: Answer
) -> None:
    report.count("injection", answer)
    where = f"{kind}@{field_path}"
    if answer.is_server_error:
        report.violation(label, where, answer)
    elif answer.echoes(payload):
        report.violation(label, where, answer, "the answer echoes the injected value")
    elif 200 <= answer.status < 300:
        report.tally("injection").accepted += 1
        report.accepted_injections.append(f"{label} {where}")
    elif answer.status == 409 or _names_field(answer, field_path):
        report.refused("injection")
    else:
        report.violation(label, where, answer, "the error names no field it was given")


async def _probe_body_injections(
    client: httpx.AsyncClient, report: IntruderReport, endpoint: Endpoint, key: str
) -> None:
    for path in string_paths(endpoint.body):
        for kind, payload in INJECTIONS.items():
            content = json_bytes(_injected_body(endpoint, path, payload))
            answer = await send(client, "POST", endpoint.url, headers=key_header(key), content=content)
            _judge_injection(report, endpoint.label, kind, dotted(path), payload, answer)


async def _probe_path_injections(
    client: httpx.AsyncClient, report: IntruderReport, samples: Samples, key: str, routes: list[ReadRoute]
) -> None:
    """Hostile ids in the URL of every route that takes one: any answer below 500 that does not echo them."""
    for kind, payload in INJECTIONS.items():
        endpoints = [route.with_every_parameter(payload) for route in routes if route.parameters]
        endpoints.append(plan_event_endpoint(payload, samples.plan_event))
        for endpoint in endpoints:
            content = None if endpoint.body is None else json_bytes(endpoint.body)
            answer = await send(client, endpoint.method, endpoint.url, headers=key_header(key), content=content)
            report.count("path_injection", answer)
            if answer.is_server_error or answer.echoes(payload) or answer.status < 400:
                report.violation(endpoint.label, f"path_injection[{kind}]", answer)
            else:
                report.refused("path_injection")


async def _probe_still_readable(client: httpx.AsyncClient, report: IntruderReport, key: str, encounter_id: str) -> None:
    endpoint = encounter_status_endpoint(encounter_id)
    answer = await send(client, "GET", endpoint.url, headers=key_header(key))
    report.count("tables_intact", answer)
    document = answer.document if isinstance(answer.document, dict) else {}
    if answer.status == 200 and document.get("encounter_id") == encounter_id:
        report.refused("tables_intact")  # "correct" here: the encounter is still there
    else:
        report.violation(endpoint.label, "tables_intact", answer, "own encounter not readable after the probes")


async def probe_intruders(
    client: httpx.AsyncClient,
    *,
    own_key: str,
    other_tenant_key: str,
    revoked_key: str,
    own_encounter_id: str,
    samples: Samples,
    other_tenant_npi: str | None = None,
) -> IntruderReport:
    """Every intruder probe against the API behind ``client``; ``own_encounter_id`` must exist for ``own_key``.

    Creates the sample patient and plan for ``own_key``'s tenant, and records with fresh ids for each
    injection that the API accepts.
    """
    report = IntruderReport()
    routes = await documented_read_routes(client)
    ids = own_ids(samples, own_encounter_id)
    setup = await create_the_sample_plan(client, own_key, samples)
    for route, status in zip(("/v1/patients", "/v1/plans-of-care"), setup, strict=True):
        if not 200 <= status < 300:
            report.violations.append(f"POST {route} setup: {status} (the sample plan is needed)")
    endpoints = [*body_endpoints(samples), *read_endpoints(routes, ids)]
    await _probe_unauthenticated(client, report, endpoints, revoked_key)
    await _probe_other_tenant_reads(client, report, routes, ids, other_tenant_key)
    await _probe_other_tenant_write(client, report, samples, other_tenant_key)
    if other_tenant_npi is not None:
        await _probe_other_tenants_npi(client, report, samples, own_key, other_tenant_npi)
    for endpoint in body_endpoints(samples):
        await _probe_body_injections(client, report, endpoint, own_key)
    await _probe_path_injections(client, report, samples, own_key, routes)
    await _probe_still_readable(client, report, own_key, own_encounter_id)
    return report
