"""(8) The revenue audit (issue 22): ``otrcm-audit run`` over a generated practice of ``encounters`` encounters with
its 837P, 835 and 999 files (the planted errors of ``tests/support/audit_practice`` included), as the command a
practice runs: one process, its wall time and CPU time. Target: under 60 s for 10,000 encounters on 2 cores.
Generating the files is outside the clock."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import ROOT
from tests.support.audit_practice import AS_OF
from tests.support.audit_x12 import write_practice

ENCOUNTERS_PER_PATIENT = 27  # a base patient's visits over the 90 days (twice a week), as generated
TARGET_S = 60.0


def run_audit_bench(encounters: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="otrcm-audit-bench-") as scratch:
        root = Path(scratch)
        began = time.monotonic()
        patients = max(3, -(-encounters // ENCOUNTERS_PER_PATIENT))
        records = write_practice(root, planted=True, patients=patients)
        generated_s = time.monotonic() - began
        documented = sum(1 for row in records.read_text().splitlines() if '"encounter_id"' in row)
        command = [
            str(Path(sys.executable).with_name("otrcm-audit")), "run", "--encounters", str(records),
            "--claims", str(root / "claims"), "--remits", str(root / "remits"), "--acks", str(root / "acks"),
            "--out", str(root / "out"), "--as-of", AS_OF.isoformat(), "--log", str(root / "audit.log"),
        ]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"otrcm-audit exited {done.returncode}: {done.stderr[-500:]}")
        findings = json.loads((root / "out" / "findings.json").read_text())
        files = sum(1 for d in ("claims", "remits", "acks") for _ in (root / d).iterdir())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "encounters": documented,
        "x12_files": files,
        "findings": len(findings),
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "encounters_per_second": round(documented / wall, 1) if wall else None,
        "generate_seconds": round(generated_s, 1),
        "target_s": TARGET_S,
        "summary": done.stdout.strip(),
    }


def audit_rows(audit: dict[str, Any] | None) -> list[tuple[str, str, str, str]]:
    if not audit:
        return []
    met = "met" if audit["seconds"] < audit["target_s"] else "MISSED"
    return [
        (
            "8 revenue audit",
            f"otrcm-audit run s ({audit['encounters']:,} encounters, {audit['x12_files']} X12 files)",
            f"{audit['seconds']} (CPU {audit['cpu_seconds']})",
            f"<{audit['target_s']:g} s {met}",
        ),
        (
            "",
            "findings (planted errors) / encounters per second",
            f"{audit['findings']} / {audit['encounters_per_second']}",
            "",
        ),
    ]
