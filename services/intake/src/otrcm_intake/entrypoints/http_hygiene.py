"""What the API refuses before it reads a body: a body that is not JSON (415) and a body larger than the
documented limit (413), answered in the API's one error shape. Pure ASGI: a body whose ``Content-Length``
says too much is refused unread; one sent without a length (chunked) is read only up to the limit."""

from __future__ import annotations

import json
from typing import Any

MAX_BODY_BYTES = 8 * 1024 * 1024  # a batch of 1,000 encounters is about 2 MB; twice that leaves room
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

Scope = dict[str, Any]
Receive = Any
Send = Any


def _problem(path: str, rule: str, message: str) -> bytes:
    return json.dumps({"errors": [{"path": path, "rule": rule, "message": message, "severity": "error"}]}).encode()


class BodyHygiene:
    """415 unless a body-carrying request says ``application/json``; 413 when its Content-Length is more than
    ``max_bytes`` (the limit is documented in the README)."""

    def __init__(self, app: Any, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            message = "send the body as JSON with Content-Type: application/json"
            await _answer(send, 415, _problem("headers.content-type", "http.media_type", message))
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _answer(send, 413, self._too_large())
            return
        if not declared.isdigit():
            receive = await self._read_up_to_the_limit(receive)
            if receive is None:
                await _answer(send, 413, self._too_large())
                return
        await self.app(scope, receive, send)

    async def _read_up_to_the_limit(self, receive: Receive) -> Receive | None:
        """A body sent without a length, read ahead up to the limit and replayed; None when it goes beyond."""
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return None
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        replay = iter(messages)

        async def replayed() -> Any:
            return next(replay, None) or await receive()

        return replayed

    def _too_large(self) -> bytes:
        message = f"the body is larger than {self.max_bytes} bytes; send smaller batches"
        return _problem("<body>", "http.body_too_large", message)


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
