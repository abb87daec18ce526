"""The main job's report: what a billing lead reads after a run (no PHI: client ids and codes only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class Report:
    tenant: str
    practice: str
    encounters_in: int = 0
    warnings: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    final: dict[str, str] = field(default_factory=dict)
    held_by_reason: Counter[str] = field(default_factory=Counter)
    held_lines: Counter[str] = field(default_factory=Counter)
    lines_by_code: Counter[tuple[str, str]] = field(default_factory=Counter)
    expected_by_payer: dict[str, Decimal] = field(default_factory=lambda: _zeros())
    thresholds: dict[str, dict[str, Any]] = field(default_factory=dict)
    alerts: list[tuple[str, str, str]] = field(default_factory=list)
    dead_letters: list[tuple[str, str]] = field(default_factory=list)
    claims_submitted: int = 0
    claims_by_day: Counter[str] = field(default_factory=Counter)
    ready_days: dict[str, dict[str, Any]] = field(default_factory=dict)
    held_codes: dict[str, list[str]] = field(default_factory=dict)
    files: list[tuple[str, bool]] = field(default_factory=list)
    patient_of: dict[str, str] = field(default_factory=dict)
    elapsed_s: float = 0.0


def _zeros() -> dict[str, Decimal]:
    from collections import defaultdict

    return defaultdict(lambda: Decimal(0))


def render(report: Report) -> str:
    out = [
        "",
        f"== {report.practice} ({report.tenant}) ==",
        f"encounters in: {report.encounters_in}   accepted: {len(report.final)}   "
        f"rejected at the door: {len(report.rejected)}   timely-filing warnings: {report.warnings}",
    ]
    for encounter_id, rules in report.rejected:
        out.append(f"  rejected {encounter_id}: {rules}")
    out.append("final states: " + ", ".join(f"{s} {n}" for s, n in sorted(Counter(report.final.values()).items())))
    out.append("held (encounters, by reason): " + _counts(report.held_by_reason))
    out.append("held lines (by reason): " + _counts(report.held_lines))
    out.append(f"claims submitted: {report.claims_submitted}   837P files written: {len(report.files)}")
    for path, ok in report.files:
        out.append(f"  {path}  pyx12: {'accepted' if ok else 'REJECTED'}")
    out.append("units and modifiers billed:")
    for (code, modifiers), units in sorted(report.lines_by_code.items()):
        out.append(f"  {code} {modifiers or '-':<10} {units:>4} units")
    out.append("expected reimbursement by payer (estimates):")
    for payer, amount in sorted(report.expected_by_payer.items()):
        out.append(f"  {payer:<28} ${amount:>10,.2f}")
    out.append("therapy threshold, OT, per beneficiary (estimates; other providers' spend unknown):")
    for patient, status in sorted(report.thresholds.items()):
        flag = "ABOVE (KX)" if status["above_threshold"] else "below"
        review = "  targeted-review amount passed" if status["targeted_review_flag"] else ""
        out.append(
            f"  {patient:<10} ${Decimal(str(status['accrued'])):>9,.2f} of ${status['threshold']}  {flag}{review}"
        )
    out.append(f"alerts raised: {len(report.alerts)}")
    for kind, subject, message in report.alerts:
        out.append(f"  {kind} {subject}: {message}")
    if report.dead_letters:
        out.append("dead letters: " + _counts(Counter(f"{s}:{r}" for s, r in report.dead_letters)))
    out.append(f"done in {report.elapsed_s:.0f} s")
    return "\n".join(out)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {count}" for key, count in counter.most_common()) or "none"


def facts(report: Report) -> dict[str, Any]:
    """What the end-to-end test checks: final states, holds, the lines of each day, the claims."""
    return {
        "tenant": report.tenant,
        "rejected": dict(report.rejected),
        "final": report.final,
        "held_codes": report.held_codes,
        "ready_days": report.ready_days,
        "claims_by_day": dict(report.claims_by_day),
        "files": report.files,
        "patient_of": report.patient_of,
        "alerts": report.alerts,
    }
