"""Poison on the ingestion topic: records intake can never process, each followed on the same partition
by a good record that must still flow (a stuck partition is the failure this guards against)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from otrcm_shared.events import Envelope
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.topics import ENCOUNTERS_SUBMITTED, partition_key

OVERSIZED_BYTES = 600_000  # well under the broker's 1 MiB limit, far over any real encounter


@dataclass(frozen=True)
class PoisonRecord:
    kind: str
    partition: int
    offset: int


def _envelope(tenant: str, encounter: dict[str, Any]) -> dict[str, Any]:
    submission = EncounterSubmission.model_validate(encounter)
    envelope = Envelope.root(
        submission, tenant_id=tenant, subject=encounter["encounter_id"], natural_key=encounter["encounter_id"],
        stage="faults",
    )  # fmt: skip
    loaded: dict[str, Any] = json.loads(envelope.model_dump_json())
    return loaded


def poison_bodies(tenant: str, template: dict[str, Any]) -> list[tuple[str, bytes]]:
    """(kind, bytes) of each poison: built from a valid encounter so only the named defect is wrong."""
    wrong_version = _envelope(tenant, {**template, "encounter_id": "fe-poison-version"})
    wrong_version["schema_version"] = 99
    oversized = _envelope(tenant, {**template, "encounter_id": "fe-poison-oversized"})
    oversized["payload"]["diagnoses"] = ["M62.81", "X" * OVERSIZED_BYTES]
    unknown_code = _envelope(tenant, {**template, "encounter_id": "fe-poison-code"})
    unknown_code["payload"]["lines"][0]["code"] = "00000"
    return [
        # The run's tenant in the bytes: a later run on a fresh broker but the same database reuses this offset,
        # and the same bytes at the same offset are the same dead letter by design (a redelivery).
        ("malformed JSON", f'{{"event_id": "not closed, {tenant}'.encode()),
        ("wrong schema version", json.dumps(wrong_version).encode()),
        ("oversized payload", json.dumps(oversized).encode()),
        ("unknown code", json.dumps(unknown_code).encode()),
    ]


async def publish_poison(
    bootstrap: str, tenant: str, template: dict[str, Any], follower: dict[str, Any]
) -> list[PoisonRecord]:
    """Publish each poison, then ``follower`` (a valid encounter), all under the follower's patient key."""
    from aiokafka import AIOKafkaProducer

    key = partition_key(tenant, follower["patient_id"])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=2 * 1024 * 1024, acks="all")
    await producer.start()
    try:
        sent = []
        for kind, body in poison_bodies(tenant, template):
            metadata = await producer.send_and_wait(ENCOUNTERS_SUBMITTED.name, body, key=key)
            sent.append(PoisonRecord(kind, metadata.partition, metadata.offset))
        await producer.send_and_wait(
            ENCOUNTERS_SUBMITTED.name, json.dumps(_envelope(tenant, follower)).encode(), key=key
        )
        return sent
    finally:
        await producer.stop()
