"""Users (argon2id password hashes), sessions (random tokens kept as SHA-256 hashes, each with its CSRF token),
the tenants' API keys and the access audit, in the console's tables."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_console.adapters.store import access_audit, sessions, tenant_keys, users

HASHER = PasswordHasher()  # argon2id, the library's defaults (RFC 9106's second recommended option)
# A hash to verify against when the user does not exist, so a wrong name costs what a wrong password does.
_DUMMY_HASH = HASHER.hash("not a password anyone has")


@dataclass(frozen=True, slots=True)
class SignedIn:
    token_hash: str
    tenant_id: str
    username: str
    role: str
    csrf_token: str
    last_seen: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def create_user(session: AsyncSession, tenant_id: str, username: str, role: str, password: str) -> None:
    now = datetime.now(UTC)
    found = await session.scalar(
        select(users.c.username).where(users.c.tenant_id == tenant_id, users.c.username == username)
    )
    values = {"role": role, "password_hash": await asyncio.to_thread(HASHER.hash, password)}
    if found is None:
        await session.execute(insert(users).values(tenant_id=tenant_id, username=username, created_at=now, **values))
    else:
        await session.execute(
            update(users).where(users.c.tenant_id == tenant_id, users.c.username == username).values(**values)
        )


async def check_password(session: AsyncSession, tenant_id: str, username: str, password: str) -> str | None:
    """The user's role when the password is theirs, else None (same work either way)."""
    row = (
        await session.execute(
            select(users.c.role, users.c.password_hash).where(
                users.c.tenant_id == tenant_id, users.c.username == username
            )
        )
    ).first()
    try:  # argon2 is memory- and time-hard on purpose: off the event loop, so other requests go on meanwhile
        await asyncio.to_thread(HASHER.verify, row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return str(row.role) if row else None


async def open_session(
    session: AsyncSession, tenant_id: str, username: str, role: str, now: datetime
) -> tuple[str, str]:
    """A new session: the token (for the cookie, never stored) and its CSRF token."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    await session.execute(
        insert(sessions).values(
            token_hash=token_hash(token),
            tenant_id=tenant_id,
            username=username,
            role=role,
            csrf_token=csrf,
            created_at=now,
            last_seen=now,
        )
    )
    return token, csrf


async def session_of(session: AsyncSession, token: str) -> SignedIn | None:
    row = (await session.execute(select(sessions).where(sessions.c.token_hash == token_hash(token)))).first()
    if row is None:
        return None
    return SignedIn(row.token_hash, row.tenant_id, row.username, row.role, row.csrf_token, _utc(row.last_seen))


async def touch(session: AsyncSession, hashed: str, now: datetime) -> None:
    await session.execute(update(sessions).where(sessions.c.token_hash == hashed).values(last_seen=now))


async def end_session(session: AsyncSession, hashed: str) -> None:
    await session.execute(delete(sessions).where(sessions.c.token_hash == hashed))


async def set_tenant_key(session: AsyncSession, tenant_id: str, api_key: str) -> None:
    await session.execute(delete(tenant_keys).where(tenant_keys.c.tenant_id == tenant_id))
    await session.execute(insert(tenant_keys).values(tenant_id=tenant_id, api_key=api_key))


async def tenant_key(session: AsyncSession, tenant_id: str) -> str | None:
    found: str | None = await session.scalar(select(tenant_keys.c.api_key).where(tenant_keys.c.tenant_id == tenant_id))
    return found


async def audit(
    session: AsyncSession,
    tenant_id: str,
    username: str,
    action: str,
    kind: str | None = None,
    resource_id: str | None = None,
) -> None:
    """One access-audit row: who did what to which record, and when (UTC); never a value that was shown."""
    await session.execute(
        insert(access_audit).values(
            tenant_id=tenant_id,
            username=username,
            action=action,
            resource_kind=kind,
            resource_id=resource_id,
            at=datetime.now(UTC),
        )
    )


async def audit_since(session: AsyncSession, tenant_id: str, since: date) -> list[dict[str, Any]]:
    a = access_audit.c
    rows = await session.execute(
        select(access_audit)
        .where(a.tenant_id == tenant_id, a.at >= datetime.combine(since, time.min, UTC))
        .order_by(a.at, a.id)
    )
    return [
        {
            "at": _utc(r.at).isoformat(),
            "tenant_id": r.tenant_id,
            "username": r.username,
            "action": r.action,
            "resource_kind": r.resource_kind,
            "resource_id": r.resource_id,
        }
        for r in rows
    ]
