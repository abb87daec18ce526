"""CPU per encounter of one service's consume path, replayed in one process: a steadier figure for A/B work.

The pipeline part's CPU figures move by 10 to 15 % between two runs of the same commit on a shared 2-core
machine (the broker, six services and the bench's own reader compete for it). This tool takes the records one
bench tenant left on the broker, and feeds the ones a service consumes to that service's own consumers
(``IdempotentConsumer.consume_batch``, its handlers, inbox and outbox, on a fresh SQLite database) in one
process, without Kafka. The set-up's records (patients, plans, authorizations, spend) are applied first and not
timed; the pipeline topics' records are timed. Rows staged in the outbox stay pending (no relay runs).

    python -m tests.bench.replay dump TENANT FILE          # the tenant's records, from OTRCM_KAFKA_BOOTSTRAP
    python -m tests.bench.replay run SERVICE FILE [--runs N] [--poll N]

A pipeline run prints its tenant in ``var/bench/results.json`` (``pipeline.tenant``). ``run`` starts a fresh
process per replay and prints the lowest of ``--runs`` figures (the least disturbed). Intake is left out: its
records arrive through its HTTP door's set-up, not through topics alone.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import BOOTSTRAP

SERVICES = ("units", "poc", "modifiers", "claims", "status")
TIMED_TOPICS = frozenset(
    {
        "otrcm.encounters.received.v1",
        "otrcm.encounters.units-calculated.v1",
        "otrcm.billing-days.judged.v2",
        "otrcm.claim-lines.ready.v1",
        "otrcm.claims.status-changed.v2",
    }
)
Recorded = tuple[int, str, int, int, list[tuple[str, bytes]], bytes]  # timestamp, topic, partition, offset, ...


async def dump(tenant: str) -> list[Recorded]:
    """Every record of ``tenant`` on the broker's otrcm topics, in timestamp order."""
    from aiokafka import AIOKafkaConsumer
    from aiokafka.structs import TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False, fetch_max_bytes=64 << 20)
    await consumer.start()
    try:
        metadata = await consumer._client.fetch_all_metadata()
        topics = [t for t in metadata.topics() if t.startswith("otrcm.")]
        partitions = [TopicPartition(t, p) for t in topics for p in metadata.partitions_for_topic(t) or ()]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        marker, found = tenant.encode(), []
        left = {tp for tp in partitions if ends[tp] > 0}
        while left:
            batch = await consumer.getmany(timeout_ms=2000, max_records=20_000)
            if not batch:
                break
            for tp, records in batch.items():
                found += [
                    (r.timestamp, r.topic, r.partition, r.offset, list(r.headers or ()), r.value)
                    for r in records
                    if r.value and marker in r.value
                ]
                if records and records[-1].offset + 1 >= ends[tp]:
                    left.discard(tp)
    finally:
        await consumer.stop()
    found.sort(key=lambda r: r[:4])
    return found


def _polls(records: list[Recorded], size: int) -> list[list[Recorded]]:
    """Consecutive records of one topic, at most ``size`` each (a poll split by topic, as the runtime does)."""
    polls: list[list[Recorded]] = []
    for record in records:
        if polls and polls[-1][0][1] == record[1] and len(polls[-1]) < size:
            polls[-1].append(record)
        else:
            polls.append([record])
    return polls


async def replay_once(service: str, recorded: list[Recorded], poll_size: int) -> dict[str, Any]:
    """One replay in this process (its environment set by ``run``): CPU ms per encounter on the timed topics."""
    from otrcm_shared.runtime import heap
    from otrcm_shared.runtime.consumer import Delivered, IdempotentConsumer, RecordPosition
    from otrcm_shared.runtime.migrations import migrate

    runtime = importlib.import_module(f"otrcm_{service}.entrypoints.app").build_runtime()
    await migrate(runtime.db, runtime.name, runtime.metadata)
    consumers = {
        sub.topic.name: IdempotentConsumer(sub.consumer, sub.topic, sub.handler, db=runtime.db, tables=runtime.tables)
        for sub in runtime.subscriptions
    }
    records = [r for r in recorded if r[1] in consumers]
    encounters = sum(1 for r in recorded if r[1] == "otrcm.encounters.received.v1")  # one per accepted encounter
    heap.settle(claimed=True)  # as a ready service does (docs/adr/019)
    timed_cpu, timed_records = 0.0, 0
    for poll in _polls(records, poll_size):
        delivered = [
            Delivered(body, RecordPosition(topic, partition, offset), {k: v.decode() for k, v in headers})
            for _, topic, partition, offset, headers, body in poll
        ]
        started = time.process_time()
        await consumers[poll[0][1]].consume_batch(delivered)
        if poll[0][1] in TIMED_TOPICS:
            timed_cpu += time.process_time() - started
            timed_records += len(poll)
    await runtime.db.dispose()
    per_encounter = 1000 * timed_cpu / encounters if encounters else None
    return {
        "service": service,
        "records": timed_records,
        "encounters": encounters,
        "cpu_ms_per_encounter": per_encounter,
    }


def run(service: str, path: Path, runs: int, poll_size: int) -> dict[str, Any]:
    """``runs`` replays, each in a fresh process on a fresh database; the lowest CPU figure and all of them."""
    figures = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix=f"replay-{service}-") as var_dir:
            env = {k: v for k, v in os.environ.items() if not k.startswith("OTRCM_")}
            env.update(OTRCM_VAR_DIR=var_dir, OTRCM_LOG_LEVEL="WARNING", OTRCM_TRACE_SAMPLE_RATIO="0")
            command = [sys.executable, "-m", "tests.bench.replay", "once", service, str(path), "--poll", str(poll_size)]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            figures.append(json.loads(done.stdout.strip().splitlines()[-1]))
    values = [f["cpu_ms_per_encounter"] for f in figures]
    return {**figures[0], "cpu_ms_per_encounter": min(values), "runs": values}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.replay", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="the tenant's records from the broker to FILE")
    dumping.add_argument("tenant")
    dumping.add_argument("file", type=Path)
    for name in ("run", "once"):
        replaying = commands.add_parser(
            name, help="replay FILE through SERVICE" if name == "run" else argparse.SUPPRESS
        )
        replaying.add_argument("service", choices=SERVICES)
        replaying.add_argument("file", type=Path)
        replaying.add_argument("--poll", type=int, default=100, help="records per poll (default 100)")
        replaying.add_argument("--runs", type=int, default=3, help="replays; the lowest is reported (default 3)")
    args = parser.parse_args(argv)
    if args.command == "dump":
        found = asyncio.run(dump(args.tenant))
        args.file.write_bytes(pickle.dumps(found))
        print(f"{len(found)} records written to {args.file}")
    elif args.command == "once":
        recorded = pickle.loads(args.file.read_bytes())
        print(json.dumps(asyncio.run(replay_once(args.service, recorded, args.poll))))
    else:
        print(json.dumps(run(args.service, args.file, args.runs, args.poll)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
