"""413 for a body over the limit also when it comes without a Content-Length (chunked): it is read only up to
the limit, never in full; a body within the limit reaches the app whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from otrcm_intake.entrypoints.http_hygiene import BodyHygiene

pytestmark = pytest.mark.unit

LIMIT = 100


def _chunked(*chunks: bytes) -> tuple[dict[str, Any], Any, list[int]]:
    scope = {"type": "http", "method": "POST", "headers": [(b"content-type", b"application/json")]}
    messages = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    read: list[int] = []

    async def receive() -> dict[str, Any]:
        read.append(1)
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    return scope, receive, read


async def _call(scope: dict[str, Any], receive: Any) -> tuple[list[dict[str, Any]], bytes]:
    sent: list[dict[str, Any]] = []
    seen = bytearray()

    async def app(_scope: Any, app_receive: Any, app_send: Any) -> None:
        while True:
            message = await app_receive()
            seen.extend(message.get("body", b""))
            if not message.get("more_body"):
                break
        await app_send({"type": "http.response.start", "status": 202, "headers": []})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await BodyHygiene(app, max_bytes=LIMIT)(scope, receive, send)
    return sent, bytes(seen)


async def test_a_chunked_body_over_the_limit_is_413_and_not_read_to_its_end() -> None:
    scope, receive, read = _chunked(*([b"x" * 60] * 10))
    sent, seen = await _call(scope, receive)
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["errors"][0]["rule"] == "http.body_too_large"
    assert (seen, len(read)) == (b"", 2), "two chunks were enough to know"


async def test_a_chunked_body_within_the_limit_reaches_the_app_whole() -> None:
    scope, receive, _ = _chunked(b"[1,", b"2]")
    sent, seen = await _call(scope, receive)
    assert (sent[0]["status"], seen) == (202, b"[1,2]")
