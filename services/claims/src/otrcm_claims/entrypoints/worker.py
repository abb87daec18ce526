"""The periodic task: every ``OTRCM_CLAIMS_BATCH_INTERVAL_S`` seconds, run a batch and read the inbox
(with the SFTP clearinghouse, acknowledgments are first fetched from its outbound directory)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.clearinghouse import (
    Clearinghouse,
    FileDropClearinghouse,
    SftpClearinghouse,
    SftpEndpoint,
    download_acknowledgments,
)
from otrcm_claims.adapters.eligibility_drop import EligibilityPort, FileDropEligibility
from otrcm_claims.entrypoints.ack_inbox import FileReport, poll_inbox
from otrcm_claims.settings import ClaimsSettings, ClearinghouseKind
from otrcm_claims.usecases.batch import BatchReport, build_and_submit
from otrcm_claims.usecases.eligibility_requests import send_pending_inquiries
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.tables import KitTables

log = logging.getLogger(__name__)


def sftp_endpoint(settings: ClaimsSettings) -> SftpEndpoint:
    """The SFTP login from the settings; raises ``ClearinghouseMisconfigured`` if incomplete or unsafe."""
    password = settings.claims_sftp_password
    return SftpEndpoint(
        host=settings.claims_sftp_host or "",
        port=settings.claims_sftp_port,
        username=settings.claims_sftp_username or "",
        password=password.get_secret_value() if password is not None else "",
        known_hosts=settings.claims_sftp_known_hosts,
        timeout_s=settings.claims_sftp_timeout_s,
    )


def clearinghouse_for(settings: ClaimsSettings) -> Clearinghouse:
    if settings.claims_clearinghouse is ClearinghouseKind.SFTP:
        endpoint = sftp_endpoint(settings)
        if endpoint.known_hosts is None:
            log.warning("SFTP host-key checking is disabled (loopback host %s, tests only)", endpoint.host)
        return SftpClearinghouse(endpoint, settings.claims_sftp_remote_dir)
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
        self.eligibility: EligibilityPort = FileDropEligibility(settings.eligibility_outbox_path)
        self._on_staged = on_staged
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._one_batch_at_a_time = asyncio.Lock()  # the periodic batch and ``submit-now`` do not interleave

    async def run_batch(self, now: datetime | None = None) -> BatchReport:
        async with self._one_batch_at_a_time:
            report = await build_and_submit(
                self.db,
                self.tables,
                self.profiles,
                self.clearinghouse,
                now or self.settings.batch_time(),
                cutoff_hours=self.settings.claims_cutoff_hours,
                zone=ZoneInfo(self.settings.claims_timezone),
            )
        self._wake()
        return report

    async def send_eligibility_inquiries(self) -> dict[str, list[str]]:
        """Send the pending eligibility requests' 270s through the eligibility port (docs/adr/015)."""
        return await send_pending_inquiries(self.db, self.profiles, self.eligibility, self.settings.batch_time())

    async def fetch_acknowledgments(self) -> list[str]:
        """With the SFTP clearinghouse: move new files from its outbound directory into the local inbox."""
        if self.settings.claims_clearinghouse is not ClearinghouseKind.SFTP:
            return []
        if isinstance(self.clearinghouse, SftpClearinghouse):
            endpoint = self.clearinghouse.endpoint
        else:
            endpoint = sftp_endpoint(self.settings)
        return await download_acknowledgments(endpoint, self.settings.claims_sftp_ack_dir, self.settings.ack_inbox_path)

    async def read_inbox(self) -> list[FileReport]:
        reports = await poll_inbox(self.db, self.tables, self.settings.ack_inbox_path)
        self._wake()
        return reports

    def _wake(self) -> None:
        if callable(self._on_staged):
            self._on_staged()

    async def run_forever(self) -> None:
        while not self._stopping.is_set():
            for job in (self.run_batch, self.send_eligibility_inquiries, self.fetch_acknowledgments, self.read_inbox):
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
