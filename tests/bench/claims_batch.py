"""Part 10, the claims batch: after the pipeline run (2), what the claims service's periodic job does every
``OTRCM_CLAIMS_BATCH_INTERVAL_S`` (``otrcm-claims submit-now``: build the claims of every ready day, render one
837P per payer, validate it, write it to the clearinghouse port), in a process of its own; its wall and CPU
seconds, CPU per claim and peak RSS.

The bench's services keep that job out of the timed windows (their interval outlasts a run, ``BATCH_INTERVAL_S``):
it used to fall into a window or not depending on when the services had started, and moved the figures of
whichever part it fell into. It is measured here instead, on the claims of (2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tests.bench.common import ROOT

BATCH_INTERVAL_S = "86400"  # the services' own batch: once at start-up (nothing is ready yet), then not in a run
RSS_TARGET_MB = 250


class HighWaterMark(threading.Thread):
    """The peak resident memory of the process ``pid`` after its exec (``VmHWM``, read every 50 ms until it exits).

    Not ``wait4``'s ``ru_maxrss``: Linux carries a process's high-water mark over ``execve``, so a child forked by
    this bench starts with the bench's own resident memory as its peak (a bench holding 800 MB of envelopes made
    every batch look 800 MB or larger, whatever the batch used)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_bytes = 0

    def run(self) -> None:
        status = Path(f"/proc/{self.pid}/status")
        while True:
            try:
                lines = status.read_text().splitlines()
            except OSError:
                return  # gone
            marks = [int(line.split()[1]) * 1024 for line in lines if line.startswith("VmHWM:")]
            if not marks:
                return  # a zombie: its memory is released
            self.peak_bytes = max(self.peak_bytes, marks[0])
            time.sleep(0.05)


def run_claims_batch(env: dict[str, str], var_dir: Path) -> dict[str, Any]:
    """Run one batch over what is ready in ``var_dir`` (the services' environment ``env``), and measure it."""
    out = var_dir / "logs" / "claims-batch.json"
    began = time.monotonic()
    with out.open("wb") as stdout:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "otrcm-claims"), "submit-now"],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=subprocess.DEVNULL,
        )
        watcher = HighWaterMark(process.pid)
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)  # this child's own CPU
        watcher.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - began
    report = json.loads(out.read_text() or "{}") if process.returncode == 0 else {}
    claims = len(report.get("validated", []))
    cpu = usage.ru_utime + usage.ru_stime
    rss_mb = watcher.peak_bytes / 2**20
    return {
        "exit_code": process.returncode,
        "claims_validated": claims,
        "claims_submitted": len(report.get("submitted", [])),
        "claims_held": len(report.get("held", {})),
        "interchanges": len(report.get("interchanges", [])),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "cpu_ms_per_claim": round(cpu / claims * 1000, 2) if claims else None,
        "claims_per_second": round(claims / seconds, 1) if seconds else None,
        "peak_rss_mb": round(rss_mb, 1),
        "rss_under_target": rss_mb < RSS_TARGET_MB,
    }


def batch_rows(
    batch: dict[str, Any] | None, part: str = "10 claims batch", after: str = "(2)"
) -> list[tuple[str, str, str, str]]:
    """(10) in the table, or a batch run elsewhere (``after`` what)."""
    if not batch:
        return []
    return [
        (part, f"claims built+validated+written after {after} (exit {batch['exit_code']}; "
         f"{batch['interchanges']} interchanges, {batch['claims_held']} held): s / claims per s",
         f"{batch['claims_validated']:,}: {batch['seconds']} / {batch['claims_per_second']}", "off the ready path"),
        ("", "CPU s / CPU ms per claim / peak RSS MB (one process)",
         f"{batch['cpu_seconds']} / {batch['cpu_ms_per_claim']} / {batch['peak_rss_mb']:.0f}",
         f"RSS <{RSS_TARGET_MB} {'met' if batch['rss_under_target'] else 'MISSED'}"),
    ]  # fmt: skip
