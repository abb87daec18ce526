"""Totals of an audit: recoverable and at-risk dollars, by category, payer and month, and the one-paragraph summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from otrcm_audit.domain.findings import Exposure, Finding

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Totals:
    recoverable: Decimal  # what corrected or first claims can still collect (positive amounts)
    at_risk: Decimal  # what denials, recoupments or lapsed limits may cost (absolute amounts)
    provisional: Decimal  # of both, the part priced from reference data carried forward
    count: int


def totals(findings: Sequence[Finding]) -> Totals:
    recoverable = sum((f.amount for f in findings if f.exposure is Exposure.RECOVERABLE), ZERO)
    at_risk = sum((abs(f.amount) for f in findings if f.exposure is Exposure.AT_RISK), ZERO)
    provisional = sum((abs(f.amount) for f in findings if f.provisional), ZERO)
    return Totals(recoverable, at_risk, provisional, len(findings))


def grouped(findings: Sequence[Finding], key: Callable[[Finding], str]) -> list[tuple[str, int, Decimal]]:
    """(group, count, sum of absolute amounts), largest first."""
    groups: dict[str, tuple[int, Decimal]] = {}
    for f in findings:
        count, amount = groups.get(key(f), (0, ZERO))
        groups[key(f)] = (count + 1, amount + abs(f.amount))
    return sorted(((k, c, a) for k, (c, a) in groups.items()), key=lambda row: (-row[2], row[0]))


def by_category(findings: Sequence[Finding]) -> list[tuple[str, int, Decimal]]:
    return grouped(findings, lambda f: f.category.value)


def by_payer(findings: Sequence[Finding]) -> list[tuple[str, int, Decimal]]:
    return grouped(findings, lambda f: f.payer)


def by_month(findings: Sequence[Finding]) -> list[tuple[str, int, Decimal]]:
    rows = grouped(findings, lambda f: f.date_of_service.strftime("%Y-%m") if f.date_of_service else "undated")
    return sorted(rows)


def summary_paragraph(
    findings: Sequence[Finding], days: int, claims: int, skipped: Sequence[str], unmatched: int = 0
) -> str:
    """One paragraph for stdout: no patient, member id or name; only counts, dollars and categories."""
    total = totals(findings)
    top = by_category(findings)[:3]
    leading = ", ".join(f"{name} ({count}, ${amount:,.2f})" for name, count, amount in top) or "none"
    text = (
        f"Audited {days} billing days against {claims} claims: {total.count} findings, "
        f"${total.recoverable:,.2f} recoverable and ${total.at_risk:,.2f} at risk"
    )
    if total.provisional:
        text += f" (${total.provisional:,.2f} of it priced provisionally)"
    text += f". Largest categories: {leading}."
    if unmatched:
        text += f" {unmatched} claim(s) bill no documented day."
    if skipped:
        text += f" Skipped {len(skipped)} input(s): {'; '.join(skipped)}."
    return text
