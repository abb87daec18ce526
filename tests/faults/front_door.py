"""What the intruder probes and the fuzzer share: valid sample bodies, the intake API's endpoints, one
request sent and its answer reduced to what the checks need, and paths into JSON bodies.

Reports name the endpoint, the kind of probe or mutation, a field path and a status code; they never
carry a body, since a body may hold PHI.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples" / "missouri_clinic"

Body = dict[str, Any]
FieldPath = tuple[str | int, ...]


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

    def billed_by(self, npi: str) -> Samples:
        """The same samples with the encounter billed under ``npi`` (a billing NPI registered to the tenant)."""
        encounter = {**copy.deepcopy(self.encounter), "billing_provider_npi": npi}
        return replace(self, encounter=encounter)


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


def fresh_id(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:16]}"


async def create_the_sample_plan(client: httpx.AsyncClient, key: str, samples: Samples) -> list[int]:
    """The patient and the plan the plan-event sample refers to (so that route reaches its validation)."""
    statuses = []
    for route, body in (("/v1/patients", samples.patient), ("/v1/plans-of-care", samples.plan)):
        answer = await send(client, "POST", route, headers=key_header(key), content=json_bytes(body))
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
        return any(text in found for found in strings_in(self.document))


def strings_in(document: Any) -> Iterator[str]:
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield str(key)
            yield from strings_in(value)
    elif isinstance(document, list):
        for item in document:
            yield from strings_in(item)


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


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def key_header(key: str) -> Headers:
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
    """The path as the API's error paths write it: dotted, list positions counted from 1 (``lines.1`` is the
    first line, whose ``line_number`` is 1)."""
    return ".".join(str(step + 1) if isinstance(step, int) else step for step in path)
