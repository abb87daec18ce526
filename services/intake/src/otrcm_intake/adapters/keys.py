"""API keys: shown once when created, stored only as a SHA-256 hash, one tenant each, with terms (scopes and
an expiry date, domain/key_terms.py). Rotation makes a new secret with the same scopes and lets the old one
work for a grace period; revocation ends a key at once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.store import api_key_terms, api_keys
from otrcm_intake.domain.key_terms import (
    DEFAULT_SCOPES,
    LEGACY_TERMS,
    KeyTerms,
    Scope,
    first_refused_day,
    scopes_from,
    scopes_text,
)
from otrcm_shared.runtime.db import upsert_capable_insert

KEY_PREFIX = "otrcm_"
KEY_ID_LENGTH = 12


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id(key_hash: str) -> str:
    """A key's id: the first characters of its hash (it names the key without revealing it)."""
    return key_hash[:KEY_ID_LENGTH]


@dataclass(frozen=True)
class Caller:
    """Who a live (unrevoked) key speaks for: its tenant, its id and its terms."""

    tenant_id: str
    key_id: str
    terms: KeyTerms


async def create_key(
    session: AsyncSession,
    tenant_id: str,
    scopes: frozenset[Scope] = DEFAULT_SCOPES,
    expires_on: date | None = None,
) -> str:
    """A new key for ``tenant_id``; the caller shows it once (only its hash is kept)."""
    if not scopes:
        raise ValueError("a key needs at least one scope")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    digest = hash_key(key)
    await session.execute(
        insert(api_keys).values(key_hash=digest, tenant_id=tenant_id, key_prefix=key[:12], created_at=datetime.now(UTC))
    )
    terms = {"scopes": scopes_text(scopes), "expires_on": expires_on}
    await session.execute(insert(api_key_terms).values(key_hash=digest, **terms))
    return key


def _terms(row: Any) -> KeyTerms:
    """A key's terms; a key made before terms were kept has no row (LEFT JOIN: NULL scopes) and keeps its powers."""
    if row.scopes is None:
        return LEGACY_TERMS
    return KeyTerms(scopes_from(row.scopes.split()), row.expires_on)


def _with_terms() -> Any:
    return api_keys.outerjoin(api_key_terms, api_key_terms.c.key_hash == api_keys.c.key_hash)


async def caller_of(session: AsyncSession, key: str) -> Caller | None:
    """The caller a live key speaks for, or None (unknown or revoked). Expiry and scopes are the caller's to judge."""
    row = (
        await session.execute(
            select(api_keys.c.tenant_id, api_keys.c.key_hash, api_key_terms.c.scopes, api_key_terms.c.expires_on)
            .select_from(_with_terms())
            .where(api_keys.c.key_hash == hash_key(key), api_keys.c.revoked_at.is_(None))
        )
    ).first()
    return None if row is None else Caller(str(row.tenant_id), key_id(row.key_hash), _terms(row))


async def keys_of(session: AsyncSession, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's keys by id and prefix, oldest first: scopes, expiry, when created and revoked, successor."""
    rows = await session.execute(
        select(
            api_keys.c.key_hash,
            api_keys.c.key_prefix,
            api_keys.c.created_at,
            api_keys.c.revoked_at,
            api_key_terms.c.scopes,
            api_key_terms.c.expires_on,
            api_key_terms.c.replaced_by,
        )
        .select_from(_with_terms())
        .where(api_keys.c.tenant_id == tenant_id)
        .order_by(api_keys.c.created_at)
    )
    listed = []
    for row in rows:
        terms = _terms(row)
        listed.append(
            {
                "id": key_id(row.key_hash),
                "prefix": row.key_prefix,
                "scopes": scopes_text(terms.scopes).split(),
                "expires_on": terms.expires_on.isoformat() if terms.expires_on else None,
                "created_at": row.created_at.isoformat(),
                "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
                "replaced_by": row.replaced_by,
            }
        )
    return listed


def _by_id(tenant_id: str, key_id_: str) -> Any:
    """The tenant's unrevoked key with this id (the id alone: managing a key never needs its secret)."""
    return (
        api_keys.c.tenant_id == tenant_id,
        api_keys.c.key_hash.startswith(key_id_, autoescape=True),
        api_keys.c.revoked_at.is_(None),
    )


async def rotate_key(
    session: AsyncSession,
    tenant_id: str,
    key_id_: str,
    today: date,
    grace_days: int,
    expires_on: date | None = None,
) -> str | None:
    """A new key with the old one's scopes, shown once; the old key is refused from ``grace_days`` after the
    business date ``today`` on. None when the tenant has no live key with this id (unknown, revoked or expired)."""
    if len(key_id_) != KEY_ID_LENGTH:
        return None
    refused_from = first_refused_day(today, grace_days)
    row = (
        await session.execute(
            select(api_keys.c.key_hash, api_key_terms.c.scopes, api_key_terms.c.expires_on)
            .select_from(_with_terms())
            .where(*_by_id(tenant_id, key_id_))
            .with_for_update(of=api_keys)
        )
    ).first()
    if row is None or _terms(row).expired(today):
        return None
    terms = _terms(row)
    new_key = await create_key(session, tenant_id, terms.scopes, expires_on)
    old_expiry = min(refused_from, terms.expires_on) if terms.expires_on else refused_from
    values = {"scopes": scopes_text(terms.scopes), "expires_on": old_expiry, "replaced_by": key_id(hash_key(new_key))}
    upsert = upsert_capable_insert(session, api_key_terms).values(key_hash=row.key_hash, **values)
    await session.execute(upsert.on_conflict_do_update(index_elements=["key_hash"], set_=values))
    return new_key


async def revoke_key_by_id(session: AsyncSession, tenant_id: str, key_id_: str) -> bool:
    """Revoke the tenant's live key with this id."""
    if len(key_id_) != KEY_ID_LENGTH:
        return False
    result = await session.execute(
        update(api_keys).where(*_by_id(tenant_id, key_id_)).values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def revoke_key(session: AsyncSession, key: str) -> bool:
    result = await session.execute(
        update(api_keys)
        .where(api_keys.c.key_hash == hash_key(key), api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
