"""Benchmarks of otrcm, in one go: one table, and the figures as JSON.

Run: ``.venv/bin/python tests/bench/run.py [--encounters 20000] [--rate 200 --duration 60] [--json PATH]``
(``make bench`` runs these defaults, issue 18's sizes; ``make bench BENCH_ARGS="..."`` adds options).
Parts: (1) raw aiokafka produce+consume through a fresh topic, (2) pipeline throughput of the six services
as processes (SQLite), encounters through the ingestion topic, and (2b) the same through the intake API
(batched ``POST /v1/encounters``), (3) latency at a fixed rate, (4) pure domain rates beside trivial loops,
(5) scale-out of the slowest stage on PostgreSQL, (6) peak RSS of each service during (2), (7) the consumer
groups each service joins. Encounters follow a payer mix (``--payer-mix``, default Medicare 50%, MO
HealthNet 25%, commercial 25%: tests/bench/payer_mix.py). Every run's tenant is enrolled first (a
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

from tests.bench.common import git_commit
from tests.bench.domain import run_domain
from tests.bench.latency import run_latency
from tests.bench.memory import memory_summary
from tests.bench.payer_mix import DEFAULT_MIX, PayerMix
from tests.bench.pipeline import POSTGRES_URL, Services, Submission, enrolled_drive, fresh_var_dir, slowest_stage
from tests.bench.raw_kafka import run_raw

PARTS = ("raw", "domain", "pipeline", "http", "latency", "scale")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--encounters", type=int, default=20_000, help="throughput run size (default 20000)")
    parser.add_argument("--raw-messages", type=int, default=20_000, help="raw baseline messages (default 20000)")
    parser.add_argument("--rate", type=float, default=200.0, help="latency run: encounters/s (default 200)")
    parser.add_argument("--duration", type=float, default=60.0, help="latency run: seconds (default 60)")
    parser.add_argument("--scale-encounters", type=int, default=None, help="per scale-out run (default --encounters)")
    parser.add_argument(
        "--scale-service", default="auto", help="service to run twice: auto (slowest of the throughput run) or a name"
    )
    parser.add_argument("--domain-seconds", type=float, default=3.0, help="time per domain loop (default 3)")
    parser.add_argument(
        "--payer-mix", type=PayerMix.parse, default=PayerMix.parse(DEFAULT_MIX),
        help=f"percent of patients per payer: medicare, mo-healthnet, commercial (default {DEFAULT_MIX})",
    )  # fmt: skip
    parser.add_argument("--http-encounters", type=int, default=None, help="(2b) run size (default --encounters)")
    parser.add_argument("--http-batch", type=int, default=100, help="(2b) encounters per POST (default 100)")
    parser.add_argument("--http-connections", type=int, default=4, help="(2b) concurrent connections (default 4)")
    parser.add_argument("--timeout", type=float, default=600.0, help="longest wait for one pipeline run (s)")
    parser.add_argument("--skip", action="append", choices=PARTS, default=[], help="leave a part out")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    return parser.parse_args(argv)


async def pipeline_parts(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """(2), (6) and (3) on one set of SQLite-backed services; each run with a fresh tenant."""
    services = Services(fresh_var_dir("sqlite"), mix=args.payer_mix)
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
    """(5): the same services on PostgreSQL, a run with one instance of the slowest stage, then with two."""
    count = args.scale_encounters or args.encounters
    name, chosen_by = args.scale_service, "--scale-service"
    if name == "auto":
        name = slowest_stage(figures["pipeline"]) if "pipeline" in figures else "intake"
        chosen_by = "largest peak lag in (2)" if "pipeline" in figures else "default"
    services = Services(fresh_var_dir("postgres"), database_url=POSTGRES_URL, mix=args.payer_mix)
    services.start()
    scale: dict[str, Any] = {"service": name, "chosen_by": chosen_by, "encounters": count, "database": "postgresql"}
    try:
        with services.sampler:
            scale["one"] = await enrolled_drive(
                services, "scale1", count, timeout_s=args.timeout, sampler=services.sampler, monitor_lag=True
            )
            services.add_instance(name)
            await asyncio.sleep(8)  # the group rebalances onto both instances
            scale["consumer_groups"] = await services.consumer_groups()
            scale["two"] = await enrolled_drive(
                services, "scale2", count, timeout_s=args.timeout, sampler=services.sampler, monitor_lag=True
            )
    finally:
        scale["exit_codes"] = services.stop()
    one, two = scale["one"]["encounters_per_second"], scale["two"]["encounters_per_second"]
    scale["ratio"] = round(two / one, 2) if one else None
    figures["scale"] = scale


def rows(figures: dict[str, Any], args: argparse.Namespace) -> list[tuple[str, str, str, str]]:
    """(part, measure, value, target or ratio) rows of the table."""
    found: list[tuple[str, str, str, str]] = []
    raw = figures.get("raw")
    if raw:
        found += [
            ("1 raw kafka", f"produce+consume msg/s ({raw['messages']:,} x {raw['message_bytes']} B, 6 part.)",
             f"{raw['produce_consume_per_second']:,}", "baseline"),
            ("", "produce msg/s / consume msg/s", f"{raw['produce_per_second']:,} / {raw['consume_per_second']:,}", ""),
        ]  # fmt: skip
    pipe = figures.get("pipeline")
    if pipe:
        ratio = f"{pipe['encounters_per_second'] / raw['produce_consume_per_second']:.4f} of raw" if raw else ""
        target = "MISSED" if pipe["encounters_per_second"] < 300 else "met"
        found += [
            ("2 pipeline", f"encounters/s via Kafka ({pipe['ready_days']:,}/{pipe['encounters']:,} ready, SQLite; "
             f"mix {pipe['payer_mix']})",
             f"{pipe['encounters_per_second']:,}", f">=300 {target}; {ratio}"),
            ("", "held days (gate) / days with held lines / days billing KX / dead letters",
             f"{pipe['held']} / {pipe['days_with_held_lines']} / {pipe['kx_days']} / {pipe['dead_letters']}",
             "0 held expected"),
            ("", "seconds to last claim line ready", f"{pipe['seconds_to_last_ready']}", ""),
            ("", "CPU ms/encounter " + " ".join(pipe.get("cpu_ms_per_encounter", {})),
             " ".join(f"{v:.1f}" for v in pipe.get("cpu_ms_per_encounter", {}).values()),
             f"all {pipe.get('cpu_ms_per_encounter_all')}"),
            ("", "intake CPU ms/encounter", f"{pipe.get('cpu_ms_per_encounter', {}).get('intake', 'n/a')}", ""),
            ("", "set-up before the clock (billing provider, key, patients) s",
             f"{pipe['setup']['setup_seconds']} ({pipe['setup']['patients_recorded']} patients)", "untimed"),
            ("", "stage drained after s " + " ".join(pipe.get("stage_drained_after_s", {})),
             " ".join(str(v) for v in pipe.get("stage_drained_after_s", {}).values()), ""),
        ]  # fmt: skip
    found += http_rows(figures.get("pipeline_http"), raw)
    lat = figures.get("latency")
    if lat:
        ms = lat.get("latency_ms", {})
        p99 = ms.get("p99", float("inf"))
        found += [
            ("3 latency", f"p50/p95/p99 ms at {lat['rate_per_second']:g}/s for {lat['duration_s']:g} s "
             f"({lat['ready_days']:,}/{lat['encounters']:,} ready)",
             f"{ms.get('p50')} / {ms.get('p95')} / {p99}",
             f"p99<500 at 200/s {'met' if p99 < 500 else 'MISSED'}"
             + ("" if lat["rate_per_second"] == 200 else f" (measured at {lat['rate_per_second']:g}/s)")),
            ("", "  (intake acceptance -> ready; event occurred_at) submit->ready p50/p99 ms",
             " / ".join(str(v) for v in lat.get("submit_to_ready_ms", {}).values()), "incl. queue before intake"),
        ]  # fmt: skip
    dom = figures.get("domain")
    if dom:
        cms = dom["units_cms_days_per_second"]
        found += [
            ("4 domain", "units days/s CMS (trivial loop / units)", f"{cms:,}",
             f">=100,000 {'met' if cms >= 100_000 else 'MISSED'}; ratio {dom['units_cms_baseline_ratio']}"),
            ("", "units days/s AMA (trivial loop / units)", f"{dom['units_ama_days_per_second']:,}",
             f"ratio {dom['units_ama_baseline_ratio']}"),
            ("", "modifier-rule day evaluations/s (Medicare+commercial)", f"{dom['modifier_days_per_second']:,}",
             f"ratio {dom['modifier_baseline_ratio']}"),
        ]  # fmt: skip
    scale = figures.get("scale")
    if scale:
        found += [
            ("5 scale-out", f"enc/s with 1 / 2 x {scale['service']} (PostgreSQL, {scale['encounters']:,} each; "
             f"chosen: {scale['chosen_by']})",
             f"{scale['one']['encounters_per_second']} / {scale['two']['encounters_per_second']}",
             f"ratio {scale['ratio']}"),
        ]  # fmt: skip
    groups = figures.get("consumer_groups")
    if groups:
        per = groups["per_service"]
        found.append(
            ("7 consumer groups", "groups joined per service " + " ".join(per), " ".join(str(n) for n in per.values()),
             f"total {groups['total']}"),
        )  # fmt: skip
    mem = figures.get("memory")
    if mem:
        found.append(
            ("6 peak RSS", "MB during (2) " + " ".join(mem["peak_rss_mb"]),
             " ".join(f"{v:.0f}" for v in mem["peak_rss_mb"].values()),
             f"<250 each {'met' if mem['all_under_target'] else 'MISSED'}"),
        )  # fmt: skip
    return found


def http_rows(http: dict[str, Any] | None, raw: dict[str, Any] | None) -> list[tuple[str, str, str, str]]:
    """(2b): the pipeline fed through the intake API's batch endpoint."""
    if not http:
        return []
    door = http["http"]
    ratio = f"{http['encounters_per_second'] / raw['produce_consume_per_second']:.4f} of raw" if raw else ""
    return [
        ("2b pipeline HTTP", f"encounters/s via POST /v1/encounters ({http['ready_days']:,}/{http['encounters']:,} "
         f"ready; batches of {door['batch_size']}, {door['connections']} connections)",
         f"{http['encounters_per_second']:,}", ratio),
        ("", "door accepted/s; POST p50 / max ms; refused", f"{door['accepted_per_second']:,}; "
         f"{door['request_ms_p50']} / {door['request_ms_max']}; {door['refused']}", ""),
        ("", "held days (gate) / days with held lines / days billing KX / dead letters",
         f"{http['held']} / {http['days_with_held_lines']} / {http['kx_days']} / {http['dead_letters']}",
         "0 held expected"),
        ("", "CPU ms/encounter " + " ".join(http.get("cpu_ms_per_encounter", {})),
         " ".join(f"{v:.1f}" for v in http.get("cpu_ms_per_encounter", {}).values()),
         f"all {http.get('cpu_ms_per_encounter_all')}"),
    ]  # fmt: skip


