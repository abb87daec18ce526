"""Runs one service's outbox relay until nothing is pending, as its own process.

Used by the crash tests: with ``OTRCM_FAULT=relay-before-publish`` the process SIGKILLs itself
after reading the committed rows and before publishing them.
"""

from __future__ import annotations

import argparse
import asyncio

from sqlalchemy import MetaData

from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.kafka import make_producer
from otrcm_shared.runtime.outbox import OutboxRelay
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.tables import KitTables


async def drain(url: str, schema: str, bootstrap: str) -> int:
    db = Database(url, schema=schema)
    tables = KitTables(MetaData())
    producer = make_producer(RuntimeSettings(kafka_bootstrap=bootstrap), "otrcm-test-relay")
    await producer.start()
    relay = OutboxRelay(db, tables, producer, batch_size=3)
    total = 0
    try:
        while published := await relay.publish_pending():
            total += published
    finally:
        await relay.close()
        await db.dispose()
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--bootstrap", required=True)
    args = parser.parse_args()
    print(asyncio.run(drain(args.url, args.schema, args.bootstrap)))


if __name__ == "__main__":
    main()
