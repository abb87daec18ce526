"""Liveness and readiness of a service, as the operations port answers them.

- live (``/health``): the process and its event loop answer;
- ready (``/ready``): the runtime has started, every consumer group it subscribes with has joined (the
  broker gave it its partitions: possibly none, when the group has more members than the topic has
  partitions), and the database answers ``SELECT 1`` within two seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import text

from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.ops_http import Answer

DATABASE_TIMEOUT_S = 2.0


@dataclass(slots=True)
class GroupState:
    """One subscriber's consumer group: joined or not, and the partitions it holds."""

    group: str
    joined: bool
    partitions: int


@dataclass(slots=True)
class Readiness:
    started: bool
    database: bool
    groups: list[GroupState] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.started and self.database and all(group.joined for group in self.groups)

    def answer(self) -> Answer:
        body = {
            "ready": self.ready,
            "started": self.started,
            "database": self.database,
            "consumer_groups": [
                {"group": g.group, "joined": g.joined, "partitions": g.partitions} for g in self.groups
            ],
        }
        return Answer(200 if self.ready else 503, orjson.dumps(body))


def group_state(subscriber: Any) -> GroupState:
    """The group state of a FastStream Kafka subscriber (its aiokafka consumer). aiokafka keeps no assignment
    (None) until the group's first rebalance ends; after it, the assignment, possibly empty."""
    group = str(getattr(subscriber, "group_id", None) or "")
    consumer = getattr(subscriber, "consumer", None)
    subscription = getattr(getattr(consumer, "_subscription", None), "subscription", None)
    assignment = getattr(subscription, "assignment", None)
    if consumer is None or assignment is None:
        return GroupState(group, joined=False, partitions=0)
    return GroupState(group, joined=True, partitions=len(consumer.assignment()))


async def database_answers(db: Database) -> bool:
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_S), db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


async def readiness(started: bool, db: Database, subscribers: Iterable[Any]) -> Readiness:
    groups = [group_state(subscriber) for subscriber in subscribers]
    return Readiness(started=started, database=started and await database_answers(db), groups=groups)


async def alive() -> Answer:
    return Answer(200, b'{"live":true}')
