"""Every GET route the API documents, read from its own OpenAPI document, with the ids to fill it.

The intruder probes walk these instead of a hand-kept list, so a read route added to the API is probed
(without a key, with a revoked key, with another tenant's key, with hostile ids) the day it appears.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from tests.faults.front_door import Endpoint

_PARAMETER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class ReadRoute:
    """A documented GET route; ``parameters`` are its path parameters in order."""

    route: str
    parameters: tuple[str, ...]

    def filled(self, values: Mapping[str, str]) -> Endpoint | None:
        """The route with every parameter replaced (URL-quoted); None when a value is missing."""
        if any(name not in values for name in self.parameters):
            return None
        url = _PARAMETER.sub(lambda match: quote(values[match.group(1)], safe=""), self.route)
        return Endpoint("GET", self.route, url)

    def with_every_parameter(self, value: str) -> Endpoint:
        filled = self.filled(dict.fromkeys(self.parameters, value))
        assert filled is not None
        return filled


def read_routes(openapi: Mapping[str, object]) -> list[ReadRoute]:
    """The ``/v1`` GET routes of an OpenAPI document, in document order."""
    paths = openapi.get("paths")
    routes: list[ReadRoute] = []
    if not isinstance(paths, dict):
        return routes
    for route, operations in paths.items():
        if route.startswith("/v1/") and isinstance(operations, dict) and "get" in operations:
            routes.append(ReadRoute(route, tuple(_PARAMETER.findall(route))))
    return routes


async def documented_read_routes(client: httpx.AsyncClient) -> list[ReadRoute]:
    """The API's own list of read routes (``/openapi.json`` needs no key: it holds no tenant's data)."""
    response = await client.get("/openapi.json")
    response.raise_for_status()
    return read_routes(response.json())


def never_existed() -> str:
    return f"never-existed-{uuid.uuid4().hex[:12]}"
