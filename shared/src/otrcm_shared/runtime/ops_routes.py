"""The operations endpoints on a service's own HTTP API as well (intake's public port, status's read API), so
that ``/health``, ``/ready`` and ``/metrics`` answer there as they do on the operations port."""

from __future__ import annotations

from typing import Any

from otrcm_shared.runtime.ops_http import Route


def add_operations_routes(api: Any, routes: dict[str, Route]) -> None:
    """Add ``routes`` (``ServiceRuntime.ops_routes()``) to a Starlette/FastAPI ``api``, left out of its OpenAPI."""
    from starlette.requests import Request
    from starlette.responses import Response

    def endpoint_of(route: Route) -> Any:
        async def endpoint(_request: Request) -> Response:
            answer = await route()
            return Response(answer.body, answer.status, media_type=answer.content_type)

        return endpoint

    for path, route in routes.items():
        api.add_route(path, endpoint_of(route), methods=["GET"], include_in_schema=False)
