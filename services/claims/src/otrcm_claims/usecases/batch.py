"""The batch job: build and validate due claims and due secondary claims, then submit them (run periodically
and by ``submit-now``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.clearinghouse import Clearinghouse
from otrcm_claims.usecases.batch_build import BuildReport, build_due_claims
from otrcm_claims.usecases.batch_submit import submit_stored_interchanges
from otrcm_claims.usecases.secondary_claims import build_secondary_claims
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.outbox import stage
from otrcm_shared.runtime.tables import KitTables


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
    """One batch: build, render and validate in one transaction, then write and mark submitted."""
    async with db.transaction() as session:
        built = await build_due_claims(session, profiles, now, cutoff_hours, zone)
        await build_secondary_claims(session, profiles, now, built)  # coordination of benefits
        await stage(session, tables, built.outgoing)
    submitted = await submit_stored_interchanges(db, tables, clearinghouse)
    return BatchReport(built, submitted)
