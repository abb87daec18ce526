"""An input fuzzer for the intake API (a library: the tests that use it live elsewhere).

``fuzz_api`` mutates valid bodies with hypothesis (dropped fields, values of the wrong type, unknown
fields, raw tokens JSON does not allow, bodies that are not JSON at all, wrong content types, odd ids in
the URL of every read route the OpenAPI document lists, odd query parameters) and counts the answers of
500 and above.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.faults.documented_reads import ReadRoute, documented_read_routes
from tests.faults.front_door import (
    Answer,
    Endpoint,
    FieldPath,
    Headers,
    Samples,
    body_endpoints,
    create_the_sample_plan,
    object_paths,
    plan_event_endpoint,
    removed,
    replaced,
    send,
    value_at,
    value_paths,
)

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


ODD_TEXT = st.one_of(st.text(max_size=120), st.sampled_from(["", ".", "..", "%", "%00", "a/b", "a\x00b", "Z" * 5000]))
# The query parameters the read routes take, each given arbitrary text (numbers out of range included).
QUERY_NAMES = ("limit", "offset", "patient_id", "payer_id", "reason", "location_id", "kind", "open")


def _path_parameters(samples: Samples, routes: Sequence[ReadRoute]) -> st.SearchStrategy[FuzzCase]:
    """Arbitrary text as every id in a URL: each documented read route's, and the plan step's."""
    cases = [ODD_TEXT.map(lambda text: _case(plan_event_endpoint(text, samples.plan_event), "path_parameter"))]
    cases += [
        ODD_TEXT.map(lambda text, route=route: _case(route.with_every_parameter(text), "path_parameter"))
        for route in routes
        if route.parameters
    ]
    return st.one_of(*cases)


def _with_query(endpoint: Endpoint, query: dict[str, str]) -> Endpoint:
    return Endpoint(endpoint.method, endpoint.route, f"{endpoint.url}?{urlencode(query)}")


def _query_parameters(routes: Sequence[ReadRoute]) -> st.SearchStrategy[FuzzCase]:
    """Arbitrary text in the query of each documented read route that takes no id."""
    queries = st.dictionaries(st.sampled_from(QUERY_NAMES), st.one_of(ODD_TEXT, st.integers().map(str)), max_size=4)
    lists = [route.with_every_parameter("") for route in routes if not route.parameters]
    return st.sampled_from(lists).flatmap(
        lambda endpoint: queries.map(lambda query: _case(_with_query(endpoint, query), "query_parameter"))
    )


def fuzz_cases(samples: Samples, routes: Sequence[ReadRoute] = ()) -> st.SearchStrategy[FuzzCase]:
    mutated = [_body_mutations(endpoint) for endpoint in body_endpoints(samples)]
    reads = [_query_parameters(routes)] if any(not route.parameters for route in routes) else []
    return st.one_of(*mutated, _path_parameters(samples, routes), *reads)


def generate_requests(
    samples: Samples, *, examples: int, seed: int, run: str, routes: Sequence[ReadRoute] = ()
) -> list[FuzzRequest]:
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
    @given(fuzz_cases(samples, routes))
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
    await create_the_sample_plan(client, key, samples)
    routes = await documented_read_routes(client)
    report = FuzzReport()
    run = uuid.uuid4().hex[:8]
    for request in generate_requests(samples, examples=examples, seed=seed, run=run, routes=routes):
        headers: Headers = {"X-API-Key": key}
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
        answer = await send(client, request.method, request.url, headers=headers, content=request.content)
        report.record(request, answer)
    return report
