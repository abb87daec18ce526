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
    # Estimates priced from a dataset version carried forward: (dataset, version, year) -> lines, dollars.
    provisional_lines: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    provisional_amount: dict[str, Decimal] = field(default_factory=lambda: _zeros())
    priced_lines: int = 0
    provisional_priced: int = 0
    billed_dates: set[str] = field(default_factory=set)
    elapsed_s: float = 0.0


def note_estimates(report: Report, day: dict[str, Any]) -> None:
    """Count the day's priced lines, and the provisional ones by the carried-forward dataset they used."""
    if day["lines"]:
        report.billed_dates.add(day["date_of_service"])
    for line in day["lines"]:
        if line["expected_allowed"] is None:
            continue
        report.priced_lines += 1
        if not line.get("expected_provisional"):
            continue
        report.provisional_priced += 1
        report.provisional_amount[day["payer_id"]] += Decimal(str(line["expected_allowed"]))
        for used in line.get("expected_basis", []):
            if used["provisional"]:
                report.provisional_lines[(used["dataset"], used["version"], used["year"])] += 1


def missing_datasets(report: Report) -> list[tuple[str, int, str]]:
    """(dataset, year, version carried forward) for every dataset with no version for a year it billed."""
    return sorted({(dataset, year, version) for dataset, version, year in report.provisional_lines})


def _estimate_lines(report: Report) -> list[str]:
    provisional = sum(report.provisional_amount.values(), Decimal(0))
    out = [
        f"provisional estimates: {report.provisional_priced} of {report.priced_lines} priced lines "
        f"(${provisional:,.2f}) rest on reference data carried forward from an earlier year:"
    ]
    for (dataset, version, year), count in sorted(report.provisional_lines.items()):
        out.append(f"  {count:>4} lines priced with {dataset} {version}, carried forward to {year}")
    if not report.provisional_lines:
        out[0] = f"provisional estimates: none of {report.priced_lines} priced lines"
    dates = sorted(report.billed_dates)
    span = f"{dates[0]} to {dates[-1]}" if dates else "none"
    missing = missing_datasets(report)
    out.append(f"reference data missing for the dates billed ({span}): {len(missing) or 'none'}")
    for dataset, year, version in missing:
        out.append(
            f"  {dataset}: no {year} version loaded; {year} dates priced from {version} "
            f"(import the {year} file with `otrcm-refdata import`)"
        )
    return out


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
    out.append("expected reimbursement by payer (estimates; the provisional part in brackets):")
    for payer, amount in sorted(report.expected_by_payer.items()):
        part = report.provisional_amount.get(payer, Decimal(0))
        out.append(f"  {payer:<28} ${amount:>10,.2f}" + (f"  (provisional ${part:,.2f})" if part else ""))
    out.extend(_estimate_lines(report))
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
        "priced_lines": report.priced_lines,
        "provisional_priced": report.provisional_priced,
        "provisional_lines": [[*key, count] for key, count in sorted(report.provisional_lines.items())],
        "missing_datasets": missing_datasets(report),
    }
