"""Use case: read the practice's files, judge every day by the pipeline's rules, compare, and write the report.

Writes ``findings.json``, ``findings.csv`` and ``report.html`` into ``out``; returns the summary paragraph.
With ``jobs`` above 1 the patients are audited in that many processes (forked after the files are read and the
reference data loaded): a patient's days, plans, authorizations and accrual stay in one process (crc32 of the
patient id), so every rule that spans days sees them all and the result is the same as with one. Logs name files,
counts and rule ids only (never a member id, a name or a birth date).
"""

from __future__ import annotations

import csv
import json
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from otrcm_audit.adapters.expected_billing import expected_days, warm_reference_data
from otrcm_audit.adapters.records_file import PracticeRecords, part_of, read_practice_records
from otrcm_audit.adapters.report_html import render_report
from otrcm_audit.adapters.x12_files import (
    X12Inputs,
    claims_file,
    files_in,
    merged,
    payer_ids,
    read_acknowledgments,
    remits_file,
)
from otrcm_audit.domain.audit import AuditResult, audit
from otrcm_audit.domain.findings import COLUMNS, finding_order
from otrcm_audit.domain.model import Acknowledgments, AuditSettings, BilledClaim, Payment
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


@dataclass(frozen=True)
class _Part:
    records: PracticeRecords
    claims: list[BilledClaim]
    payments: list[Payment]
    acknowledgments: Acknowledgments
    settings: AuditSettings


def run_audit(inputs: AuditInputs, settings: AuditSettings, jobs: int = 1) -> AuditRun:
    records = read_practice_records([inputs.encounters, *inputs.records], settings.as_of)
    log.info("read %d encounters from %s", len(records.encounters), inputs.encounters.name)
    x12 = _read_x12(inputs)
    log.info("read %d claims and %d payments from %d X12 files", len(x12.claims), len(x12.payments), x12.files)
    results = _audited(_parts(records, x12, settings, jobs), jobs)
    findings = tuple(sorted((f for result, _ in results for f in result.findings), key=finding_order))
    unmatched = tuple(sorted({claim for result, _ in results for claim in result.unmatched_claims}))
    result = AuditResult(findings, sum(r.days for r, _ in results), len(x12.claims), unmatched)
    skipped = tuple([*records.skipped, *(item for _, not_judged in results for item in not_judged), *x12.skipped])
    for item in skipped:
        log.warning("skipped: %s", item)
    write_outputs(inputs, result, skipped, settings)
    total = totals(result.findings)
    log.info("%d findings: recoverable %s, at risk %s", total.count, total.recoverable, total.at_risk)
    return AuditRun(
        result, skipped, summary_paragraph(result.findings, result.days, result.claims, skipped, len(unmatched))
    )


# The parts a forked worker audits: inherited with the process's memory, so nothing is pickled on the way in.
_FORKED: list[_Part] = []


def _audited(parts: list[_Part], jobs: int) -> list[tuple[AuditResult, list[str]]]:
    if jobs <= 1 or len(parts) <= 1:
        return [_audit_part(part) for part in parts]
    if "fork" not in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            return list(pool.map(_audit_part, parts))
    for part in parts:
        warm_reference_data(part.records)  # loaded once here, inherited by every worker
    _FORKED[:] = parts
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_audit_forked, range(len(parts))))
    finally:
        _FORKED.clear()


def _audit_forked(index: int) -> tuple[AuditResult, list[str]]:
    return _audit_part(_FORKED[index])


def _read_x12(inputs: AuditInputs) -> X12Inputs:
    payers = payer_ids(inputs.billing_profiles)
    claims = [claims_file(path, payers) for path in files_in(inputs.claims)]
    remits = [remits_file(path) for path in files_in(inputs.remits)]
    acks = read_acknowledgments(inputs.acks) if inputs.acks is not None else X12Inputs()
    return merged([*claims, *remits, acks], acks.acknowledgments)


def _parts(records: PracticeRecords, x12: X12Inputs, settings: AuditSettings, jobs: int) -> list[_Part]:
    count = max(jobs, 1)
    patient_of = records.patient_of_member()
    claims: list[list[BilledClaim]] = [[] for _ in range(count)]
    where: dict[str, int] = {}
    for claim in x12.claims:
        index = part_of(patient_of.get((claim.member_id, claim.payer_id), claim.member_id), count)
        claims[index].append(claim)
        where[claim.claim_id] = index
    payments: list[list[Payment]] = [[] for _ in range(count)]
    for payment in x12.payments:
        payments[where.get(payment.claim_id, 0)].append(payment)
    return [
        _Part(records.part(i, count) if count > 1 else records, claims[i], payments[i], x12.acknowledgments, settings)
        for i in range(count)
    ]


def _audit_part(part: _Part) -> tuple[AuditResult, list[str]]:
    days, not_judged = expected_days(part.records, part.settings.as_of)
    return audit(days, part.claims, part.payments, part.acknowledgments, part.settings), not_judged


def write_outputs(inputs: AuditInputs, result: AuditResult, skipped: tuple[str, ...], settings: AuditSettings) -> None:
    out = inputs.out
    out.mkdir(parents=True, exist_ok=True)
    plain = [finding.as_plain_data() for finding in result.findings]
    (out / "findings.json").write_text(json.dumps(plain, indent=1) + "\n", encoding="utf-8")
    with (out / "findings.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in plain)
    as_of = settings.as_of.isoformat()
    html = render_report(
        result.findings, result.days, result.claims, skipped, as_of, inputs.tenant, len(result.unmatched_claims)
    )
    (out / "report.html").write_text(html, encoding="utf-8")
