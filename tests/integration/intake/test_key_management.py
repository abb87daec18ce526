"""API keys by id (real PostgreSQL): a tenant's keys are listed by id and prefix, never the secret, and one
is revoked by its id, without the secret that was shown only once; another tenant cannot revoke it."""

from __future__ import annotations

import pytest

from otrcm_intake.adapters.keys import keys_of, revoke_key_by_id
from tests.integration.intake.conftest import Intake

pytestmark = pytest.mark.integration


async def test_keys_are_listed_by_id_and_revoked_by_id(intake: Intake, tenant: str) -> None:
    first, second = await intake.key_for(tenant), await intake.key_for(tenant)
    async with intake.runtime.db.transaction() as session:
        listed = await keys_of(session, tenant)
    assert len(listed) == 2
    assert all(first["X-API-Key"] not in str(entry) and second["X-API-Key"] not in str(entry) for entry in listed)
    assert {entry["prefix"] for entry in listed} == {first["X-API-Key"][:12], second["X-API-Key"][:12]}
    [first_id] = [entry["id"] for entry in listed if entry["prefix"] == first["X-API-Key"][:12]]

    async with intake.runtime.db.transaction() as session:
        assert not await revoke_key_by_id(session, f"{tenant}-other", str(first_id)), "not another tenant's to revoke"
        assert await revoke_key_by_id(session, tenant, str(first_id))

    assert (await intake.client.get("/v1/encounters/none", headers=first)).status_code == 401
    assert (await intake.client.get("/v1/encounters/none", headers=second)).status_code == 404
    async with intake.runtime.db.transaction() as session:
        [revoked] = [entry for entry in await keys_of(session, tenant) if entry["id"] == first_id]
    assert revoked["revoked_at"] is not None
