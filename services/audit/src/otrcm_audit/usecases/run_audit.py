"""Use case: read the practice's files, judge every day by the pipeline's rules, compare, and write the report.

Writes ``findings.json``, ``findings.csv`` and ``report.html`` into ``out``; returns the summary paragraph.
Logs name files, counts and rule ids only (never a member id, a name or a birth date).
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from otrcm_audit.adapters.expected_billing import expected_days
from otrcm_audit.adapters.records_file import read_practice_records
from otrcm_audit.adapters.report_html import render_report
from otrcm_audit.adapters.x12_files import X12Inputs, payer_ids, read_acknowledgments, read_claims, read_remits
from otrcm_audit.domain.audit import AuditResult, audit
from otrcm_audit.domain.findings import COLUMNS
from otrcm_audit.domain.model import AuditSettings
from otrcm_audit.domain.summary import summary_paragraph, totals

log = logging.getLogger("otrcm.audit")


@dataclass(frozen=True)
class AuditInputs:
    encounters: Path
    claims: Path
    remits: Path
    out: Path
    acks: Path | None = None
    records: tuple[Path, ...] = ()
    tenant: str | None = None
    billing_profiles: Path | None = None


@dataclass(frozen=True)
class AuditRun:
    result: AuditResult
    skipped: tuple[str, ...]
    summary: str


def run_audit(inputs: AuditInputs, settings: AuditSettings) -> AuditRun:
    records = read_practice_records([inputs.encounters, *inputs.records])
    log.info("read %d encounters from %s", len(records.encounters), inputs.encounters.name)
    days, not_judged = expected_days(records, settings.as_of)
    x12 = X12Inputs()
    read_claims(inputs.claims, x12, payer_ids(inputs.billing_profiles))
    read_remits(inputs.remits, x12)
    if inputs.acks is not None:
        read_acknowledgments(inputs.acks, x12)
    log.info("read %d claims and %d payments from %d X12 files", len(x12.claims), len(x12.payments), x12.files)
    skipped = tuple([*records.skipped, *not_judged, *x12.skipped])
    for item in skipped:
        log.warning("skipped: %s", item)
    result = audit(days, x12.claims, x12.payments, x12.acknowledgments, settings)
    write_outputs(inputs, result, skipped, settings)
    total = totals(result.findings)
    log.info("%d findings: recoverable %s, at risk %s", total.count, total.recoverable, total.at_risk)
    return AuditRun(result, skipped, summary_paragraph(result.findings, result.days, result.claims, skipped))


def write_outputs(inputs: AuditInputs, result: AuditResult, skipped: tuple[str, ...], settings: AuditSettings) -> None:
    out = inputs.out
    out.mkdir(parents=True, exist_ok=True)
    plain = [finding.as_plain_data() for finding in result.findings]
    (out / "findings.json").write_text(json.dumps(plain, indent=1) + "\n", encoding="utf-8")
    with (out / "findings.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in plain)
    html = render_report(
        result.findings, result.days, result.claims, skipped, settings.as_of.isoformat(), inputs.tenant
    )
    (out / "report.html").write_text(html, encoding="utf-8")
