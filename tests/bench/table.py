"""The bench's table: one row per figure, with its target or its ratio to the raw Kafka baseline."""

from __future__ import annotations

import argparse
from typing import Any

from tests.bench.audit import audit_rows
from tests.bench.claims_batch import batch_rows


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
            ("", "set-up before the clock (billing provider, key, patients, plans, auths, spend) s",
             f"{pipe['setup']['setup_seconds']} ({pipe['setup']['patients_recorded']} patients)", "untimed"),
            ("", "stage drained after s " + " ".join(pipe.get("stage_drained_after_s", {})),
             " ".join(str(v) for v in pipe.get("stage_drained_after_s", {}).values()), ""),
        ]  # fmt: skip
    found += batch_rows(figures.get("claims_batch"))
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
            ("", "  (intake acceptance -> ready lines published) submit->ready p50/p99 ms",
             " / ".join(str(v) for v in lat.get("submit_to_ready_ms", {}).values()), "incl. queue before intake"),
            *[("", f"  {hop.replace('_', ' ')} p50/p99 ms", f"{v['p50']} / {v['p99']}",
               "units+poc" if hop == "accepted_to_verdict" else "modifiers")
              for hop, v in lat.get("hops_ms", {}).items()],
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
            ("", "CPU ms/encounter, all processes, 1 / 2 instances",
             f"{scale['one'].get('cpu_ms_per_encounter_all')} / {scale['two'].get('cpu_ms_per_encounter_all')}",
             f"ratio {scale.get('cpu_ratio')} (<=1.1 {'met' if (scale.get('cpu_ratio') or 99) <= 1.1 else 'MISSED'})"),
        ]  # fmt: skip
        found += batch_rows(scale.get("batch"), part="", after="the 1-instance run (PostgreSQL)")
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
    return found + audit_rows(figures.get("audit"))


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


def console_rows(console: dict[str, Any] | None) -> list[tuple[str, str, str, str]]:
    """(9): the console's worklist page over the held rows, server time (median)."""
    if not console:
        return []
    worst = max(console["first_page_ms"], console["next_page_ms"], console["filtered_page_ms"])
    load = console.get("load_average_1m")
    return [("9 console", f"worklist page ms, {console['held_rows']:,} held (first / next / filtered; load {load})",
             f"{console['first_page_ms']} / {console['next_page_ms']} / {console['filtered_page_ms']}",
             f"<300 {'met' if worst < 300 else 'MISSED'}")]  # fmt: skip


def print_table(figures: dict[str, Any], args: argparse.Namespace) -> None:
    table = [
        ("part", "measure", "value", "target / ratio"),
        *rows(figures, args),
        *console_rows(figures.get("console")),
    ]
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
