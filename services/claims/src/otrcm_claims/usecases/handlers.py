"""Subscribers: keep the patients projection, and keep the newest version of every ready billing day.

A new patient record reopens the patient's held claims (rebuilt at the next batch). A newer version
of a day replaces the older one while its claim has not left (a held claim is rebuilt at the next
batch); after submission the new version is recorded, the claim's reasons say so, and the next batch builds the
replacement (CLM05-3 7, X222A1; ``usecases/corrections``). Older or repeated versions are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.claim_repository import load_claim, save
from otrcm_claims.adapters.coordination import is_secondary_claim
from otrcm_claims.adapters.eligibility_store import release_waiting
from otrcm_claims.domain.claim_assembly import BILLING_PROFILE_MISSING
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.events import Envelope
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.patients import PatientRecorded
from otrcm_shared.runtime.db import upsert_insert
from otrcm_shared.runtime.json_column import json_of
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.prepared import Prepared, lookup

NOT_YET_LEFT = frozenset({ClaimState.BUILT, ClaimState.HELD})


async def on_patient_recorded(session: AsyncSession, event: Envelope[PatientRecorded]) -> Sequence[Outgoing]:
    """Keep the latest record; the patient's held claims are reopened and waiting eligibility requests tried
    again, since the record may fix them."""
    patient, tenant_id = event.payload, event.tenant_id
    await store.upsert_patient(session, tenant_id, patient.patient_key, patient.model_dump(mode="json"))
    await release_waiting(session, tenant_id, patient.patient_key)
    claims = store.claims.c
    why = "the patient record changed"
    return await _reopen_held(session, tenant_id, claims.patient_key == patient.patient_key, why)


async def on_billing_provider_registered(
    session: AsyncSession, event: Envelope[BillingProviderRegistered]
) -> Sequence[Outgoing]:
    """Keep the tenant's latest registration of the NPI; the tenant's claims held for want of that billing
    provider are reopened (rebuilt, and released now that it is registered, at the next batch)."""
    registration, tenant_id = event.payload, event.tenant_id
    await store.upsert_billing_provider(session, tenant_id, registration.model_dump(mode="json"))
    await release_waiting(session, tenant_id)
    waiting = f"{BILLING_PROFILE_MISSING} billing NPI {registration.npi} "
    why = f"billing provider {registration.npi} registered"
    return await _reopen_held(session, tenant_id, None, why, lambda reasons: any(waiting in r for r in reasons))


async def _reopen_held(
    session: AsyncSession,
    tenant_id: str,
    condition: Any,
    why: str,
    held_for: Callable[[list[str]], bool] = lambda _reasons: True,
) -> list[Outgoing]:
    """Held claims of the tenant (those matching ``condition``, or all, and whose reasons ``held_for``
    accepts) go back to built, their days unclaimed."""
    claims = store.claims.c
    query = select(store.claims).where(claims.tenant_id == tenant_id, claims.status == ClaimState.HELD.value)
    held = (await session.execute(query if condition is None else query.where(condition))).mappings().all()
    outgoing: list[Outgoing] = []
    for row in (row for row in held if held_for(row["reasons"])):
        claim = await load_claim(session, row)
        claim.build([f"rebuild: {why}"])
        outgoing += await save(session, claim, row["reasons"])
        if await is_secondary_claim(session, tenant_id, row["claim_id"]):
            continue  # its days are its primary's: the secondary batch rebuilds it
        await session.execute(
            update(store.ready_days)
            .where(store.ready_days.c.tenant_id == tenant_id, store.ready_days.c.day_key.in_(row["day_keys"]))
            .values(claimed=False)
        )
    return outgoing


def _new_ready_day(dialect: str) -> Any:
    columns = [column.name for column in store.ready_days.columns]
    insert = upsert_insert(dialect, store.ready_days).values({name: bindparam(name) for name in columns})
    return insert.on_conflict_do_nothing(index_elements=["tenant_id", "day_key"])


# Built once (docs/adr/014): every ready day runs them.
_READY_DAY = lookup(*store.ready_days.columns, where=("tenant_id", "day_key"))
_NEW_READY_DAY = Prepared(_new_ready_day)


async def on_claim_lines_ready(session: AsyncSession, event: Envelope[ClaimLinesReady]) -> Sequence[Outgoing]:
    ready, tenant_id = event.payload, event.tenant_id
    days = store.ready_days
    found = await _READY_DAY.execute(session, {"tenant_id": tenant_id, "day_key": ready.day_key})
    current = next(iter(found.mappings()), None)
    values = {
        "version": ready.version,
        "patient_key": ready.patient_key,
        "payer_id": ready.payer_id,
        "billing_provider_npi": ready.billing_provider_npi,
        "date_of_service": ready.date_of_service,
        "ready": json_of(ready),
        "updated_at": store.utc_now(),
    }
    if current is None:
        new_day = {"tenant_id": tenant_id, "day_key": ready.day_key, "claimed": False, "claim_id": None}
        await _NEW_READY_DAY.execute(session, {**new_day, **values})
        return []
    if ready.version <= current["version"]:
        return []  # an older or repeated version: the newest one stays
    outgoing: list[Outgoing] = []
    if current["claimed"] and current["claim_id"]:
        outgoing = await _newer_version_of_a_claimed_day(session, tenant_id, current["claim_id"], ready)
    await session.execute(
        update(days)
        .where(days.c.tenant_id == tenant_id, days.c.day_key == ready.day_key)
        .values(claimed=False, **values)  # free again: the next batch rebuilds it or holds a correction
    )
    return outgoing


async def _newer_version_of_a_claimed_day(
    session: AsyncSession, tenant_id: str, claim_id: str, ready: ClaimLinesReady
) -> list[Outgoing]:
    """Reopen a claim that has not left, or note on the one that left that a replacement is needed."""
    claim = await store.claim_row(session, claim_id, for_update=True)
    if claim is None:
        return []
    status = ClaimState(claim["status"])
    if status in NOT_YET_LEFT:
        reason = f"rebuild: day {ready.day_key} has version {ready.version}"
        if status is ClaimState.BUILT:  # not a status change: only the reason is noted
            await store.set_claim(session, tenant_id, claim_id, reasons=[*claim["reasons"], reason])
            return []
        life = await load_claim(session, claim)
        life.build([reason])
        return await save(session, life, claim["reasons"])
    billed = claim["day_versions"].get(ready.day_key)
    reason = (
        f"replacement-needed: day {ready.day_key} has version {ready.version} after submission "
        f"(billed version {billed}); the next batch builds its replacement (CLM05-3 7) if what it bills changed"
    )
    await store.set_claim(session, tenant_id, claim_id, reasons=[*claim["reasons"], reason])
    return []
