"""The clearinghouse port: where a validated 837P interchange is handed over, and its adapters.

- :class:`FileDropClearinghouse` (the default): one file per interchange in a directory, named by its
  interchange control number (``837P-000000123.x12``), written to a temporary file and renamed, so a
  pick-up job never sees half a file; writing the same interchange again replaces it (idempotent).
- :class:`SftpClearinghouse`: a stub. It raises ``NotImplementedError`` (not built yet).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Protocol


def interchange_file_name(interchange_control_number: int) -> str:
    """The file name of an interchange: its ISA13 control number, nine digits."""
    return f"837P-{interchange_control_number:09d}.x12"


class Clearinghouse(Protocol):
    """Hands one interchange over; must be idempotent for the same control number."""

    async def submit(self, interchange_control_number: int, text: str) -> str:
        """Deliver ``text``; returns where it went (a path or a remote name, no PHI)."""
        ...


class FileDropClearinghouse:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def submit(self, interchange_control_number: int, text: str) -> str:
        return await asyncio.to_thread(self._write, interchange_control_number, text)

    def _write(self, interchange_control_number: int, text: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / interchange_file_name(interchange_control_number)
        handle, temporary = tempfile.mkstemp(prefix=".837P-", suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(handle, "w", encoding="ascii", newline="") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return str(target)


class SftpClearinghouse:
    """Upload to the clearinghouse's SFTP drop (not implemented yet: use the file drop and a transfer job)."""

    def __init__(self, host: str, port: int, username: str, remote_dir: str) -> None:
        self.host, self.port, self.username, self.remote_dir = host, port, username, remote_dir

    async def submit(self, interchange_control_number: int, text: str) -> str:
        raise NotImplementedError(
            "the SFTP clearinghouse adapter is not implemented; set OTRCM_CLAIMS_CLEARINGHOUSE=file"
        )
