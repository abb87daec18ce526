"""The periodic task: every ``OTRCM_CLAIMS_BATCH_INTERVAL_S`` seconds, run a batch and read the inbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from otrcm_claims.ack_inbox import FileReport, poll_inbox
from otrcm_claims.batch import BatchReport, build_and_submit
from otrcm_claims.billing_profiles import BillingProfiles
from otrcm_claims.clearinghouse import Clearinghouse, FileDropClearinghouse, SftpClearinghouse
from otrcm_claims.settings import ClaimsSettings, ClearinghouseKind
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.tables import KitTables

log = logging.getLogger(__name__)


def clearinghouse_for(settings: ClaimsSettings) -> Clearinghouse:
    if settings.claims_clearinghouse is ClearinghouseKind.SFTP:
        return SftpClearinghouse(
            settings.claims_sftp_host or "",
            settings.claims_sftp_port,
            settings.claims_sftp_username or "",
            settings.claims_sftp_remote_dir,
        )
    return FileDropClearinghouse(settings.outbox_path)


class ClaimsJobs:
    """The batch and the inbox poll, with everything they need; ``start()``/``stop()`` run them periodically."""

    def __init__(
        self,
        settings: ClaimsSettings,
        db: Database,
        tables: KitTables,
        clearinghouse: Clearinghouse | None = None,
        on_staged: object = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.tables = tables
        self.profiles = BillingProfiles.load(settings.claims_billing_profiles_file)
        self.clearinghouse = clearinghouse or clearinghouse_for(settings)
        self._on_staged = on_staged
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def run_batch(self, now: datetime | None = None) -> BatchReport:
        report = await build_and_submit(
            self.db,
            self.tables,
            self.profiles,
            self.clearinghouse,
            now or datetime.now(UTC),
            cutoff_hours=self.settings.claims_cutoff_hours,
            zone=ZoneInfo(self.settings.claims_timezone),
        )
        self._wake()
        return report

    async def read_inbox(self) -> list[FileReport]:
        reports = await poll_inbox(self.db, self.tables, self.settings.ack_inbox_path)
        self._wake()
        return reports

    def _wake(self) -> None:
        if callable(self._on_staged):
            self._on_staged()

    async def run_forever(self) -> None:
        while not self._stopping.is_set():
            for job in (self.run_batch, self.read_inbox):
                try:
                    await job()
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # the type only: messages of drivers may quote PHI
                    log.error("claims job %s failed with %s", job.__name__, type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.settings.claims_batch_interval_s)

    async def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self.run_forever(), name="claims-batch")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=30)
            self._task = None
