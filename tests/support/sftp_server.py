"""A real SFTP server for tests: asyncssh on 127.0.0.1 (a free port), one username/password, files
rooted (chrooted) in a directory; started and stopped by :func:`running_sftp_server`."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncssh

LOOPBACK = "127.0.0.1"


@dataclass
class SftpServer:
    host: str
    port: int
    root: Path
    username: str
    password: str
    host_key: asyncssh.SSHKey

    def path(self, remote: str) -> Path:
        """The file on the server's disk for an absolute remote path such as ``/inbound/x``."""
        return self.root / remote.lstrip("/")

    def write_known_hosts(self, path: Path) -> Path:
        """A known_hosts file trusting this server's key at its host and port."""
        public = self.host_key.export_public_key("openssh").decode().strip()
        path.write_text(f"[{self.host}]:{self.port} {public}\n")
        return path


class _PasswordServer(asyncssh.SSHServer):
    def __init__(self, username: str, password: str) -> None:
        self._username, self._password = username, password

    def begin_auth(self, username: str) -> bool:
        return True  # always ask for a password

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return username == self._username and password == self._password


@asynccontextmanager
async def running_sftp_server(
    root: Path, username: str = "otrcm-test", password: str = "s3cret-for-tests"
) -> AsyncIterator[SftpServer]:
    """An SFTP-only server on 127.0.0.1 serving ``root`` (no shell, no SCP; port forwarding refused by default)."""
    await asyncio.to_thread(root.mkdir, parents=True, exist_ok=True)
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    chroot = str(root).encode()

    def sftp_factory(channel: asyncssh.SSHServerChannel[bytes]) -> asyncssh.SFTPServer:
        return asyncssh.SFTPServer(channel, chroot=chroot)

    acceptor = await asyncssh.listen(
        host=LOOPBACK,
        port=0,
        server_host_keys=[host_key],
        server_factory=lambda: _PasswordServer(username, password),
        sftp_factory=sftp_factory,
        allow_scp=False,
        allow_pty=False,
        agent_forwarding=False,
        x11_forwarding=False,
    )
    try:
        yield SftpServer(LOOPBACK, acceptor.get_port(), root, username, password, host_key)
    finally:
        acceptor.close()
        await acceptor.wait_closed()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
    return port
