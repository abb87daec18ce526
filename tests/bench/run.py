"""Benchmarks of otrcm, in one go: one table, and the figures as JSON.

Run: ``.venv/bin/python tests/bench/run.py [--encounters 20000] [--rate 200 --duration 60] [--json PATH]``
(``make bench`` runs these defaults, issue 18's sizes; ``make bench BENCH_ARGS="..."`` adds options).
Parts: (1) raw aiokafka produce+consume through a fresh topic, (2) pipeline throughput of the six services
as processes (SQLite), encounters through the ingestion topic, and (2b) the same through the intake API
(batched ``POST /v1/encounters``), (3) latency at a fixed rate, (4) pure domain rates beside trivial loops,
(5) scale-out of the slowest stage on PostgreSQL, (6) peak RSS of each service during (2), (7) the consumer
groups each service joins, (8) the revenue audit, (9) the console's worklist, (10) the claims batch over the claims
of (2) (tests/bench/claims_batch.py: the services' own batch is kept out of the timed windows). Encounters
follow a payer mix (``--payer-mix``, default Medicare 50%, MO HealthNet 25%, commercial 25%:
tests/bench/payer_mix.py). Every run's tenant is enrolled first (a
registered billing provider, its patients and what their payers need recorded through the intake API),
outside the timed window. Targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.audit import run_audit_bench
from tests.bench.claims_batch import run_claims_batch
from tests.bench.common import git_commit
from tests.bench.console import run_console
from tests.bench.domain import run_domain
from tests.bench.latency import run_latency
from tests.bench.memory import memory_summary
from tests.bench.payer_mix import DEFAULT_MIX, PayerMix
from tests.bench.pipeline import (
    POSTGRES_URL,
    SERVICE_NAMES,
    Services,
    Submission,
    enrolled_drive,
    fresh_var_dir,
    slowest_stage,
)
from tests.bench.raw_kafka import run_raw
from tests.bench.table import print_table

PARTS = ("raw", "domain", "pipeline", "batch", "http", "latency", "scale", "audit", "console")


def service_setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.startswith("OTRCM_"):
        raise argparse.ArgumentTypeError(f"{text!r}: expected OTRCM_NAME=VALUE")
    return name, value


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--encounters", type=int, default=20_000, help="throughput run size (default 20000)")
    parser.add_argument("--raw-messages", type=int, default=20_000, help="raw baseline messages (default 20000)")
    parser.add_argument("--rate", type=float, default=200.0, help="latency run: encounters/s (default 200)")
    parser.add_argument("--duration", type=float, default=60.0, help="latency run: seconds (default 60)")
    parser.add_argument("--scale-encounters", type=int, default=None, help="per scale-out run (default --encounters)")
    parser.add_argument(
        "--scale-service",
        default="all",
        help="what runs twice: all (every service, the issue's measure), auto (the slowest stage of the throughput "
        "run) or a service's name",
    )
    parser.add_argument("--domain-seconds", type=float, default=3.0, help="time per domain loop (default 3)")
    parser.add_argument(
        "--payer-mix", type=PayerMix.parse, default=PayerMix.parse(DEFAULT_MIX),
        help=f"percent of patients per payer: medicare, mo-healthnet, commercial (default {DEFAULT_MIX})",
    )  # fmt: skip
    parser.add_argument("--http-encounters", type=int, default=None, help="(2b) run size (default --encounters)")
    parser.add_argument("--http-batch", type=int, default=100, help="(2b) encounters per POST (default 100)")
    parser.add_argument("--http-connections", type=int, default=4, help="(2b) concurrent connections (default 4)")
    parser.add_argument("--audit-encounters", type=int, default=10_000, help="(8) revenue audit size (default 10000)")
    parser.add_argument("--timeout", type=float, default=600.0, help="longest wait for one pipeline run (s)")
    parser.add_argument("--console-held", type=int, default=50_000, help="(9) held rows under the console (50000)")
    parser.add_argument(
        "--service-env",
        type=service_setting,
        action="append",
        default=[],
        metavar="OTRCM_NAME=VALUE",
        help="a setting for every service process (the bench otherwise gives them only its own), for A/B runs",
    )
    parser.add_argument("--skip", action="append", choices=PARTS, default=[], help="leave a part out")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    return parser.parse_args(argv)


async def pipeline_parts(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """(2), (6) and (3) on one set of SQLite-backed services; each run with a fresh tenant."""
    services = Services(fresh_var_dir("sqlite"), mix=args.payer_mix, settings=dict(args.service_env))
    started = time.monotonic()
    services.start()
    figures["services_start_s"] = round(time.monotonic() - started, 1)
    try:
        figures["consumer_groups"] = await services.consumer_groups()
        with services.sampler:
            if "pipeline" not in args.skip:
                figures["pipeline"] = await enrolled_drive(
                    services,
                    "throughput",
                    args.encounters,
                    timeout_s=args.timeout,
                    sampler=services.sampler,
                    monitor_lag=True,
                )
                figures["memory"] = memory_summary(figures["pipeline"])
                if "batch" not in args.skip:  # (10) on the claims of (2), before anything else is ready
                    figures["claims_batch"] = run_claims_batch(services.env(), services.var_dir)
            if "http" not in args.skip:
                how = Submission("http", batch_size=args.http_batch, connections=args.http_connections)
                figures["pipeline_http"] = await enrolled_drive(
                    services,
                    "http",
                    args.http_encounters or args.encounters,
                    how=how,
                    timeout_s=args.timeout,
                    sampler=services.sampler,
                )
            if "latency" not in args.skip:
                figures["latency"] = await run_latency(services, args.rate, args.duration)
    finally:
        figures["sqlite_exit_codes"] = services.stop()
        figures["sqlite_var_dir"] = str(services.var_dir)


async def scale_part(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """(5): the same services on PostgreSQL, a run with one instance of each, then with a second instance of every
    service (or of one); encounters per second and CPU per encounter of both runs, and their ratios."""
    count = args.scale_encounters or args.encounters
    name, chosen_by = args.scale_service, "--scale-service"
    if name == "all":
        chosen_by = "every service"
    elif name == "auto":
        name = slowest_stage(figures["pipeline"]) if "pipeline" in figures else "intake"
        chosen_by = "largest peak lag in (2)" if "pipeline" in figures else "default"
    services = Services(
        fresh_var_dir("postgres"), database_url=POSTGRES_URL, mix=args.payer_mix, settings=dict(args.service_env)
    )
    services.start()
    scale: dict[str, Any] = {"service": name, "chosen_by": chosen_by, "encounters": count, "database": "postgresql"}
    try:
        with services.sampler:
            scale["one"] = await enrolled_drive(
                services, "scale1", count, timeout_s=args.timeout, sampler=services.sampler, monitor_lag=True
            )
            if "batch" not in args.skip:  # the first run's claims, built now, not by a joining claims instance's
                scale["batch"] = run_claims_batch(services.env(), services.var_dir)  # start-up batch in the window
            for service in SERVICE_NAMES if name == "all" else (name,):
                services.add_instance(service)
            await asyncio.sleep(8)  # the groups rebalance onto both instances
            scale["consumer_groups"] = await services.consumer_groups()
            scale["two"] = await enrolled_drive(
                services, "scale2", count, timeout_s=args.timeout, sampler=services.sampler, monitor_lag=True
            )
    finally:
        scale["exit_codes"] = services.stop()
    one, two = scale["one"]["encounters_per_second"], scale["two"]["encounters_per_second"]
    scale["ratio"] = round(two / one, 2) if one else None
    cpu_one, cpu_two = (scale[run].get("cpu_ms_per_encounter_all") for run in ("one", "two"))
    scale["cpu_ratio"] = round(cpu_two / cpu_one, 2) if cpu_one and cpu_two else None
    figures["scale"] = scale


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.basicConfig(level=logging.CRITICAL)
    figures: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "commit": git_commit(),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "args": {k: (str(v) if isinstance(v, Path | PayerMix) else v) for k, v in vars(args).items()},
        "errors": [],
    }
    began = time.monotonic()
    steps = [
        ("raw", lambda: figures.__setitem__("raw", asyncio.run(run_raw(args.raw_messages)))),
        ("domain", lambda: figures.__setitem__("domain", run_domain(args.domain_seconds, 20_000, 5_000))),
        ("sqlite services", lambda: asyncio.run(pipeline_parts(args, figures))),  # (2), (2b), (3), (6)
        ("scale", lambda: asyncio.run(scale_part(args, figures))),
        ("audit", lambda: figures.__setitem__("audit", run_audit_bench(args.audit_encounters))),  # (8), no broker
        ("console", lambda: figures.__setitem__("console", asyncio.run(run_console(POSTGRES_URL, args.console_held)))),
    ]
    for part, step in steps:
        if part in args.skip or (part == "sqlite services" and {"pipeline", "http", "latency"} <= set(args.skip)):
            continue
        print(f"[{time.monotonic() - began:6.1f} s] {part} ...", file=sys.stderr, flush=True)
        try:
            step()
        except Exception as error:  # land the parts that work; say which did not
            figures["errors"].append(f"{part}: {type(error).__name__}: {error}")
    raw = figures.get("raw")
    for part in ("pipeline", "pipeline_http", "latency"):  # against the raw Kafka baseline of the same run
        if raw and part in figures:
            figures[part]["ratio_to_raw"] = round(
                figures[part]["encounters_per_second"] / raw["produce_consume_per_second"], 4
            )
    figures["total_seconds"] = round(time.monotonic() - began, 1)
    print_table(figures, args)
    print(f"total {figures['total_seconds']} s")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
