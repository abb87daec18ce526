"""Throughput of the units domain: days per second for ``calculate_day`` on one core.

Run: ``.venv/bin/python tests/bench/bench_units.py [--seconds 3] [--days 20000] [--json PATH]``.
Not a test (no ``test_`` names, no assertions on timing): it prints figures to compare runs.

The mix is seeded and meant to look like an outpatient OT clinic: 1-5 codes a day, mostly timed
OT codes, some evaluations and untimed modalities, the odd cognitive-function (97129/97130) day and
the odd second visit reporting a code again, minutes 5-60. Beside it, a baseline loop over the same
days (summing each day's minutes) gives a yardstick for the machine, so runs on different machines
can be compared by the ratio as well as the raw figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import MinutesLine, UnitMethod, calculate_day

TIMED_OT_CODES = ("97530", "97535", "97110", "97112", "97140", "97760", "97763", "97542", "97537")
EVALUATION_CODES = ("97165", "97166", "97167", "97168")
UNTIMED_MODALITIES = ("97010", "G0283", "97018")
COGNITIVE_FAMILY = ("97129", "97130")

Day = tuple[MinutesLine, ...]


def build_days(count: int, seed: int) -> list[Day]:
    """``count`` seeded-random days of 1-5 lines."""
    rng = random.Random(seed)
    days: list[Day] = []
    for _ in range(count):
        size = rng.choices((1, 2, 3, 4, 5), weights=(15, 30, 30, 15, 10))[0]
        codes: list[str] = []
        if rng.random() < 0.12:
            codes.append(rng.choice(EVALUATION_CODES))
        if rng.random() < 0.08:
            codes.append(rng.choice(UNTIMED_MODALITIES))
        if rng.random() < 0.05:
            codes.append(rng.choice(COGNITIVE_FAMILY))
        while len(codes) < size:
            codes.append(rng.choice(TIMED_OT_CODES))
        codes = codes[:size]
        timed = [code for code in codes[:-1] if code in TIMED_OT_CODES]
        if timed and rng.random() < 0.05:
            codes[-1] = rng.choice(timed)  # a second visit reports a timed code again
        days.append(tuple(MinutesLine(f"L{i}", code, rng.randint(5, 60)) for i, code in enumerate(codes)))
    return days


def measure(seconds: float, days: Sequence[Day], one_pass: Callable[[Sequence[Day]], None]) -> Rate:
    """Days per second of ``one_pass`` over ``days``: rounds of about 0.2 s for ``seconds`` in all.

    The median round is the figure to quote (shared machines have noisy neighbours); the best round
    is what the code does when nothing else runs. The garbage collector stays on, as in a service.
    """
    one_pass(days)  # warm up: catalog lookups cached, code objects hot
    start = time.perf_counter()
    one_pass(days)
    passes_per_round = max(1, round(0.2 / max(time.perf_counter() - start, 1e-9)))
    rates: list[float] = []
    deadline = time.perf_counter() + seconds
    while not rates or time.perf_counter() < deadline:
        start = time.perf_counter()
        for _ in range(passes_per_round):
            one_pass(days)
        rates.append(passes_per_round * len(days) / (time.perf_counter() - start))
    return Rate(statistics.median(rates), max(rates), len(rates))


class Rate(NamedTuple):
    median: float
    best: float
    rounds: int


def units_pass(method: UnitMethod, catalog: CodeCatalog) -> Callable[[Sequence[Day]], None]:
    def one_pass(days: Sequence[Day]) -> None:
        for day in days:
            calculate_day(day, method, catalog)

    return one_pass


def explained_units_pass(method: UnitMethod, catalog: CodeCatalog) -> Callable[[Sequence[Day]], None]:
    def one_pass(days: Sequence[Day]) -> None:
        for day in days:
            _ = calculate_day(day, method, catalog).explanation

    return one_pass


def baseline_pass(days: Sequence[Day]) -> None:
    """The yardstick: touch every line of every day and add its minutes."""
    for day in days:
        total = 0
        for line in day:
            total += line.minutes


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity") and hasattr(os, "sched_getaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"cpu {cpu}"
    return "not pinned"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measured loop (default 3)")
    parser.add_argument("--days", type=int, default=20_000, help="distinct days in the mix (default 20000)")
    parser.add_argument("--seed", type=int, default=20_250_101)
    parser.add_argument("--explain", action="store_true", help="also time days whose explanation is read")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    core = pin_to_one_core()
    catalog = CodeCatalog.builtin(date(2025, 1, 1))
    days = build_days(args.days, args.seed)
    figures: dict[str, object] = {
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "core": core,
        "days_in_mix": len(days),
        "lines_per_day": round(sum(len(day) for day in days) / len(days), 2),
        "seconds_per_loop": args.seconds,
    }
    baseline = measure(args.seconds, days, baseline_pass)
    figures["baseline_days_per_second"] = round(baseline.median)
    for method in UnitMethod:
        rate = measure(args.seconds, days, units_pass(method, catalog))
        figures[f"{method.value}_days_per_second"] = round(rate.median)
        figures[f"{method.value}_best_round_days_per_second"] = round(rate.best)
        figures[f"{method.value}_baseline_ratio"] = round(baseline.median / rate.median, 1)
    if args.explain:
        rate = measure(args.seconds, days, explained_units_pass(UnitMethod.CMS, catalog))
        figures["cms_explained_days_per_second"] = round(rate.median)

    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:,}" if isinstance(value, int) else f"{key:<{width}}  {value}")
    print("(median of ~0.2 s rounds; baseline_ratio = baseline loop days/s / calculate_day days/s)")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
