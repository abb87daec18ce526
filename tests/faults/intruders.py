"""Intruders and an input fuzzer for the intake API (a library: the tests that use it live elsewhere).

``probe_intruders`` knocks on every endpoint without a key, with made-up keys and with a revoked key
(each must be refused with 401), reads another tenant's encounter (404, indistinguishable from an
unknown id), and plants hostile strings into every text field of a valid body, one field at a time
(the answer must be below 500: accepted, or refused with an error that names the field).

``fuzz_api`` mutates valid bodies with hypothesis (dropped fields, values of the wrong type, unknown
fields, raw tokens JSON does not allow, bodies that are not JSON at all, wrong content types, odd path
parameters) and counts the answers of 500 and above.

Reports name the endpoint, the kind of probe or mutation, a field path and a status code; they never
carry a body, since a body may hold PHI.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples" / "missouri_clinic"

Body = dict[str, Any]
FieldPath = tuple[str | int, ...]

# ---------------------------------------------------------------------------------------------------
# Samples and endpoints
# ---------------------------------------------------------------------------------------------------


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Samples:
    """One valid body per POST endpoint; ``plan_event`` belongs to the plan ``plan_event_plan_id``."""

    encounter: Body
    patient: Body
    plan: Body
    plan_event: Body
    plan_event_plan_id: str
    authorization: Body

    @classmethod
    def from_examples(cls, root: Path = EXAMPLES_DIR) -> Samples:
        """The first certification's plan, its patient, the first encounter and the first authorization.

        ``root`` is the directory holding the example files (``examples/missouri_clinic``). Optional
        text fields the examples leave out get a valid value, so the injections reach them too.
        """
        certification = dict(_read_json(root / "certifications.json")[0])
        plan_id = str(certification.pop("plan_id"))
        plan = next(p for p in _read_json(root / "plans.json") if p["plan_id"] == plan_id)
        patient = next(p for p in _read_json(root / "patients.json") if p["patient_id"] == plan["patient_id"])
        encounter_lines = (root / "encounters.jsonl").read_text(encoding="utf-8").splitlines()
        return cls(
            encounter=_with_optional_encounter_text(json.loads(encounter_lines[0])),
            patient=_with_optional_patient_text(patient),
            plan={"discipline": "OT", **plan},
            plan_event={**certification, "reason": "signed copy received by fax"},
            plan_event_plan_id=plan_id,
            authorization={"unit": "visits", **_read_json(root / "authorizations.json")[0]},
        )


def _with_optional_encounter_text(encounter: Body) -> Body:
    changed = copy.deepcopy(encounter)
    changed.setdefault("discipline", "OT")
    changed["lines"][0].setdefault("modifiers", ["59"])
    return changed


def _with_optional_patient_text(patient: Body) -> Body:
    changed = copy.deepcopy(patient)
    changed["address"].setdefault("line2", "Suite 2")
    changed["coverages"][0].setdefault("group_number", "GRP-100")
    changed["coverages"][0].setdefault("relationship_to_subscriber", "18")
    return changed


@dataclass(frozen=True)
class Endpoint:
    """A route with a valid body for it; ``fresh_id_field`` names the id that must be new per request."""

    method: str
    route: str
    url: str
    body: Body | None = None
    fresh_id_field: str | None = None

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}"


def _segment(text: str) -> str:
    return quote(text, safe="")


def encounter_status_endpoint(encounter_id: str) -> Endpoint:
    return Endpoint("GET", "/v1/encounters/{encounter_id}", f"/v1/encounters/{_segment(encounter_id)}")


def plan_event_endpoint(plan_id: str, body: Body) -> Endpoint:
    url = f"/v1/plans-of-care/{_segment(plan_id)}/events"
    return Endpoint("POST", "/v1/plans-of-care/{plan_id}/events", url, body)


def body_endpoints(samples: Samples) -> list[Endpoint]:
    """Every POST route with its sample body."""
    return [
        Endpoint("POST", "/v1/encounters", "/v1/encounters", samples.encounter, "encounter_id"),
        Endpoint("POST", "/v1/patients", "/v1/patients", samples.patient),
        Endpoint("POST", "/v1/plans-of-care", "/v1/plans-of-care", samples.plan, "plan_id"),
        plan_event_endpoint(samples.plan_event_plan_id, samples.plan_event),
        Endpoint("POST", "/v1/authorizations", "/v1/authorizations", samples.authorization),
    ]


def every_endpoint(samples: Samples, encounter_id: str) -> list[Endpoint]:
    return [*body_endpoints(samples), encounter_status_endpoint(encounter_id)]


def _fresh_id(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:16]}"


async def _create_the_sample_plan(client: httpx.AsyncClient, key: str, samples: Samples) -> list[int]:
    """The patient and the plan the plan-event sample refers to (so that route reaches its validation)."""
    statuses = []
    for route, body in (("/v1/patients", samples.patient), ("/v1/plans-of-care", samples.plan)):
        answer = await send(client, "POST", route, headers=_key_header(key), content=_json_bytes(body))
        statuses.append(answer.status)
    return statuses


# ---------------------------------------------------------------------------------------------------
# Sending and reading answers
# ---------------------------------------------------------------------------------------------------

# Errors that mean the request could not even be built or sent: a bug in the probe, not in the server.
_CLIENT_SIDE_ERRORS = (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.LocalProtocolError)


@dataclass(frozen=True)
class Answer:
    """A response reduced to what the checks need; ``crash`` names an exception the app let escape."""

    status: int
    document: Any = None
    crash: str | None = None

    @property
    def is_server_error(self) -> bool:
        return self.status >= 500

    def error_paths(self) -> list[str]:
        errors = self.document.get("errors") if isinstance(self.document, dict) else None
        if not isinstance(errors, list):
            return []
        return [str(e.get("path")) for e in errors if isinstance(e, dict)]

    def has_error_shape(self) -> bool:
        """``{"errors": [{"path", "rule", "message", ...}, ...]}`` with at least one error."""
        errors = self.document.get("errors") if isinstance(self.document, dict) else None
        return bool(errors) and all(
            isinstance(e, dict) and {"path", "rule", "message"} <= e.keys() for e in errors or []
        )

    def echoes(self, text: str) -> bool:
        """True when any string in the JSON answer contains ``text`` (a value the client sent)."""
        return any(text in found for found in _strings_in(self.document))


def _strings_in(document: Any) -> Iterator[str]:
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield str(key)
            yield from _strings_in(value)
    elif isinstance(document, list):
        for item in document:
            yield from _strings_in(item)


Headers = dict[str, str | bytes]


def _header_pairs(headers: Headers) -> list[tuple[bytes, bytes]]:
    """Raw header pairs, so a probe can send bytes that are not text. Text values lose surrounding blanks:
    HTTP/1.1 forbids them on the wire (an in-process transport would pass them, a real one refuses)."""
    pairs = []
    for name, value in headers.items():
        pairs.append((name.encode(), value if isinstance(value, bytes) else value.strip().encode()))
    return pairs


async def send(
    client: httpx.AsyncClient, method: str, url: str, *, headers: Headers | None = None, content: bytes | None = None
) -> Answer:
    """One request; an exception escaping an in-process app (or a dropped connection) is a 500."""
    try:
        response = await client.request(method, url, headers=_header_pairs(headers or {}), content=content)
    except _CLIENT_SIDE_ERRORS:
        raise
    except Exception as error:  # the app crashed: that is exactly what the probes look for
        return Answer(500, crash=type(error).__name__)
    try:
        document = response.json()
    except ValueError:
        document = None
    return Answer(response.status_code, document)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _key_header(key: str) -> Headers:
    return {"X-API-Key": key, "Content-Type": "application/json"}


# ---------------------------------------------------------------------------------------------------
# Walking JSON bodies
# ---------------------------------------------------------------------------------------------------


def value_paths(value: Any, prefix: FieldPath = ()) -> Iterator[FieldPath]:
    """The path of every member and item below ``value``, depth first."""
    children: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    for step, child in children:
        yield (*prefix, step)
        yield from value_paths(child, (*prefix, step))


def value_at(value: Any, path: FieldPath) -> Any:
    for step in path:
        value = value[step]
    return value


def string_paths(body: Any) -> list[FieldPath]:
    return [path for path in value_paths(body) if isinstance(value_at(body, path), str)]


def object_paths(body: Any) -> list[FieldPath]:
    """The body itself (when an object) and every object nested in it."""
    found: list[FieldPath] = [()] if isinstance(body, dict) else []
    return found + [path for path in value_paths(body) if isinstance(value_at(body, path), dict)]


def replaced(body: Any, path: FieldPath, new_value: Any) -> Any:
    """A deep copy of ``body`` with the value at ``path`` replaced."""
    changed = copy.deepcopy(body)
    value_at(changed, path[:-1])[path[-1]] = new_value
    return changed


def removed(body: Any, path: FieldPath) -> Any:
    """A deep copy of ``body`` without the member or item at ``path``."""
    changed = copy.deepcopy(body)
    del value_at(changed, path[:-1])[path[-1]]
    return changed


def dotted(path: FieldPath) -> str:
    return ".".join(str(step) for step in path)


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
        content = None if endpoint.body is None else _json_bytes(endpoint.body)
        for name, headers in header_sets:
            kind = name.split("[")[0]
            sent_headers = {**headers, "Content-Type": "application/json"}
            answer = await send(client, endpoint.method, endpoint.url, headers=sent_headers, content=content)
            report.count(kind, answer)
            if answer.status == 401:
                report.refused(kind)
            else:
                report.violation(endpoint.label, name, answer, "expected 401")


async def _probe_other_tenant(
    client: httpx.AsyncClient, report: IntruderReport, samples: Samples, other_key: str, encounter_id: str
) -> None:
    """Another tenant's reads and writes of our records answer exactly as for ids that do not exist."""
    kind = "other_tenant"
    theirs = _key_header(other_key)
    ours = encounter_status_endpoint(encounter_id)
    unknown = encounter_status_endpoint(_fresh_id("never-existed"))
    answer = await send(client, "GET", ours.url, headers=theirs)
    baseline = await send(client, "GET", unknown.url, headers=theirs)
    report.count(kind, answer)
    if answer.status != 404:
        report.violation(ours.label, kind, answer, "expected 404")
    elif answer.document != baseline.document:
        report.violation(ours.label, kind, answer, "differs from the answer for an unknown id")
    else:
        report.refused(kind)

    step = plan_event_endpoint(samples.plan_event_plan_id, samples.plan_event)
    answer = await send(client, "POST", step.url, headers=theirs, content=_json_bytes(samples.plan_event))
    report.count(kind, answer)
    if answer.status == 404:
        report.refused(kind)
    else:
        report.violation(step.label, kind, answer, "expected 404")