def print_table(figures: dict[str, Any], args: argparse.Namespace) -> None:
    table = [("part", "measure", "value", "target / ratio"), *rows(figures, args)]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    rule = "-+-".join("-" * w for w in widths)
    print(f"otrcm bench  commit {figures['commit'][:12]}  cores {figures['cpu_count']}  python {figures['python']}")
    print(
        f"settings: --encounters {args.encounters} --rate {args.rate:g} --duration {args.duration:g} "
        f"--scale-encounters {args.scale_encounters or args.encounters} --payer-mix {args.payer_mix.describe()} "
        "(issue defaults: 20000, 200/s for 60 s)"
    )
    for i, row in enumerate(table):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if i == 0:
            print(rule)
    for part in ("pipeline", "pipeline_http", "latency"):
        result = figures.get(part)
        if result and not result["complete"]:
            print(f"note: {part} run incomplete: {result['ready_days']} ready, {result['held']} held "
                  f"{result['held_reasons']}, {result['dead_letters']} dead letters {result['dead_letter_reasons']}"
                  + (f", {result['http']['refused']} refused {result['http']['refused_first']}"
                     if "http" in result else ""))  # fmt: skip
        if result and result["days_with_held_lines"]:
            print(f"note: {part}: {result['days_with_held_lines']} days with held lines {result['held_line_reasons']}")
    pipe = figures.get("pipeline")
    if pipe and "stage_peak_lag" in pipe:
        print("peak consumer-group lag in (2): " + ", ".join(f"{k} {v}" for k, v in pipe["stage_peak_lag"].items()))
    for error in figures.get("errors", []):
        print(f"error: {error}")


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
        ("pipeline", lambda: asyncio.run(pipeline_parts(args, figures))),
        ("scale", lambda: asyncio.run(scale_part(args, figures))),
    ]
    for part, step in steps:
        if part in args.skip or (part == "pipeline" and {"pipeline", "http", "latency"} <= set(args.skip)):
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
