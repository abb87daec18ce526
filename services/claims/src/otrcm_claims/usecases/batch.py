"""The batch job: build and validate due claims, requested voids and due secondary claims, then submit them (run
periodically and by ``submit-now``).

The due claims are built a range of patients at a time, each range in a transaction of its own
(``DAYS_PER_TRANSACTION`` days or so, never splitting a patient): the batch's memory is bounded by one range,
not by everything due. A range commits its claims, validated and with their interchanges stored, before the
next is read; a crash between two ranges leaves the committed ones to be written by the next run, and the rest
unclaimed for it to build."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.clearinghouse import Clearinghouse
from otrcm_claims.adapters.due_days import patient_ranges
from otrcm_claims.usecases.batch_build import BuildReport, batch_steps, build_due_claims
from otrcm_claims.usecases.batch_corrections import build_voids
from otrcm_claims.usecases.batch_submit import submit_stored_interchanges
from otrcm_claims.usecases.secondary_claims import build_secondary_claims
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.outbox import stage
from otrcm_shared.runtime.tables import KitTables

DAYS_PER_TRANSACTION = 1000  # measured: docs/bench/2026-12-01-session-10.md


def _absorb(total: BuildReport, part: BuildReport) -> None:
    """What a committed range reports, without its staged events (they are in the outbox by now)."""
    total.validated += part.validated
    total.held.update(part.held)
    total.pending += part.pending
    total.interchanges += part.interchanges


@dataclass
class BatchReport:
    build: BuildReport
    submitted: list[str] = field(default_factory=list)

    def as_plain_data(self) -> dict[str, object]:
        """Ids, counts and reason codes only (safe to print or log)."""
        return {
            "validated": self.build.validated,
            "submitted": self.submitted,
            "held": self.build.held,
            "pending": self.build.pending,
            "interchanges": [f"{icn:09d}" for icn in self.build.interchanges],
        }


async def build_and_submit(
    db: Database,
    tables: KitTables,
    profiles: BillingProfiles,
    clearinghouse: Clearinghouse,
    now: datetime,
    *,
    cutoff_hours: float,
    zone: ZoneInfo,
) -> BatchReport:
    """One batch: build, render and validate a range of patients per transaction, then the requested voids and
    the secondary claims in one more, then write each interchange and mark its claims submitted."""
    total = BuildReport()
    async with db.transaction() as session:
        ranges = await patient_ranges(session, DAYS_PER_TRANSACTION)
    for within in ranges:
        async with db.transaction() as session:
            built = await build_due_claims(session, profiles, now, cutoff_hours, zone, within)
            await stage(session, tables, built.outgoing)
        _absorb(total, built)
    async with db.transaction() as session:
        built = BuildReport()
        await build_voids(session, profiles, now, built, batch_steps())
        await build_secondary_claims(session, profiles, now, built)  # coordination of benefits
        await stage(session, tables, built.outgoing)
    _absorb(total, built)
    submitted = await submit_stored_interchanges(db, tables, clearinghouse)
    return BatchReport(total, submitted)
