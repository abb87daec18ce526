"""API keys: shown once when created, stored only as a SHA-256 hash, one tenant each."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.store import api_keys

KEY_PREFIX = "otrcm_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def create_key(session: AsyncSession, tenant_id: str) -> str:
    """A new key for ``tenant_id``; the caller shows it once (only its hash is kept)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    await session.execute(
        insert(api_keys).values(
            key_hash=hash_key(key), tenant_id=tenant_id, key_prefix=key[:12], created_at=datetime.now(UTC)
        )
    )
    return key


async def tenant_of(session: AsyncSession, key: str) -> str | None:
    """The tenant a live key belongs to, or None (unknown or revoked)."""
    row = (
        await session.execute(
            select(api_keys.c.tenant_id).where(api_keys.c.key_hash == hash_key(key), api_keys.c.revoked_at.is_(None))
        )
    ).first()
    return None if row is None else str(row.tenant_id)


async def revoke_key(session: AsyncSession, key: str) -> bool:
    result = await session.execute(
        update(api_keys)
        .where(api_keys.c.key_hash == hash_key(key), api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
