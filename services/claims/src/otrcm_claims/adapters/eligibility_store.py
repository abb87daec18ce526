"""Eligibility state (docs/adr/015): each request asked for, the 270 that carried it, and the payer's answer.

``eligibility_requests``: one row per request id (from intake's ``EligibilityRequested``): the patient key,
payer, date asked about and reason; ``status`` pending (not sent yet), waiting (``note`` says which fact is
missing, ids only), sent (with the interchange control number, the ISA sender and the 270 text), answered.
``eligibility_responses``: the coverage facts read from the 271 (PHI: the payer's member id), kept here with
the patient record and never published. New tables (ADR 003: ``create_all`` adds them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Index, Integer, String, Table, Text, case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters.store import metadata, utc_now
from otrcm_shared.runtime.db import upsert_capable_insert

eligibility_requests = Table(
    "eligibility_requests",
    metadata,
    Column("request_id", String(20), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("patient_key", String(200), nullable=False),
    Column("payer_id", String(100), nullable=False),
    Column("service_date", Date, nullable=False),
    Column("reason", String(20), nullable=False),
    Column("status", String(10), nullable=False),
    Column("note", Text, nullable=True),
    Column("interchange_control_number", Integer, nullable=True),
    Column("sender_id", String(15), nullable=True),
    Column("inquiry_text", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # release_waiting() runs on every patient record; without it each one scans every request (0003)
    Index("ix_eligibility_requests_patient", "tenant_id", "patient_key"),
)

eligibility_responses = Table(
    "eligibility_responses",
    metadata,
    Column("request_id", String(20), primary_key=True),
    Column("digest", String(64), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("status", String(10), nullable=False),
    Column("facts", JSON, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)


async def remember_request(session: AsyncSession, tenant_id: str, values: dict[str, Any]) -> None:
    """Keep a new request as pending; the same request id again changes nothing."""
    now = utc_now()
    statement = upsert_capable_insert(session, eligibility_requests).values(
        tenant_id=tenant_id, status="pending", created_at=now, updated_at=now, **values
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=["request_id"]))


async def requests_to_send(session: AsyncSession, limit: int = 100) -> list[Any]:
    """Requests not sent yet: pending ones first (so requests that keep waiting never hold new ones back), then
    those waiting for a fact that may have arrived, the one tried longest ago first: each try stamps
    ``updated_at``, so more than ``limit`` waiting requests take turns instead of the oldest ones taking every
    run."""
    rows = eligibility_requests.c
    waiting_last = case((rows.status == "pending", 0), else_=1)
    query = (
        select(eligibility_requests)
        .where(rows.status.in_(("pending", "waiting")))
        .order_by(waiting_last, rows.updated_at, rows.request_id)
        .limit(limit)
    )
    return list((await session.execute(query)).mappings().all())


async def release_waiting(session: AsyncSession, tenant_id: str, patient_key: str | None = None) -> None:
    """The tenant's waiting requests (only the patient's, when named) become pending again: a fact they wait
    for may have just arrived, and pending requests are tried first on the next run."""
    rows = eligibility_requests.c
    condition = (rows.tenant_id == tenant_id) & (rows.status == "waiting")
    if patient_key is not None:
        condition &= rows.patient_key == patient_key
    await session.execute(update(eligibility_requests).where(condition).values(status="pending", note=None))


async def lock_unsent(session: AsyncSession, request_id: str) -> Any:
    """The request's row, locked, while it is still to be sent (None once another run took it)."""
    rows = eligibility_requests.c
    query = (
        select(eligibility_requests)
        .where(rows.request_id == request_id, rows.status.in_(("pending", "waiting")))
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(query)).mappings().first()


async def request_row(session: AsyncSession, request_id: str) -> Any:
    query = select(eligibility_requests).where(eligibility_requests.c.request_id == request_id)
    return (await session.execute(query)).mappings().first()


async def set_request(session: AsyncSession, request_id: str, **values: Any) -> None:
    await session.execute(
        update(eligibility_requests)
        .where(eligibility_requests.c.request_id == request_id)
        .values(updated_at=utc_now(), **values)
    )


async def remember_response(
    session: AsyncSession, tenant_id: str, request_id: str, digest: str, status: str, facts: dict[str, Any]
) -> None:
    statement = upsert_capable_insert(session, eligibility_responses).values(
        request_id=request_id, digest=digest, tenant_id=tenant_id, status=status, facts=facts, received_at=utc_now()
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=["request_id", "digest"]))