def _names_field(answer: Answer, field_path: str) -> bool:
    """An error path is the field, lies inside it, or is its parent (batch prefixes aside)."""
    for path in answer.error_paths():
        if path == field_path or path.startswith(field_path + ".") or field_path.startswith(path + "."):
            return True
    return False


def _injected_body(endpoint: Endpoint, path: FieldPath, payload: str) -> Body:
    body: Body = replaced(endpoint.body, path, payload)
    if endpoint.fresh_id_field and path != (endpoint.fresh_id_field,):
        body[endpoint.fresh_id_field] = _fresh_id("inj")
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
            content = _json_bytes(_injected_body(endpoint, path, payload))
            answer = await send(client, "POST", endpoint.url, headers=_key_header(key), content=content)
            _judge_injection(report, endpoint.label, kind, dotted(path), payload, answer)


async def _probe_path_injections(client: httpx.AsyncClient, report: IntruderReport, samples: Samples, key: str) -> None:
    """Hostile ids in the URL: any answer below 500 that does not echo them."""
    for kind, payload in INJECTIONS.items():
        for endpoint in (encounter_status_endpoint(payload), plan_event_endpoint(payload, samples.plan_event)):
            content = None if endpoint.body is None else _json_bytes(endpoint.body)
            answer = await send(client, endpoint.method, endpoint.url, headers=_key_header(key), content=content)
            report.count("path_injection", answer)
            if answer.is_server_error or answer.echoes(payload) or answer.status < 400:
                report.violation(endpoint.label, f"path_injection[{kind}]", answer)
            else:
                report.refused("path_injection")


