"""Asking the status service (the single writer of encounter and claim status) on loopback, for the tenant the
front door authenticated (docs/adr/011). Intake holds no status of its own beyond what the door accepted."""

from __future__ import annotations

from typing import Any

import httpx


class StatusUnavailable(Exception):
    """The status service did not answer (down, restarting, or an error on its side)."""


class StatusReader:
    """The internal read API of ``otrcm-status`` at ``base_url``; ``client`` replaces the HTTP client (tests)."""

    def __init__(self, base_url: str, client: httpx.AsyncClient | None = None, timeout_s: float = 5.0) -> None:
        self._client = client or httpx.AsyncClient(base_url=base_url, timeout=timeout_s)

    async def _get(self, tenant_id: str, path: str) -> dict[str, Any] | None:
        try:
            response = await self._client.get(path, headers={"X-Tenant-Id": tenant_id})
        except httpx.HTTPError as error:
            raise StatusUnavailable(type(error).__name__) from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise StatusUnavailable(f"status service answered {response.status_code}")
        found: dict[str, Any] = response.json()
        return found

    async def encounter(self, tenant_id: str, encounter_id: str) -> dict[str, Any] | None:
        """The encounter's status, or None when no stage has reported on it yet."""
        return await self._get(tenant_id, f"/internal/v1/encounters/{encounter_id}")

    async def claim(self, tenant_id: str, claim_id: str) -> dict[str, Any] | None:
        return await self._get(tenant_id, f"/internal/v1/claims/{claim_id}")

    async def claims_of(self, tenant_id: str, encounter_id: str) -> list[dict[str, Any]]:
        found = await self._get(tenant_id, f"/internal/v1/encounters/{encounter_id}/claims")
        return list(found["claims"]) if found else []

    async def worklist(self, tenant_id: str, params: dict[str, str | int]) -> dict[str, Any]:
        """The tenant's worklist page (``payer_id``, ``reason``, ``limit``, ``offset``)."""
        try:
            response = await self._client.get(
                "/internal/v1/worklist", headers={"X-Tenant-Id": tenant_id}, params=params
            )
        except httpx.HTTPError as error:
            raise StatusUnavailable(type(error).__name__) from None
        if response.status_code != 200:
            raise StatusUnavailable(f"status service answered {response.status_code}")
        found: dict[str, Any] = response.json()
        return found

    async def close(self) -> None:
        await self._client.aclose()
