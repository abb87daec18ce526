"""The claims service's settings: ``OTRCM_``-prefixed environment variables on top of the runtime's."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr

from otrcm_shared.runtime.settings import OffPathSettings


class ClearinghouseKind(StrEnum):
    FILE_DROP = "file"
    SFTP = "sftp"


class ClaimsSettings(OffPathSettings):
    """Batch timing, where interchanges go and where acknowledgments arrive, and the billing profiles."""

    claims_batch_interval_s: float = Field(default=300.0, gt=0, description="Seconds between batch runs.")
    claims_cutoff_hours: float = Field(
        default=24.0, ge=0, description="Hours after the end of the date of service before a day is billed."
    )
    claims_timezone: str = Field(default="America/Chicago", description="Where the date of service ends.")
    outbox_dir: Path | None = Field(default=None, description="837P file drop; default <var_dir>/outbox/837p.")
    ack_inbox_dir: Path | None = Field(default=None, description="999/277CA/835/271 drop; default <var_dir>/inbox.")
    eligibility_outbox_dir: Path | None = Field(
        default=None, description="270 file drop; default <var_dir>/outbox/270."
    )
    claims_billing_profiles_file: Path | None = Field(
        default=None, description="Billing profiles JSON; default the sample shipped in otrcm_claims/data."
    )
    claims_clearinghouse: ClearinghouseKind = ClearinghouseKind.FILE_DROP
    claims_sftp_host: str | None = None
    claims_sftp_port: int = 22
    claims_sftp_username: str | None = None
    claims_sftp_password: SecretStr | None = None
    claims_sftp_remote_dir: str = Field(default="/inbound", description="Where 837P files are uploaded.")
    claims_sftp_ack_dir: str = Field(
        default="/outbound", description="Where the clearinghouse leaves 999/277CA/835 files (moved to processed/)."
    )
    claims_sftp_known_hosts: Path | None = Field(
        default=None,
        description="known_hosts file for the server's key; None disables host-key checking (loopback hosts only).",
    )
    claims_sftp_timeout_s: float = Field(default=30.0, gt=0, description="Connect / transfer timeout in seconds.")

    def batch_time(self) -> datetime:
        """The instant the billing cut-off is measured at: the end of the business date in ``claims_timezone``
        when ``OTRCM_BUSINESS_DATE`` is set (the batch bills that business day as closed), else the clock."""
        if self.business_date is None:
            return datetime.now(UTC)
        return datetime.combine(self.business_date + timedelta(days=1), time.min, tzinfo=ZoneInfo(self.claims_timezone))

    @property
    def outbox_path(self) -> Path:
        return self.outbox_dir or self.var_dir / "outbox" / "837p"

    @property
    def eligibility_outbox_path(self) -> Path:
        return self.eligibility_outbox_dir or self.var_dir / "outbox" / "270"

    @property
    def ack_inbox_path(self) -> Path:
        return self.ack_inbox_dir or self.var_dir / "inbox"
