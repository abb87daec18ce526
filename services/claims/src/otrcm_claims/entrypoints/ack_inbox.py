"""The acknowledgment inbox: every file dropped in it is read once (999, 277CA, 835, or a 271 eligibility
response) and moved away.

A file is recognised by its transaction set (ST01 999, 277, 835 or 271). Its effect (status changes and
their events) and the record that it was read (by SHA-256 of its content, so the same file dropped
again changes nothing) are one transaction. Then it moves to ``processed/``, or to ``failed/`` with a
``<name>.reason.txt`` saying why (ids and error kinds only, never the file's content).

A file that is not addressed to us (``domain.addressing``) changes nothing: it is recorded in
``foreign_acknowledgments`` with the reason, reported with outcome ``not_ours`` and moved to
``not-ours/`` with a ``<name>.reason.txt``, for a person to take up with the clearinghouse.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from otrcm_claims.adapters import store
from otrcm_claims.adapters.sent_interchanges import backfill_envelopes
from otrcm_claims.adapters.x12 import X12ReadError, read_segments
from otrcm_claims.usecases.acknowledgments import IngestResult, ingest_277ca, ingest_999
from otrcm_claims.usecases.eligibility_responses import ingest_271
from otrcm_claims.usecases.remittance import ingest_835
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.outbox import stage
from otrcm_shared.runtime.tables import KitTables

log = logging.getLogger(__name__)

INGESTERS = {"999": ingest_999, "277": ingest_277ca, "835": ingest_835, "271": ingest_271}


class UnreadableAcknowledgment(Exception):
    """Not an X12 interchange with a 999, 277, 835 or 271 transaction set (message without content)."""


@dataclass
class FileReport:
    name: str
    kind: str
    outcome: str  # processed, duplicate, not_ours or failed
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def kind_of(text: str) -> str:
    try:
        kinds = {segment.get(1) for segment in read_segments(text) if segment.id == "ST"}
    except X12ReadError as error:
        raise UnreadableAcknowledgment(str(error)) from None
    known = sorted(kinds & INGESTERS.keys())
    if len(known) != 1:
        raise UnreadableAcknowledgment(f"expected one of 999, 277, 835, 271 transaction sets, found {sorted(kinds)}")
    return known[0]


async def ingest_text(
    db: Database, tables: KitTables, text: str, *, file_name: str | None = None
) -> IngestResult | None:
    """Apply one acknowledgment (or, when it is not ours, record why and apply nothing); None when this
    exact content was ingested before."""
    kind = kind_of(text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    async with db.transaction() as session:
        seen = await session.scalar(
            select(store.acknowledgment_files.c.digest).where(store.acknowledgment_files.c.digest == digest)
        )
        if seen is not None:
            return None
        await backfill_envelopes(session)
        result: IngestResult = await INGESTERS[kind](session, text, digest)
        now = store.utc_now()
        await session.execute(store.acknowledgment_files.insert().values(digest=digest, kind=kind, ingested_at=now))
        if result.not_ours:
            await session.execute(
                store.foreign_acknowledgments.insert().values(
                    digest=digest, kind=kind, reason=not_ours_reason(result), file_name=file_name, received_at=now
                )
            )
            return result
        for tenant_id in sorted(result.tenants):
            await session.execute(store.acknowledgment_tenants.insert().values(digest=digest, tenant_id=tenant_id))
        await stage(session, tables, result.outgoing)
    return result


def not_ours_reason(result: IngestResult) -> str:
    """One line: the kind and every reason (ids, qualifiers and control numbers only)."""
    return f"not ours ({result.kind}): " + "; ".join(result.not_ours)


async def ingest_file(db: Database, tables: KitTables, path: Path, *, move_to: Path | None = None) -> FileReport:
    """Ingest one file; with ``move_to`` (the inbox) it is moved to ``processed/`` or ``failed/`` there."""
    try:
        text = await asyncio.to_thread(path.read_text, "ascii")
        result = await ingest_text(db, tables, text, file_name=path.name)
    except (UnreadableAcknowledgment, UnicodeDecodeError, ValueError, ArithmeticError, IndexError, KeyError) as error:
        reason = (
            f"{type(error).__name__}: {error}" if isinstance(error, UnreadableAcknowledgment) else type(error).__name__
        )
        log.warning("acknowledgment %s failed: %s", path.name, reason)
        if move_to is not None:
            _move(path, move_to / "failed")
            (move_to / "failed" / f"{path.name}.reason.txt").write_text(reason + "\n")
        return FileReport(path.name, "unknown", "failed", notes=[reason])
    if result is not None and result.not_ours:
        reason = not_ours_reason(result)
        log.warning("acknowledgment %s is not ours: %s", path.name, reason)
        if move_to is not None:
            _move(path, move_to / "not-ours")
            (move_to / "not-ours" / f"{path.name}.reason.txt").write_text(reason + "\n")
        return FileReport(path.name, result.kind, "not_ours", [], result.not_ours)
    if move_to is not None:
        _move(path, move_to / "processed")
    if result is None:
        return FileReport(path.name, "", "duplicate", notes=["this content was ingested before"])
    return FileReport(path.name, result.kind, "processed", result.changes, result.notes)


async def poll_inbox(db: Database, tables: KitTables, inbox: Path) -> list[FileReport]:
    """Ingest every regular, non-hidden file directly in ``inbox``, oldest name first."""
    files = await asyncio.to_thread(_waiting_files, inbox)
    return [await ingest_file(db, tables, path, move_to=inbox) for path in files]


def _waiting_files(inbox: Path) -> list[Path]:
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith("."))


def _move(path: Path, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), directory / path.name)
