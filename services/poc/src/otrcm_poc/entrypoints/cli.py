"""``otrcm-poc``: serve, run the alert scan on demand, print the worklist."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import date

from otrcm_poc.adapters.store import metadata
from otrcm_poc.entrypoints.app import NAME, build_app
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.entrypoint import service_main
from otrcm_shared.runtime.kafka import make_producer
from otrcm_shared.runtime.migrations import migrate
from otrcm_shared.runtime.outbox import OutboxRelay, stage
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.tables import KitTables


def _database(settings: RuntimeSettings) -> Database:
    return Database(settings.database_url_for(NAME), schema=settings.schema_for(NAME))


async def _scan(today: date, notice_days: int) -> int:
    from otrcm_poc.usecases.alerts_scan import scan

    settings = RuntimeSettings()
    db, tables = _database(settings), KitTables(metadata)
    await migrate(db, "poc", metadata)
    async with db.transaction() as session:
        outgoing = await scan(session, today, notice_days)
        await stage(session, tables, outgoing)
    producer = make_producer(settings, "otrcm-poc-alerts")
    await producer.start()
    relay = OutboxRelay(db, tables, producer)
    try:
        while await relay.publish_pending():
            pass
    finally:
        await relay.close()
        await db.dispose()
    print(f"{len(outgoing)} new alert(s) raised for {today.isoformat()}")
    return 0


async def _worklist(tenant_id: str) -> int:
    from otrcm_poc.usecases.worklist import count_reasons, held_by_reason

    db = _database(RuntimeSettings())
    await migrate(db, "poc", metadata)
    async with db.transaction() as session:
        held = await held_by_reason(session, tenant_id)
    await db.dispose()
    print(json.dumps({"held_days": held, "by_reason": count_reasons(held)}, indent=2))
    return 0


def _add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scan = commands.add_parser("scan-alerts", help="raise today's alerts (each condition once)")
    scan.add_argument("--date", type=date.fromisoformat, default=None)
    scan.add_argument("--notice-days", type=int, default=10, help="recertification notice, in days")
    scan.set_defaults(handler=lambda a: asyncio.run(_scan(a.date or RuntimeSettings().today(), a.notice_days)))
    worklist = commands.add_parser("worklist", help="held days by reason for one tenant")
    worklist.add_argument("--tenant", required=True)
    worklist.set_defaults(handler=lambda a: asyncio.run(_worklist(a.tenant)))


def main(argv: list[str] | None = None) -> int:
    return service_main(NAME, build_app, argv, _add_commands)
