"""The eligibility port: where a 270 is handed over, like the claims' file-drop clearinghouse.

:class:`FileDropEligibility` writes one file per interchange, ``270-<ICN>.x12`` (nine digits), in
``OTRCM_ELIGIBILITY_OUTBOX_DIR`` through a temporary file and a rename, so a pick-up job never sees half a
file and writing the same interchange again replaces it. The 271 comes back through the acknowledgment
inbox (``entrypoints/ack_inbox.py`` recognises ST*271).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol

from otrcm_claims.adapters.clearinghouse import write_whole


def inquiry_file_name(interchange_control_number: int) -> str:
    return f"270-{interchange_control_number:09d}.x12"


class EligibilityPort(Protocol):
    async def send(self, interchange_control_number: int, text: str) -> str:
        """Deliver the 270 ``text``; returns where it went (a path, no PHI). Idempotent per control number."""
        ...


class FileDropEligibility:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, interchange_control_number: int, text: str) -> str:
        return await asyncio.to_thread(self._write, interchange_control_number, text)

    def _write(self, interchange_control_number: int, text: str) -> str:
        return write_whole(self.directory, inquiry_file_name(interchange_control_number), text)
