"""The operations port every service listens on: ``/health`` (liveness), ``/ready`` (readiness) and
``/metrics`` (Prometheus text format).

A deliberately small HTTP/1.1 server on asyncio's streams: GET only, one request per connection, no
dependency and no thread. It runs on the service's own event loop, so a loop that stops turning stops
answering ``/health`` too (what a liveness probe is for).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

# The operations port of each service when ``OTRCM_OPS_PORT`` is not set: distinct, so that the six services
# run side by side on one machine (``make up``, the main job). A Kubernetes pod sets one port for all.
DEFAULT_OPS_PORTS: dict[str, int] = {
    "intake": 9461,
    "units": 9462,
    "poc": 9463,
    "modifiers": 9464,
    "claims": 9465,
    "status": 9466,
}
FALLBACK_OPS_PORT = 9460

_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error", 503: "Unavailable"}
_REQUEST_LIMIT = 16_384


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json"


Route = Callable[[], Awaitable[Answer]]


class OpsServer:
    """Serves ``routes`` (path -> coroutine making the answer) on ``host:port``."""

    def __init__(self, routes: Mapping[str, Route], host: str, port: int, *, port_is_default: bool) -> None:
        self._routes = dict(routes)
        self._host = host
        self._port = port
        self._port_is_default = port_is_default
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int | None:
        """The port bound (the one asked for, or the one the system chose), None before start."""
        if self._server is None or not self._server.sockets:
            return None
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Bind the port. A default port already taken (a second instance on the same machine) falls back to a
        port of the system's choosing, logged; a port set explicitly that is taken is an error."""
        try:
            self._server = await asyncio.start_server(self._serve, self._host, self._port)
        except OSError as error:
            if not self._port_is_default or error.errno != errno.EADDRINUSE:
                raise
            self._server = await asyncio.start_server(self._serve, self._host, 0)
            log.warning("operations port %s is taken; serving on %s instead", self._port, self.port)
        log.info("operations endpoints on http://%s:%s (/health, /ready, /metrics)", self._host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), timeout=2)
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
            answer = await self._answer(head[:_REQUEST_LIMIT])
            writer.write(
                f"HTTP/1.1 {answer.status} {_REASONS.get(answer.status, 'Error')}\r\n"
                f"Content-Type: {answer.content_type}\r\nContent-Length: {len(answer.body)}\r\n"
                "Connection: close\r\n\r\n".encode()
                + answer.body
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(self, head: bytes) -> Answer:
        method, _, rest = head.split(b"\r\n", 1)[0].decode("latin-1").partition(" ")
        path = rest.split(" ", 1)[0].split("?", 1)[0]
        route = self._routes.get(path)
        if route is None:
            return Answer(404, b'{"error":"not found"}')
        if method not in ("GET", "HEAD"):
            return Answer(405, b'{"error":"GET only"}')
        try:
            return await route()
        except Exception as error:  # an endpoint's own failure is an answer, never a dead server
            log.warning("operations endpoint %s failed with %s", path, type(error).__name__)
            return Answer(500, b'{"error":"endpoint failed"}')
