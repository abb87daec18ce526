"""Key management against intake's database, for the command line."""

from __future__ import annotations

from otrcm_intake import keys
from otrcm_intake.runtime_tables import kit
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.settings import RuntimeSettings


def intake_database(settings: RuntimeSettings) -> Database:
    return Database(settings.database_url_for("intake"), schema="intake")


async def create_key_for(settings: RuntimeSettings, tenant_id: str) -> str:
    db = intake_database(settings)
    try:
        await db.create_all(kit.metadata)
        async with db.transaction() as session:
            return await keys.create_key(session, tenant_id)
    finally:
        await db.dispose()


async def revoke_key(settings: RuntimeSettings, key: str) -> bool:
    db = intake_database(settings)
    try:
        async with db.transaction() as session:
            return await keys.revoke_key(session, key)
    finally:
        await db.dispose()
