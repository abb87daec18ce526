"""Key management, billing-provider registration and the access audit against intake's database, for the
command line (an operator's tools, run without the service)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from otrcm_intake.adapters import keys
from otrcm_intake.adapters.audit import accesses_since
from otrcm_intake.adapters.runtime_tables import kit
from otrcm_intake.domain.key_terms import DEFAULT_SCOPES, Scope
from otrcm_intake.domain.schema_errors import violations_from
from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.migrations import migrate
from otrcm_shared.runtime.settings import RuntimeSettings


def intake_database(settings: RuntimeSettings) -> Database:
    return Database(settings.database_url_for("intake"), schema=settings.schema_for("intake"))


async def create_key_for(
    settings: RuntimeSettings,
    tenant_id: str,
    scopes: frozenset[Scope] = DEFAULT_SCOPES,
    expires_on: date | None = None,
) -> str:
    db = intake_database(settings)
    try:
        await migrate(db, "intake", kit.metadata)
        async with db.transaction() as session:
            return await keys.create_key(session, tenant_id, scopes, expires_on)
    finally:
        await db.dispose()


async def rotate_key(
    settings: RuntimeSettings, tenant_id: str, key_id: str, grace_days: int, expires_on: date | None = None
) -> str | None:
    """A new key in place of the live key ``key_id``; the old one works ``grace_days`` days more."""
    db = intake_database(settings)
    try:
        await migrate(db, "intake", kit.metadata)
        async with db.transaction() as session:
            return await keys.rotate_key(session, tenant_id, key_id, settings.today(), grace_days, expires_on)
    finally:
        await db.dispose()


async def audit_rows(settings: RuntimeSettings, tenant_id: str, since: date) -> list[dict[str, Any]]:
    db = intake_database(settings)
    try:
        await migrate(db, "intake", kit.metadata)
        async with db.transaction() as session:
            return await accesses_since(session, tenant_id, since)
    finally:
        await db.dispose()


async def list_keys(settings: RuntimeSettings, tenant_id: str) -> list[dict[str, Any]]:
    db = intake_database(settings)
    try:
        await migrate(db, "intake", kit.metadata)
        async with db.transaction() as session:
            return await keys.keys_of(session, tenant_id)
    finally:
        await db.dispose()


async def revoke_key_by_id(settings: RuntimeSettings, tenant_id: str, key_id: str) -> bool:
    db = intake_database(settings)
    try:
        async with db.transaction() as session:
            return await keys.revoke_key_by_id(session, tenant_id, key_id)
    finally:
        await db.dispose()


async def revoke_key(settings: RuntimeSettings, key: str) -> bool:
    db = intake_database(settings)
    try:
        async with db.transaction() as session:
            return await keys.revoke_key(session, key)
    finally:
        await db.dispose()


def read_registrations(path: Path) -> list[Any]:
    """The entries of a billing-provider file: one JSON object, or a list of them."""
    entries = json.loads(path.read_text("utf-8"))
    return entries if isinstance(entries, list) else [entries]


async def register_billing_providers(
    settings: RuntimeSettings, tenant_id: str, entries: list[Any], *, transfer: bool = False
) -> list[dict[str, Any]]:
    """Register each billing provider in its own transaction, then publish what was staged (an
    operator's command, run without the service). Returns one result per entry, in order."""
    from otrcm_intake.usecases.importer import publish_staged

    db = intake_database(settings)
    results: list[dict[str, Any]] = []
    try:
        await migrate(db, "intake", kit.metadata)
        for index, entry in enumerate(entries):
            try:
                registration = BillingProviderRegistered.model_validate(entry)
            except ValidationError as error:
                errors = [v.as_dict() for v in violations_from(error)]  # paths are the entry's own, as in the API
                results.append({"index": index, "status": "rejected", "id": "", "errors": errors})
                continue
            async with db.transaction() as session:
                recorded = await register_billing_provider(session, tenant_id, registration, transfer=transfer)
            results.append({"index": index, **recorded.as_dict()})
        await publish_staged(settings, db)
    finally:
        await db.dispose()
    return results
