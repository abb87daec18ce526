"""The two ways the bench hands encounters to intake: produced to the ingestion topic (as a feed does), or
posted in batches to the intake API's ``POST /v1/encounters`` (a JSON array of up to 1,000; the answer
has a result per item) over a few concurrent connections, as a practice-management system does. Each
returns when the last encounter is handed over, with the time each was sent."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from otrcm_shared.events.submissions import EncounterSubmission
from tests.bench.common import BOOTSTRAP

SUBMITTED = "otrcm.encounters.submitted.v1"
TAKEN = ("accepted", "duplicate")  # the batch answer's statuses that leave the encounter on its way


@dataclass
class Handed:
    """When each encounter was sent, when the last was handed over, and what the door refused (HTTP)."""

    began: float
    done: float = 0.0
    sent_at: dict[str, float] = field(default_factory=dict)
    refused: list[dict[str, Any]] = field(default_factory=list)
    request_seconds: list[float] = field(default_factory=list)


async def produce(submissions: Sequence[tuple[bytes, bytes, str]], rate: float | None) -> Handed:
    """Produce (key, value, encounter id) to the ingestion topic, all at once or at ``rate`` per second."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", linger_ms=5, client_id="otrcm-bench")
    await producer.start()
    try:
        handed = Handed(began=time.time())
        pending = []
        for i, (key, value, encounter_id) in enumerate(submissions):
            if rate is not None:
                delay = handed.began + i / rate - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            handed.sent_at[encounter_id] = time.time()
            pending.append(await producer.send(SUBMITTED, value, key=key))
        for future in pending:
            await future
        handed.done = time.time()
        return handed
    finally:
        await producer.stop()


def batch_bodies(payloads: Sequence[EncounterSubmission], batch_size: int) -> list[tuple[list[str], bytes]]:
    """(encounter ids, JSON array body) per batch, serialised before the clock starts."""
    found = []
    for start in range(0, len(payloads), batch_size):
        batch = payloads[start : start + batch_size]
        body = json.dumps([p.model_dump(mode="json") for p in batch], separators=(",", ":")).encode()
        found.append(([p.encounter_id for p in batch], body))
    return found


async def post_batches(base_url: str, api_key: str, batches: list[tuple[list[str], bytes]], connections: int) -> Handed:
    """POST every batch to ``/v1/encounters``, ``connections`` requests in flight at a time, in batch order."""
    import httpx

    handed = Handed(began=time.time())
    queue = iter(batches)  # shared by the senders: each takes the next batch when its answer is in
    headers = {"X-API-Key": api_key, "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)

    async def sender(client: httpx.AsyncClient) -> None:
        for ids, body in queue:
            sent = time.time()
            handed.sent_at.update(dict.fromkeys(ids, sent))
            answer = await client.post("/v1/encounters", content=body)
            handed.request_seconds.append(time.time() - sent)
            if answer.status_code != 200:
                handed.refused += [{"id": i, "status": answer.status_code, "body": answer.text[:300]} for i in ids]
                continue
            for item in answer.json()["results"]:
                if item["status"] not in TAKEN:
                    handed.refused.append({"id": ids[item["index"]], "status": item["status"],
                                           "errors": item.get("errors", [])[:3]})  # fmt: skip

    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=300, limits=limits) as client:
        await asyncio.gather(*(sender(client) for _ in range(connections)))
    handed.done = time.time()
    return handed
