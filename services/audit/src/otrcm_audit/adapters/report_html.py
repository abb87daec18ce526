"""``report.html``: one self-contained page (no script, no font, no image from the network; charts are inline SVG).

It shows what a practice must see and nothing more: totals, charts by category, payer and month, the top
findings with their evidence (encounter and claim ids, codes, units, modifiers, file names), the inputs skipped
and the methods. No name, birth date, address or member id is ever passed to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from otrcm_audit.domain.findings import Finding
from otrcm_audit.domain.summary import by_category, by_month, by_payer, totals

TOP = 25
STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:72rem;color:#222;
padding:0 1rem}
h1{margin-bottom:.2rem}.muted{color:#666}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #ddd;border-radius:.5rem;padding:1rem 1.4rem;min-width:12rem}
.card b{display:block;font-size:1.6rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}.prov{color:#a15c00;font-weight:600}.neg{color:#9b1c1c}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(30rem,1fr));gap:1.5rem}
figure{margin:0}td{overflow-wrap:break-word}td.ev{min-width:22rem}.wide{overflow-x:auto}
"""


def money(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def bar_chart(title: str, rows: Sequence[tuple[str, int, Decimal]]) -> str:
    """A horizontal bar chart of absolute dollars per group, as inline SVG."""
    height = 22 * max(len(rows), 1) + 10
    top = max((amount for _, _, amount in rows), default=Decimal(1)) or Decimal(1)
    bars = []
    for index, (label, count, amount) in enumerate(rows):
        y = 5 + index * 22
        width = int(260 * amount / top) if top else 0
        bars.append(
            f'<text x="0" y="{y + 14}" font-size="12">{escape(label)}</text>'
            f'<rect x="180" y="{y + 3}" width="{max(width, 1)}" height="14" fill="#3b6ea8"/>'
            f'<text x="{186 + width}" y="{y + 14}" font-size="11">{money(amount)} ({count})</text>'
        )
    svg = (
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 560 {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet">{"".join(bars)}</svg>'
    )
    return f"<figure><figcaption><b>{escape(title)}</b></figcaption>{svg}</figure>"


def _row(finding: Finding) -> str:
    cells = [
        escape(finding.category.value),
        escape(finding.encounter_id or ""),
        escape(finding.claim_id or ""),
        finding.date_of_service.isoformat() if finding.date_of_service else "",
        escape(finding.payer),
        escape(finding.code or ""),
        "" if finding.billed_units is None else str(finding.billed_units),
        "" if finding.expected_units is None else str(finding.expected_units),
    ]
    amount = money(finding.amount) + (' <span class="prov">provisional</span>' if finding.provisional else "")
    css = "n neg" if finding.amount < 0 else "n"
    evidence = (
        f"{escape(finding.evidence)}<br><span class='muted'>{escape(finding.rule)}: {escape(finding.source)}</span>"
    )
    return (
        "<tr>"
        + "".join(f"<td>{c}</td>" for c in cells)
        + f'<td class="{css}">{amount}</td><td class="ev">{evidence}</td></tr>'
    )


def render_report(
    findings: Sequence[Finding],
    days: int,
    claims: int,
    skipped: Sequence[str],
    as_of: str,
    tenant: str | None,
    unmatched: int = 0,
) -> str:
    total = totals(findings)
    provisional_note = (
        f"<p class='prov'>{money(total.provisional)} of these amounts are provisional: priced from reference data "
        "carried forward from an earlier year (e.g. 2026 Medicare dates priced with the 2025 GPCIs).</p>"
        if total.provisional
        else ""
    )
    unmatched_note = f" {unmatched} claim(s) bill no documented day." if unmatched else ""
    skipped_html = "".join(f"<li>{escape(item)}</li>" for item in skipped) or "<li>none</li>"
    rows = "".join(_row(f) for f in findings[:TOP])
    charts = "".join(
        bar_chart(title, rows_of(findings))
        for title, rows_of in (("By category", by_category), ("By payer", by_payer), ("By month of service", by_month))
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Revenue audit</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>{STYLE}</style></head><body>
<h1>Revenue audit</h1>
<p class="muted">{escape(tenant or "practice")}: {days} documented billing days, {claims} claims,
judged on {escape(as_of)}.{unmatched_note}</p>
<div class="cards">
<div class="card">Recoverable<b>{money(total.recoverable)}</b>
<span class="muted">corrected or first claims can collect it</span></div>
<div class="card">At risk<b>{money(total.at_risk)}</b>
<span class="muted">denial, recoupment or a lapsed limit</span></div>
<div class="card">Findings<b>{total.count}</b></div>
</div>
{provisional_note}
<h2>Where it is</h2>
<div class="charts">{charts}</div>
<h2>Top findings</h2>
<div class="wide"><table><thead><tr><th>category</th><th>encounter</th><th>claim</th><th>date</th><th>payer</th>
<th>code</th>
<th>billed units</th><th>expected units</th><th>amount</th><th>evidence, rule and source</th></tr></thead>
<tbody>{rows}</tbody></table></div>
<p class="muted">Every finding is in findings.json and findings.csv. Amounts: positive, the practice was or will be paid
less than it is owed; negative, it billed more than the rules allow.</p>
<h2>Inputs skipped</h2><ul>{skipped_html}</ul>
<h2>Methods</h2>
<ul>
<li>What each day should bill comes from the pipeline's own rules, not a copy: units by the payer's method (CMS total
time or the AMA per-code rule, docs/billing-rules.md §1), the plan-of-care gate (certification, progress reports,
authorizations, §5 and §9), and the modifier rules with their prices (GO, KX on the threshold accrual, CO, NCCI
pairs, Medicare PFS with MPPR or the practice's fee schedule, §3-§8).</li>
<li>A day is matched to the claims whose lines carry its date for the same member, payer and billing provider;
the latest claim (not rejected by a 999 or 277CA) is compared. Units differences are priced by the same rules with
the billed units; a missing CO by the same rules without the assistant's minutes.</li>
<li>Underpaid: the 835's allowed amount (AMT*B6, or the charge less every adjustment that is not the patient's,
§12) below the expected amount by more than the tolerance. Denial unworked: a denied line or claim with no later
claim for the day; an appeal outside the X12 files cannot be seen.</li>
<li>Unbilled: a documented day the gate does not hold, older than the billing lag, with no claim; within the
warning window of the payer's timely filing limit it is a timely filing risk instead.</li>
<li>The threshold accrual is an estimate (other providers' spend is unknown unless a therapy_spend record gives it).
Expected amounts for payers without a fee schedule are unknown and count as $0.</li>
</ul>
</body></html>
"""
