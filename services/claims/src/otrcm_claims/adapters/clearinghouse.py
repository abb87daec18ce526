"""The clearinghouse port: where a validated 837P interchange is handed over, and its adapters.

- :class:`FileDropClearinghouse` (the default): one file per interchange in a directory, named by its
  interchange control number (``837P-000000123.x12``), written to a temporary file and renamed, so a
  pick-up job never sees half a file; writing the same interchange again replaces it (idempotent).
- :class:`SftpClearinghouse`: the same file, uploaded over SFTP (asyncssh, password authentication) to
  the clearinghouse's drop directory: written under a hidden temporary name and renamed
  (``posix-rename@openssh.com``, so an existing file of the same name is replaced atomically).
- :func:`download_acknowledgments`: fetches 999/277CA/835 files from the clearinghouse's outbound
  directory into the local acknowledgment inbox (hidden temp file + rename), then moves each remote
  file to ``processed/`` there; the inbox poll ingests them (by content digest, so a file fetched
  twice after a crash is read once).

Any failure to reach or write the clearinghouse raises :class:`ClearinghouseUnavailable`: the batch
stops before marking that interchange's claims submitted, so they stay ``validated`` and the same
interchange is written again at the next run. Messages name files and hosts only, never content.

Host keys: with a ``known_hosts`` file the server's key is checked against it. Without one, host-key
checking is **disabled**; that is allowed only for a loopback host (tests, a local tunnel) and
refused otherwise with :class:`ClearinghouseMisconfigured`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import posixpath
import stat
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import asyncssh

log = logging.getLogger(__name__)


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
        return write_whole(self.directory, interchange_file_name(interchange_control_number), text)


def write_whole(directory: Path, name: str, text: str) -> str:
    """Write ``text`` as ``directory/name`` through a temporary file and a rename, so a pick-up job never sees half
    a file and writing the same name again replaces it; returns the path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=directory)
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


class ClearinghouseUnavailable(Exception):
    """The interchange (or acknowledgment) was not transferred; nothing is marked, try again later."""


class ClearinghouseMisconfigured(ValueError):
    """The SFTP settings are incomplete or unsafe (message names the setting, never a secret)."""


def is_loopback(host: str) -> bool:
    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SftpEndpoint:
    """Where and how to log in; ``known_hosts=None`` (no host-key check) is refused for a non-loopback host."""

    host: str
    port: int
    username: str
    password: str = field(repr=False)
    known_hosts: Path | None = None
    timeout_s: float = 30.0

    def __post_init__(self) -> None:
        missing = [name for name in ("host", "username", "password") if not getattr(self, name)]
        if missing:
            settings = ", ".join(f"OTRCM_CLAIMS_SFTP_{name.upper()}" for name in missing)
            raise ClearinghouseMisconfigured(f"the SFTP clearinghouse needs {settings}")
        if self.known_hosts is None and not is_loopback(self.host):
            raise ClearinghouseMisconfigured(
                f"refusing to connect to {self.host} without host-key checking: set OTRCM_CLAIMS_SFTP_KNOWN_HOSTS"
                " (disabling the check is allowed only for a loopback host, in tests)"
            )

    def where(self, remote_path: str) -> str:
        return f"sftp://{self.host}:{self.port}{remote_path}"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[asyncssh.SFTPClient]:
        """An SFTP session; connection and authentication errors raise :class:`ClearinghouseUnavailable`."""
        try:
            connection = await asyncio.wait_for(
                asyncssh.connect(
                    self.host,
                    self.port,
                    username=self.username,
                    password=self.password,
                    known_hosts=str(self.known_hosts) if self.known_hosts is not None else None,
                    client_keys=None,
                    agent_path=None,
                    config=None,
                    preferred_auth="password",
                    connect_timeout=self.timeout_s,
                ),
                timeout=self.timeout_s,
            )
        except (OSError, asyncssh.Error, TimeoutError) as error:
            raise ClearinghouseUnavailable(
                f"cannot reach the SFTP clearinghouse at {self.host}:{self.port}: {type(error).__name__}"
            ) from None
        try:
            async with connection, connection.start_sftp_client() as sftp:
                yield sftp
        except (OSError, asyncssh.Error, TimeoutError) as error:
            raise ClearinghouseUnavailable(
                f"SFTP transfer with {self.host}:{self.port} failed: {type(error).__name__}"
            ) from None


