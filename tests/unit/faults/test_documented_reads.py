"""The intruder probes find read routes in the OpenAPI document, and fill them with known ids only."""

from __future__ import annotations

import pytest

from tests.faults.documented_reads import ReadRoute, read_routes

pytestmark = pytest.mark.unit

DOCUMENT = {
    "paths": {
        "/v1/encounters": {"post": {}},
        "/v1/encounters/{encounter_id}": {"get": {}},
        "/v1/plans-of-care/{plan_id}/events": {"post": {}},
        "/v1/worklist": {"get": {}},
        "/healthz": {"get": {}},
    }
}


def test_only_documented_v1_get_routes_are_walked() -> None:
    assert read_routes(DOCUMENT) == [
        ReadRoute("/v1/encounters/{encounter_id}", ("encounter_id",)),
        ReadRoute("/v1/worklist", ()),
    ]


def test_a_route_is_filled_only_when_every_id_is_known_and_ids_are_quoted() -> None:
    route = ReadRoute("/v1/encounters/{encounter_id}", ("encounter_id",))
    assert route.filled({}) is None
    endpoint = route.filled({"encounter_id": "a/b c"})
    assert endpoint is not None
    assert endpoint.url == "/v1/encounters/a%2Fb%20c"
    assert endpoint.label == "GET /v1/encounters/{encounter_id}"
