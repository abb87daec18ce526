"""The intake API, as the console asks it: every read and every fix goes through the public HTTP API with the
tenant's API key, exactly as any other client's would (the console holds no pipeline state of its own)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx


class ApiUnavailable(Exception):
    """The API did not answer, or answered 5xx."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def errors(self) -> list[dict[str, Any]]:
        found = self.body.get("errors", []) if isinstance(self.body, dict) else []
        return [error for error in found if isinstance(error, dict)]


class IntakeApi:
    """``client`` replaces the HTTP client (tests hand in one bound to the API in-process)."""

    def __init__(self, base_url: str, client: httpx.AsyncClient | None = None, timeout_s: float = 10.0) -> None:
        self._client = client or httpx.AsyncClient(base_url=base_url, timeout=timeout_s)

    async def _send(self, method: str, path: str, key: str, **kwargs: Any) -> Answer:
        try:
            response = await self._client.request(method, path, headers={"X-API-Key": key}, **kwargs)
        except httpx.HTTPError as error:
            raise ApiUnavailable(type(error).__name__) from None
        if response.status_code >= 500:
            raise ApiUnavailable(f"the API answered {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            body = None
        return Answer(response.status_code, body)

    async def get(self, key: str, path: str, params: Mapping[str, str | int | bool] | None = None) -> Answer:
        return await self._send("GET", path, key, params=params)

    async def post(self, key: str, path: str, body: Any) -> Answer:
        return await self._send("POST", path, key, json=body)

    async def close(self) -> None:
        await self._client.aclose()
