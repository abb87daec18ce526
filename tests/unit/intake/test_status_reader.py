"""Intake's reader of the status service: the tenant travels in X-Tenant-Id, a 404 is "not reported yet",
and a status service that is down or failing is said to be unavailable (the door answers 503)."""

from __future__ import annotations

import httpx
import pytest

from otrcm_intake.adapters.status_reader import StatusReader, StatusUnavailable

pytestmark = pytest.mark.unit


def _reader(handler: httpx.MockTransport) -> StatusReader:
    return StatusReader("http://status.test", httpx.AsyncClient(transport=handler, base_url="http://status.test"))


async def test_the_tenant_is_sent_and_an_unknown_encounter_is_none() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["X-Tenant-Id"])
        if request.url.path.endswith("/enc-1"):
            return httpx.Response(200, json={"status": "ready"})
        return httpx.Response(404, json={"errors": []})

    reader = _reader(httpx.MockTransport(answer))
    assert await reader.encounter("t1", "enc-1") == {"status": "ready"}
    assert await reader.encounter("t1", "enc-2") is None
    assert seen == ["t1", "t1"]


@pytest.mark.parametrize(
    "answer",
    [lambda _r: httpx.Response(500), lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused", request=r))],
    ids=["server error", "connection refused"],
)
async def test_a_failing_or_absent_status_service_is_unavailable(answer: object) -> None:
    reader = _reader(httpx.MockTransport(answer))  # type: ignore[arg-type]
    with pytest.raises(StatusUnavailable):
        await reader.encounter("t1", "enc-1")
