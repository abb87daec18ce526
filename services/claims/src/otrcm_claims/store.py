"""The claims service's state. PHI at rest lives in ``patients`` (and in the 837P text it produces).

Money is kept as decimal text (exact on SQLite and PostgreSQL alike). Control numbers come from
``control_numbers``: one row per scope, bumped atomically (the row lock serializes two batch runs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.runtime.db import upsert_capable_insert

metadata = MetaData()

patients = Table(
    "patients",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("patient_key", String(64), primary_key=True),
    Column("record", JSON, nullable=False),  # the latest PatientRecorded payload: PHI
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

ready_days = Table(
    "ready_days",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_key", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("patient_key", String(64), nullable=False),
    Column("payer_id", String(64), nullable=False),
    Column("billing_provider_npi", String(20), nullable=False),
    Column("date_of_service", Date, nullable=False),
    Column("ready", JSON, nullable=False),  # the ClaimLinesReady payload of ``version``
    Column("claimed", Boolean, nullable=False, default=False),
    Column("claim_id", String(40), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(40), primary_key=True),
    Column("status", String(20), nullable=False, index=True),
    Column("payer_id", String(64), nullable=False),
    Column("patient_key", String(64), nullable=False),
    Column("day_keys", JSON, nullable=False),
    Column("day_versions", JSON, nullable=False),  # {day_key: version billed}
    Column("encounter_ids", JSON, nullable=False),
    Column("lines", JSON, nullable=False),  # [{line_key, control_number, code, modifiers, units, charge, ...}]
    Column("interchange_control_number", Integer, nullable=True, index=True),
    Column("batch_reference", String(50), nullable=True, index=True),
    Column("segment_text", Text, nullable=True),  # the claim's 2000B..2400 segments of the 837P
    Column("reasons", JSON, nullable=False),
    Column("charge", String(20), nullable=False),
    Column("paid", String(20), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

interchanges = Table(
    "interchanges",
    metadata,
    Column("interchange_control_number", Integer, primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("payer_id", String(64), nullable=False),
    Column("batch_reference", String(50), nullable=False, unique=True),
    Column("claim_ids", JSON, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=True),
)

control_numbers = Table(
    "control_numbers",
    metadata,
    Column("scope", String(200), primary_key=True),
    Column("last_value", Integer, nullable=False),
)

# The billing providers registered to each tenant (the latest registration of each NPI): organisational data.
billing_providers = Table(
    "billing_providers",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("npi", String(10), primary_key=True),
    Column("active", Boolean, nullable=False),
    Column("registration", JSON, nullable=False),  # the BillingProviderRegistered payload
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

acknowledgment_files = Table(
    "acknowledgment_files",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)


def utc_now() -> datetime:
    return datetime.now(UTC)


async def next_control_number(session: AsyncSession, scope: str) -> int:
    """The next number of ``scope`` (1, 2, ...), unique and increasing, taken in the caller's transaction."""
    insert = upsert_capable_insert(session, control_numbers).values(scope=scope, last_value=1)
    bump = insert.on_conflict_do_update(
        index_elements=["scope"], set_={"last_value": control_numbers.c.last_value + 1}
    ).returning(control_numbers.c.last_value)
    value: int = (await session.execute(bump)).scalar_one()
    return value


async def upsert_patient(session: AsyncSession, tenant_id: str, patient_key: str, record: dict[str, Any]) -> None:
    statement = upsert_capable_insert(session, patients).values(
        tenant_id=tenant_id, patient_key=patient_key, record=record, updated_at=utc_now()
    )
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "patient_key"],
        set_={"record": statement.excluded.record, "updated_at": statement.excluded.updated_at},
    )
    await session.execute(statement)


async def patient_record(session: AsyncSession, tenant_id: str, patient_key: str) -> dict[str, Any] | None:
    record: dict[str, Any] | None = await session.scalar(
        select(patients.c.record).where(patients.c.tenant_id == tenant_id, patients.c.patient_key == patient_key)
    )
    return record


async def claim_row(session: AsyncSession, claim_id: str, *, for_update: bool = False) -> Any:
    """The claim with this CLM01 (claim ids embed a digest of the tenant, so they are unique)."""
    query = select(claims).where(claims.c.claim_id == claim_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).mappings().first()


async def set_claim(session: AsyncSession, tenant_id: str, claim_id: str, **values: Any) -> None:
    await session.execute(
        update(claims)
        .where(claims.c.tenant_id == tenant_id, claims.c.claim_id == claim_id)
        .values(updated_at=utc_now(), **values)
    )


async def upsert_billing_provider(session: AsyncSession, tenant_id: str, registration: dict[str, Any]) -> None:
    values = {"active": registration["active"], "registration": registration, "updated_at": utc_now()}
    statement = upsert_capable_insert(session, billing_providers).values(
        tenant_id=tenant_id, npi=registration["npi"], **values
    )
    await session.execute(statement.on_conflict_do_update(index_elements=["tenant_id", "npi"], set_=values))


async def active_billing_providers(session: AsyncSession, tenant_id: str) -> dict[str, dict[str, Any]]:
    """The tenant's active registrations by NPI (only these may appear in a claim of the tenant)."""
    query = select(billing_providers.c.npi, billing_providers.c.registration).where(
        billing_providers.c.tenant_id == tenant_id, billing_providers.c.active.is_(True)
    )
    return {npi: registration for npi, registration in (await session.execute(query)).all()}