async def _probe_still_readable(client: httpx.AsyncClient, report: IntruderReport, key: str, encounter_id: str) -> None:
    endpoint = encounter_status_endpoint(encounter_id)
    answer = await send(client, "GET", endpoint.url, headers=_key_header(key))
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
) -> IntruderReport:
    """Every intruder probe against the API behind ``client``; ``own_encounter_id`` must exist for ``own_key``.

    Creates the sample patient and plan for ``own_key``'s tenant, and records with fresh ids for each
    injection that the API accepts.
    """
    report = IntruderReport()
    setup = await _create_the_sample_plan(client, own_key, samples)
    for route, status in zip(("/v1/patients", "/v1/plans-of-care"), setup, strict=True):
        if not 200 <= status < 300:
            report.violations.append(f"POST {route} setup: {status} (the sample plan is needed)")
    await _probe_unauthenticated(client, report, every_endpoint(samples, own_encounter_id), revoked_key)
    await _probe_other_tenant(client, report, samples, other_tenant_key, own_encounter_id)
    for endpoint in body_endpoints(samples):
        await _probe_body_injections(client, report, endpoint, own_key)
    await _probe_path_injections(client, report, samples, own_key)
    await _probe_still_readable(client, report, own_key, own_encounter_id)
    return report


# ---------------------------------------------------------------------------------------------------
# Input fuzzer
# ---------------------------------------------------------------------------------------------------

