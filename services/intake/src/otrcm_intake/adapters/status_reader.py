"""Asking the status service (the single writer of encounter and claim status) on loopback, for the tenant the
front door authenticated (docs/adr/011). Intake holds no status of its own beyond what the door accepted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx


class StatusUnavailable(Exception):
    """The status service did not answer (down, restarting, or an error on its side)."""


class StatusRefused(Exception):
    """The status service refused the question (422): its error body, for the client."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__("refused")
        self.body = body


class StatusReader:
    """The internal read API of ``otrcm-status`` at ``base_url``; ``client`` replaces the HTTP client (tests)."""

    def __init__(self, base_url: str, client: httpx.AsyncClient | None = None, timeout_s: float = 5.0) -> None:
        self._client = client or httpx.AsyncClient(base_url=base_url, timeout=timeout_s)

    async def _get(
        self, tenant_id: str, path: str, params: Mapping[str, str | int | bool] | None = None
    ) -> dict[str, Any] | None:
        try:
            response = await self._client.get(path, headers={"X-Tenant-Id": tenant_id}, params=params)
        except httpx.HTTPError as error:
            raise StatusUnavailable(type(error).__name__) from None
        if response.status_code == 404:
            return None
        if response.status_code == 422:
            raise StatusRefused(response.json())
        if response.status_code != 200:
            raise StatusUnavailable(f"status service answered {response.status_code}")
        found: dict[str, Any] = response.json()
        return found

    async def _list(self, tenant_id: str, path: str, params: Mapping[str, str | int | bool]) -> dict[str, Any]:
        found = await self._get(tenant_id, path, params)
        if found is None:
            raise StatusUnavailable("status service answered 404 for a list")
        return found

    async def encounter(self, tenant_id: str, encounter_id: str) -> dict[str, Any] | None:
        """The encounter's status, or None when no stage has reported on it yet."""
        return await self._get(tenant_id, f"/internal/v1/encounters/{encounter_id}")

    async def claim(self, tenant_id: str, claim_id: str) -> dict[str, Any] | None:
        """The claim's status with its history, or None when this tenant has no such claim."""
        return await self._get(tenant_id, f"/internal/v1/claims/{claim_id}")

    async def units(self, tenant_id: str, encounter_id: str) -> dict[str, Any] | None:
        """The encounter's lines as its day's newest units counted them, with the explanation; None before any."""
        return await self._get(tenant_id, f"/internal/v1/encounters/{encounter_id}/units")

    async def claims_of(self, tenant_id: str, encounter_id: str) -> list[dict[str, Any]]:
        found = await self._get(tenant_id, f"/internal/v1/encounters/{encounter_id}/claims")
        return list(found["claims"]) if found else []

    async def worklist(self, tenant_id: str, params: Mapping[str, str | int]) -> dict[str, Any]:
        """The tenant's worklist page (``payer_id``, ``location_id``, ``reason``, ``held_before``, ``limit``, and
        ``offset`` or ``after``); StatusRefused for a cursor it did not hand out."""
        return await self._list(tenant_id, "/internal/v1/worklist", params)

    async def plan(self, tenant_id: str, plan_id: str) -> dict[str, Any] | None:
        """A plan of care, or None when this tenant has no such plan (or its creation was not read yet)."""
        return await self._get(tenant_id, f"/internal/v1/plans-of-care/{plan_id}")

    async def plans_of(self, tenant_id: str, patient_key: str) -> list[dict[str, Any]]:
        found = await self._list(tenant_id, "/internal/v1/plans-of-care", {"patient_key": patient_key})
        return list(found["plans_of_care"])

    async def authorization(self, tenant_id: str, authorization_id: str) -> dict[str, Any] | None:
        return await self._get(tenant_id, f"/internal/v1/authorizations/{authorization_id}")

    async def authorizations_of(self, tenant_id: str, patient_key: str) -> list[dict[str, Any]]:
        found = await self._list(tenant_id, "/internal/v1/authorizations", {"patient_key": patient_key})
        return list(found["authorizations"])

    async def alerts(self, tenant_id: str, params: Mapping[str, str | int | bool]) -> dict[str, Any]:
        """The tenant's alerts page (``kind``, ``open``, ``limit``, ``offset``)."""
        return await self._list(tenant_id, "/internal/v1/alerts", params)

    async def close(self) -> None:
        await self._client.aclose()
