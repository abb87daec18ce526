"""Use case: register (or withdraw) a tenant's billing provider, and look up what a tenant registered.

An operator action (``otrcm-intake register-billing-provider``), not a client's: a tenant's API key
cannot add a billing identity. The registration is stored and published on the compacted
billing-providers topic, which the claims service reads; the same content again publishes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.runtime_tables import kit
from otrcm_intake.adapters.store import billing_providers
from otrcm_intake.domain.billing_provider_rules import validate_registration
from otrcm_intake.domain.reference_rules import Registration
from otrcm_intake.domain.violations import errors_in
from otrcm_intake.usecases.idempotency import content_hash
from otrcm_intake.usecases.outcomes import Outcome, Recorded
from otrcm_shared.events import Envelope
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.outbox import Outgoing, stage
from otrcm_shared.runtime.prepared import lookup
from otrcm_shared.topics import BILLING_PROVIDERS, TopicSpec, billing_provider_key

PUBLISHES: tuple[TopicSpec, ...] = (BILLING_PROVIDERS,)  # the topics this module stages outbox rows for


async def register_billing_provider(
    session: AsyncSession, tenant_id: str, registration: BillingProviderRegistered, *, transfer: bool = False
) -> Recorded:
    """``transfer``: the operator moves an NPI registered to another tenant (a practice changing billing
    operations) to this one; the other tenant's registration is withdrawn in the same transaction."""
    rows = billing_providers.c
    session.info.pop(_READ_IN_TRANSACTION, None)  # what this transaction read of registrations may change now
    current = (await session.execute(select(billing_providers).where(rows.npi == registration.npi))).first()
    tin_owners = await session.scalars(
        select(rows.tenant_id).where(rows.tin == registration.tin, rows.npi != registration.npi)
    )
    owner = None if current is None else current.tenant_id
    violations = validate_registration(registration, tenant_id, tenant_id if transfer else owner, frozenset(tin_owners))
    if errors_in(violations):
        return Recorded(Outcome.REJECTED, registration.npi, violations)
    digest = content_hash(registration)
    if current is not None and owner == tenant_id and current.content_hash == digest:
        return Recorded(Outcome.DUPLICATE, registration.npi, [])
    if current is not None and owner != tenant_id:
        withdrawn = BillingProviderRegistered.model_validate({**current.registration, "active": False})
        await _publish(session, str(owner), withdrawn, f"withdrawn-by-transfer/{tenant_id}/{digest}")
    values: dict[str, Any] = {
        "tenant_id": tenant_id,
        "tin": registration.tin,
        "active": registration.active,
        "location_ids": list(registration.location_ids),
        "content_hash": digest,
        "registration": registration.model_dump(mode="json"),
        "updated_at": datetime.now(UTC),
    }
    upsert = upsert_capable_insert(session, billing_providers).values(npi=registration.npi, **values)
    await session.execute(upsert.on_conflict_do_update(index_elements=["npi"], set_=values))
    await _publish(session, tenant_id, registration, digest)
    return Recorded(Outcome.ACCEPTED, registration.npi, [])


async def _publish(session: AsyncSession, tenant_id: str, registration: BillingProviderRegistered, tag: str) -> None:
    event = Envelope.root(
        registration,
        tenant_id=tenant_id,
        subject=registration.npi,
        natural_key=f"billing-provider/{tenant_id}/{registration.npi}/{tag}",
        stage="intake",
    )
    await stage(session, kit, [Outgoing(BILLING_PROVIDERS, billing_provider_key(tenant_id, registration.npi), event)])


_REGISTRATION = lookup(  # built once: every encounter reads it (docs/adr/014)
    billing_providers.c.tenant_id, billing_providers.c.active, billing_providers.c.location_ids, where=("npi",)
)


# Registrations read in the session's transaction, by NPI: a poll's encounters mostly share one billing provider.
# Registering one in the transaction forgets them.
_READ_IN_TRANSACTION = "otrcm.intake.registrations"


async def registration_of(session: AsyncSession, npi: str) -> Registration | None:
    read: dict[str, Registration | None] = session.info.setdefault(_READ_IN_TRANSACTION, {})
    if npi not in read:
        row = (await _REGISTRATION.execute(session, {"npi": npi})).first()
        read[npi] = None if row is None else Registration(row.tenant_id, row.active, tuple(row.location_ids))
    return read[npi]


async def registrations_of_tenant(session: AsyncSession, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's billing providers as registered (organisational data), by NPI."""
    query = (
        select(billing_providers.c.registration)
        .where(billing_providers.c.tenant_id == tenant_id)
        .order_by(billing_providers.c.npi)
    )
    return [dict(registration) for registration in (await session.execute(query)).scalars()]