# A JSON text token put in place of one value; the body around it stays valid JSON.
RAW_TOKENS = (
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e999",
    "1e308",
    "4.9e-324",
    "-0",
    "1" + "0" * 5000,
    "0x1F",
    "01",
    "1.",
    ".5",
    "+1",
    "undefined",
    "'single'",
    "[1,]",
    '{"a":1,}',
    '"\\ud800"',
    '"unterminated',
)
_RAW_MARK = "\ue000raw-token\ue000"
CONTENT_TYPES = (
    None,
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/json; charset=utf-16",
    "application/vnd.api+json",
    "application/json; charset=latin-1",
    "*/*",
    "application",
)
NESTING_DEPTHS = (64, 999, 1_001, 5_000, 100_000)

json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**256),
    st.integers(min_value=-(2**256), max_value=-(2**63) + 2),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 5e-324, -0.0, 0.5]),
    st.sampled_from(["NaN", "Infinity", "1e308", "", " ", "null", "0", "-1", "9999-12-31", "0001-01-01"]),
    st.sampled_from(["2026-02-30", "2026-13-01", "20260301", "\x00", "\r\n", "\U0010ffff", "Z" * 70_000]),
    st.text(max_size=80),
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=25,
)


@dataclass(frozen=True)
class FuzzCase:
    """One generated request before its fresh id is filled in (``body`` is JSON, unless ``raw`` is set)."""

    endpoint: Endpoint
    mutation: str
    body: Any = None
    raw: bytes | None = None
    raw_token: str | None = None
    content_type: str | None = "application/json"

    def content(self, fresh_id: str) -> bytes | None:
        if self.raw is not None:
            return self.raw
        if self.body is None and self.raw_token is None:
            return None
        text = json.dumps(_with_fresh_id(self.body, self.endpoint, fresh_id), ensure_ascii=False)
        if self.raw_token is not None:
            text = text.replace(json.dumps(_RAW_MARK, ensure_ascii=False), self.raw_token, 1)
        return text.encode("utf-8")


def _with_fresh_id(body: Any, endpoint: Endpoint, fresh_id: str) -> Any:
    """The body (or each object of a batch) with the sample's id, where it is left, swapped for ``fresh_id``."""
    id_field = endpoint.fresh_id_field
    if id_field is None or endpoint.body is None:
        return body
    if isinstance(body, list):
        return [_with_fresh_id(item, endpoint, fresh_id) for item in body]
    if isinstance(body, dict) and body.get(id_field) == endpoint.body[id_field]:
        return {**body, id_field: fresh_id}
    return body


@dataclass(frozen=True)
class FuzzRequest:
    endpoint: str
    mutation: str
    method: str
    url: str
    content: bytes | None
    content_type: str | None


def _case(endpoint: Endpoint, mutation: str, **changes: Any) -> FuzzCase:
    return FuzzCase(endpoint, mutation, **{"body": endpoint.body, **changes})