async def _replace(sftp: asyncssh.SFTPClient, source: str, target: str) -> None:
    """Rename ``source`` over ``target``: atomic with posix-rename, else remove the old one first."""
    try:
        await sftp.posix_rename(source, target)
    except asyncssh.SFTPOpUnsupported:
        if await sftp.exists(target):
            await sftp.remove(target)
        await sftp.rename(source, target)


async def _ensure_dir(sftp: asyncssh.SFTPClient, directory: str) -> None:
    if not await sftp.isdir(directory):
        await sftp.makedirs(directory, exist_ok=True)


class SftpClearinghouse:
    """Uploads ``837P-<ICN>.x12`` into ``remote_dir`` (temp name + rename; the same ICN replaces the file)."""

    def __init__(self, endpoint: SftpEndpoint, remote_dir: str) -> None:
        self.endpoint = endpoint
        self.remote_dir = remote_dir

    async def submit(self, interchange_control_number: int, text: str) -> str:
        name = interchange_file_name(interchange_control_number)
        target = posixpath.join(self.remote_dir, name)
        temporary = posixpath.join(self.remote_dir, f".{name}.{uuid.uuid4().hex[:12]}.tmp")
        data = text.encode("ascii")
        async with self.endpoint.session() as sftp, asyncio.timeout(self.endpoint.timeout_s):
            await _ensure_dir(sftp, self.remote_dir)
            try:
                async with sftp.open(temporary, "wb") as remote:
                    await remote.write(data)
                await _replace(sftp, temporary, target)
            except BaseException:
                await _discard(sftp, temporary)
                raise
        return self.endpoint.where(target)


async def _discard(sftp: asyncssh.SFTPClient, path: str) -> None:
    with suppress(OSError, asyncssh.Error):  # OSError includes TimeoutError
        async with asyncio.timeout(5):
            await sftp.remove(path)


async def download_acknowledgments(endpoint: SftpEndpoint, remote_dir: str, inbox: Path) -> list[str]:
    """Move every regular, non-hidden file in ``remote_dir`` into ``inbox`` (then to ``processed/`` remotely).

    The file lands in the inbox under its remote name (a hidden temporary file renamed, so the poll
    never reads half a file); a different file already waiting there under that name keeps it and the
    new one gets a numbered name. Returns the local names. A crash after the download and before the
    remote move fetches the file again next time; the inbox reads the same content once.
    """
    processed = posixpath.join(remote_dir, "processed")
    fetched: list[str] = []
    async with endpoint.session() as sftp:
        if not await sftp.isdir(remote_dir):
            return []
        entries = sorted(await sftp.readdir(remote_dir), key=lambda entry: str(entry.filename))
        for entry in entries:
            name = str(entry.filename)
            if name.startswith(".") or "/" in name or "\\" in name or entry.attrs.permissions is None:
                continue
            if not stat.S_ISREG(entry.attrs.permissions):
                continue
            source = posixpath.join(remote_dir, name)
            async with asyncio.timeout(endpoint.timeout_s):
                async with sftp.open(source, "rb") as remote:
                    content = await remote.read()
                data = content if isinstance(content, bytes) else content.encode("ascii")  # "rb": always bytes
                local = await asyncio.to_thread(_store_in_inbox, inbox, name, data)
                await _ensure_dir(sftp, processed)
                await _replace(sftp, source, posixpath.join(processed, name))
            log.info("acknowledgment %s fetched from the SFTP clearinghouse", local)
            fetched.append(local)
    return fetched


def _store_in_inbox(inbox: Path, name: str, data: bytes) -> str:
    inbox.mkdir(parents=True, exist_ok=True)
    target = _free_name(inbox, name, data)
    if target is None:  # the same content is already waiting
        return name
    handle, temporary = tempfile.mkstemp(prefix=".sftp-", suffix=".tmp", dir=inbox)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target.name


def _free_name(inbox: Path, name: str, data: bytes) -> Path | None:
    candidate = inbox / name
    number = 0
    while candidate.exists():
        if candidate.is_file() and candidate.read_bytes() == data:
            return None
        number += 1
        stem, dot, suffix = name.partition(".")
        candidate = inbox / f"{stem}-{number}{dot}{suffix}"
    return candidate
