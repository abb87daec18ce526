"""The claims service's state. PHI at rest lives in ``patients`` (and in the 837P text it produces).

Money is kept as decimal text (exact on SQLite and PostgreSQL alike). Control numbers come from
``control_numbers``: one row per scope, bumped atomically (the row lock serializes two batch runs).
The interchange scope is one sequence for the whole service (every tenant and submitter): an ICN (=
GS06, in BHT03 and the file name) is taken once and never given to another interchange; resending the
same stored interchange after a crash sends the same ICN with the same text, and a rebuilt or corrected
claim goes out in a new interchange with a new number (``interchanges`` has the ICN as primary key).

Tables added after the first release are new tables (``create_all`` adds them to an existing
database; ADR 003): ``interchange_envelopes``, ``claim_status_changes``, ``acknowledgment_tenants``,
``foreign_acknowledgments``, ``claim_billing_providers``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.domain.claim_aggregate import StatusStep
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
    # claim_row() finds a claim by its CLM01 alone: its own index (the key leads with the tenant), else every
    # look-up scans the table, and a batch of n claims costs n^2 (0002_claim_id_index)
    Column("claim_id", String(40), primary_key=True, index=True),
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

# What each interchange was addressed from and to, read back from its text when it is stored (and for
# interchanges stored before this table existed, the first time an acknowledgment is read).
interchange_envelopes = Table(
    "interchange_envelopes",
    metadata,
    Column("interchange_control_number", Integer, primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("sender_qualifier", String(2), nullable=False),
    Column("sender_id", String(15), nullable=False),
    Column("receiver_qualifier", String(2), nullable=False),
    Column("receiver_id", String(15), nullable=False),
    Column("group_sender", String(15), nullable=False),
    Column("group_receiver", String(15), nullable=False),
    Column("group_control_number", Integer, nullable=False, index=True),
    Column("transaction_sets", JSON, nullable=False),  # ST02 of each transaction set
    Column("batch_reference", String(50), nullable=False, index=True),
    Column("billing", JSON, nullable=False),  # {CLM01: {"npi": ..., "tin": ...}}
)

# Every status step of every claim, in order, made by the ``Claim`` aggregate and stored by ``claim_repository.save``:
# ``step`` is the revision of the claim's ``ClaimStatusChanged``; ``from_status`` is '' for the first (built).
claim_status_changes = Table(
    "claim_status_changes",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(40), primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("from_status", String(20), nullable=False),
    Column("to_status", String(20), nullable=False),
    Column("source", String(20), nullable=False),  # batch, 999, 277ca, 835, admin
    Column("acknowledgment_digest", String(64), nullable=True),  # SHA-256 of the acknowledgment file
    Column("natural_key", String(200), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("note", Text, nullable=True),  # the admin's reason for a reversal (not published)
    Column("reverses_step", Integer, nullable=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# The billing provider each claim bills under (the NPI of its grouping key), so that every status event of the
# claim names it; written when the claim is built or rebuilt (a claim built before this table has none).
claim_billing_providers = Table(
    "claim_billing_providers",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(40), primary_key=True),
    Column("billing_provider_npi", String(10), nullable=False),
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


# The tenants an acknowledgment file was matched to (it was addressed to them).
acknowledgment_tenants = Table(
    "acknowledgment_tenants",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("tenant_id", String(64), primary_key=True),
)

# Acknowledgments that were not ours: nothing was changed; kept for a person with the reason.
foreign_acknowledgments = Table(
    "foreign_acknowledgments",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("file_name", String(255), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
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
    """Update the claim's columns other than ``status`` (only ``write_status``, for the aggregate, sets that)."""
    if "status" in values:
        raise ValueError("a claim's status changes only through its aggregate (claim_repository.save)")
    await _update_claim(session, tenant_id, claim_id, values)


async def write_status(session: AsyncSession, tenant_id: str, claim_id: str, status: str, **values: Any) -> None:
    """Store the status the ``Claim`` aggregate reached, with the other columns of the same steps."""
    await _update_claim(session, tenant_id, claim_id, {"status": status, **values})


async def _update_claim(session: AsyncSession, tenant_id: str, claim_id: str, values: dict[str, Any]) -> None:
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


async def last_status_change(session: AsyncSession, tenant_id: str, claim_id: str) -> Any:
    """The claim's latest recorded status change, or None."""
    changes = claim_status_changes
    query = (
        select(changes)
        .where(changes.c.tenant_id == tenant_id, changes.c.claim_id == claim_id)
        .order_by(changes.c.step.desc())
        .limit(1)
    )
    return (await session.execute(query)).mappings().first()


async def record_step(session: AsyncSession, tenant_id: str, step: StatusStep) -> None:
    """Append one step to the claim's status history (its number is the step's revision)."""
    event = step.event
    await session.execute(
        claim_status_changes.insert().values(
            tenant_id=tenant_id,
            claim_id=event.claim_id,
            step=event.revision,
            from_status=event.previous_status.value if event.previous_status is not None else "",
            to_status=event.status.value,
            source=event.source,
            acknowledgment_digest=step.acknowledgment_digest,
            natural_key=step.natural_key,
            reasons=list(event.reasons),
            note=step.note,
            reverses_step=step.reverses_step,
            changed_at=utc_now(),
        )
    )