def _drop_field(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    paths = list(value_paths(endpoint.body))
    return st.sampled_from(paths).map(lambda path: _case(endpoint, "drop_field", body=removed(endpoint.body, path)))


def _replace_value(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    paths = st.sampled_from(list(value_paths(endpoint.body)))
    return st.builds(
        lambda path, value: _case(endpoint, "replace_value", body=replaced(endpoint.body, path, value)),
        paths,
        json_values,
    )


def _raw_token(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    paths = st.sampled_from(list(value_paths(endpoint.body)))
    return st.builds(
        lambda path, token: _case(
            endpoint, "raw_token", body=replaced(endpoint.body, path, _RAW_MARK), raw_token=token
        ),
        paths,
        st.sampled_from(RAW_TOKENS),
    )


def _deep_nesting(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    paths = st.sampled_from([(), *value_paths(endpoint.body)])
    return st.builds(
        lambda path, depth: _case(
            endpoint,
            "deep_nesting",
            body=replaced(endpoint.body, path, _RAW_MARK) if path else _RAW_MARK,
            raw_token="[" * depth + "]" * depth,
        ),
        paths,
        st.sampled_from(NESTING_DEPTHS),
    )


def _with_unknown_member(body: Any, path: FieldPath, name: str, value: Any) -> Any:
    changed = copy.deepcopy(body)
    target = value_at(changed, path)
    target[name if name not in target else name + "_unknown"] = value
    return changed


def _add_unknown_field(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    return st.builds(
        lambda path, name, value: _case(
            endpoint, "add_unknown_field", body=_with_unknown_member(endpoint.body, path, name, value)
        ),
        st.sampled_from(object_paths(endpoint.body)),
        st.text(min_size=1, max_size=20),
        json_values,
    )


def _wrap_in_list(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    shapes = st.sampled_from(["empty", "one", "three", "nested", "with_scalar"])

    def wrapped(shape: str) -> FuzzCase:
        body = endpoint.body
        lists = {"empty": [], "one": [body], "three": [body] * 3, "nested": [[body]], "with_scalar": [body, 7, None]}
        return _case(endpoint, "wrap_in_list", body=lists[shape])

    return shapes.map(wrapped)


def _whole_body(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    """Bodies that are not an object: scalars, arbitrary bytes, nothing, the sample in UTF-16."""
    return st.one_of(
        json_values.map(lambda value: _case(endpoint, "scalar_body", body=value)),
        st.binary(max_size=300).map(lambda raw: _case(endpoint, "non_json_bytes", raw=raw)),
        st.just(_case(endpoint, "empty_body", raw=b"")),
        st.just(_case(endpoint, "utf16_body", raw=json.dumps(endpoint.body).encode("utf-16"))),
    )


def _wrong_content_type(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    return st.sampled_from(CONTENT_TYPES).map(
        lambda content_type: _case(endpoint, "wrong_content_type", content_type=content_type)
    )


def _body_mutations(endpoint: Endpoint) -> st.SearchStrategy[FuzzCase]:
    return st.one_of(
        _drop_field(endpoint),
        _replace_value(endpoint),
        _raw_token(endpoint),
        _deep_nesting(endpoint),
        _add_unknown_field(endpoint),
        _wrap_in_list(endpoint),
        _whole_body(endpoint),
        _wrong_content_type(endpoint),
    )


def _path_parameters(samples: Samples) -> st.SearchStrategy[FuzzCase]:
    """Arbitrary text as the encounter id or the plan id."""
    ids = st.one_of(st.text(max_size=120), st.sampled_from(["", ".", "..", "%", "%00", "a/b", "a\x00b", "Z" * 5000]))
    return st.one_of(
        ids.map(lambda text: _case(encounter_status_endpoint(text), "path_parameter")),
        ids.map(lambda text: _case(plan_event_endpoint(text, samples.plan_event), "path_parameter")),
    )


def fuzz_cases(samples: Samples) -> st.SearchStrategy[FuzzCase]:
    mutated = [_body_mutations(endpoint) for endpoint in body_endpoints(samples)]
    return st.one_of(*mutated, _path_parameters(samples))


def generate_requests(samples: Samples, *, examples: int, seed: int, run: str) -> list[FuzzRequest]:
    """Up to ``examples`` requests, the same ones for the same seed (only the fresh ids differ per run)."""
    collected: list[FuzzRequest] = []

    @hypothesis.seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzz_cases(samples))
    def collect(case: FuzzCase) -> None:
        fresh_id = f"fz-{run}-{len(collected)}"
        endpoint = case.endpoint
        content = case.content(fresh_id)
        collected.append(
            FuzzRequest(endpoint.label, case.mutation, endpoint.method, endpoint.url, content, case.content_type)
        )

    collect()
    return collected


@dataclass
class FuzzReport:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    mutations: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    unshaped_errors: list[str] = field(default_factory=list)

    def record(self, request: FuzzRequest, answer: Answer) -> None:
        self.requests += 1
        self.statuses[answer.status] += 1
        self.mutations[request.mutation] += 1
        where = f"{request.endpoint} {request.mutation}: {answer.status}"
        if answer.is_server_error:
            self.server_errors.append(where + (f" ({answer.crash})" if answer.crash else ""))
        elif answer.status >= 400 and answer.status != 409 and not answer.has_error_shape():
            self.unshaped_errors.append(where)


async def fuzz_api(client: httpx.AsyncClient, *, key: str, samples: Samples, examples: int, seed: int) -> FuzzReport:
    """Send ``examples`` mutated requests (hypothesis, seeded) and count the answers of 500 and above.

    Creates the sample patient and plan for ``key``'s tenant first, so plan events reach validation.
    """
    await _create_the_sample_plan(client, key, samples)
    report = FuzzReport()
    for request in generate_requests(samples, examples=examples, seed=seed, run=uuid.uuid4().hex[:8]):
        headers: Headers = {"X-API-Key": key}
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
        answer = await send(client, request.method, request.url, headers=headers, content=request.content)
        report.record(request, answer)
    return report
