"""API keys: shown once when created, stored only as a SHA-256 hash, one tenant each."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.store import api_keys

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


KEY_ID_LENGTH = 12


def key_id(key_hash: str) -> str:
    """A key's id: the first characters of its hash (it names the key without revealing it)."""
    return key_hash[:KEY_ID_LENGTH]


async def keys_of(session: AsyncSession, tenant_id: str) -> list[dict[str, str | None]]:
    """The tenant's keys by id and prefix, oldest first, with when each was created and revoked."""
    rows = await session.execute(
        select(api_keys.c.key_hash, api_keys.c.key_prefix, api_keys.c.created_at, api_keys.c.revoked_at)
        .where(api_keys.c.tenant_id == tenant_id)
        .order_by(api_keys.c.created_at)
    )
    return [
        {
            "id": key_id(row.key_hash),
            "prefix": row.key_prefix,
            "created_at": row.created_at.isoformat(),
            "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
        }
        for row in rows
    ]


async def revoke_key_by_id(session: AsyncSession, tenant_id: str, key_id_: str) -> bool:
    """Revoke the tenant's live key with this id (the id alone, so revoking never needs the secret)."""
    if len(key_id_) != KEY_ID_LENGTH:
        return False
    result = await session.execute(
        update(api_keys)
        .where(
            api_keys.c.tenant_id == tenant_id,
            api_keys.c.key_hash.startswith(key_id_, autoescape=True),
            api_keys.c.revoked_at.is_(None),
        )
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def revoke_key(session: AsyncSession, key: str) -> bool:
    result = await session.execute(
        update(api_keys)
        .where(api_keys.c.key_hash == hash_key(key), api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
