"""Use case, first half of a batch: build the due claims, render one 837P per payer, validate, hold or stage.

Claims that fail a check (``validate_837p(...).held_claim_ids``) are ``held`` with the issue ids and
messages and are left out of the interchange, which is rendered again without them. The rest become
``validated`` and their interchange is stored, waiting to be written (second half:
:mod:`otrcm_claims.usecases.batch_submit`). Days whose patient record or coverage has not arrived wait
(``pending``). Control numbers: ISA13 = GS06 from one sequence of this service (so each is unique and
increasing per tenant and payer, and the file names never collide); BHT03 = ``OTRCM`` + ISA13.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.claim_repository import load_claim, record_billing_provider, save
from otrcm_claims.adapters.corrections import record_billed_days
from otrcm_claims.adapters.due_days import PatientRange, day_of, unclaimed_days, waits_for_its_record
from otrcm_claims.adapters.sent_interchanges import record_envelope
from otrcm_claims.adapters.x12 import ControlNumbers, Rendered837P, render_837p, render_segments, validate_837p
from otrcm_claims.domain import Claim
from otrcm_claims.domain.claim_aggregate import Claim as ClaimLife
from otrcm_claims.domain.claim_aggregate import ClaimFacts
from otrcm_claims.domain.grouping import ClaimDraft, cutoff_has_passed, group_days
from otrcm_claims.domain.interchange_groups import by_interchange
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_claims.usecases.batch_corrections import BatchSteps, take_correction
from otrcm_claims.usecases.billing_identity import receiver_of, submitter_of, trading_partners_of
from otrcm_claims.usecases.claim_builder import BuiltClaim, build_claim, coverage_for
from otrcm_claims.usecases.corrections import group_key_as_data, plan_correction, void_emptied_day
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.patients import PatientRecorded
from otrcm_shared.runtime.consumer import describe_validation_error
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.turns import in_turns

INTERCHANGE_SCOPE = "interchange"


@dataclass
class BuildReport:
    validated: list[str] = field(default_factory=list)
    held: dict[str, list[str]] = field(default_factory=dict)
    outgoing: list[Outgoing] = field(default_factory=list)  # staged by the caller in the same transaction
    pending: list[dict[str, str]] = field(default_factory=list)
    interchanges: list[int] = field(default_factory=list)


async def build_due_claims(
    session: AsyncSession,
    profiles: BillingProfiles,
    now: datetime,
    cutoff_hours: float,
    zone: ZoneInfo,
    within: PatientRange | None = None,
) -> BuildReport:
    """The claims of the unclaimed days of the patients ``within`` a range (else of every patient)."""
    report = BuildReport()
    by_tenant: dict[str, list[tuple[ClaimLinesReady, PatientRecorded]]] = {}
    async for row in in_turns(await unclaimed_days(session, within)):
        record = row["patient_record"]
        if waits_for_its_record(row):  # not decoded, nothing looked up
            if cutoff_has_passed(row["date_of_service"], now, cutoff_hours, zone):
                report.pending.append({**day_of(row), "reason": "no patient record yet"})
            continue
        try:
            ready = ClaimLinesReady.model_validate(row["ready"])
        except ValidationError as error:  # one unreadable stored day must not stop every other tenant's claims
            reason = f"stored ready day unreadable: {describe_validation_error(error)}"
            report.pending.append({**day_of(row), "reason": reason})
            continue
        if not ready.lines:  # every encounter of the day voided: a claim it had is voided
            report.outgoing += await void_emptied_day(session, row)
            continue
        if not cutoff_has_passed(ready.date_of_service, now, cutoff_hours, zone):
            continue
        patient = PatientRecorded.model_validate(record) if record is not None else None
        if patient is None or coverage_for(patient, ready.payer_id) is None:
            why = "no patient record yet" if patient is None else f"no coverage for payer {ready.payer_id}"
            report.pending.append({**day_of(row), "reason": why})
            continue
        by_tenant.setdefault(row["tenant_id"], []).append((ready, patient))

    for tenant_id, entries in by_tenant.items():
        patients = {ready.patient_key: patient for ready, patient in entries}
        registered = {
            npi: BillingProviderRegistered.model_validate(registration)
            for npi, registration in (await store.active_billing_providers(session, tenant_id)).items()
        }
        drafts = group_days(tenant_id, [ready for ready, _ in entries], profiles.payers_with_one_rendering_provider())
        built = await asyncio.to_thread(_build_all, drafts, patients, profiles, registered)
        ready_claims: list[BuiltClaim] = []
        async for result in in_turns(built):
            sent = await _row_if_left(session, result.draft.claim_id)
            if sent is not None:  # the day changed after its claim went out: a replacement, void or new original
                rebuild = partial(_rebuild, patients[result.draft.key.patient_key], profiles, registered)
                planned = await plan_correction(session, result, sent, rebuild)
                await take_correction(session, planned, result.draft, ready_claims, report, batch_steps())
                continue
            if not await _record_built(session, result, report):
                continue
            if result.claim is None:
                await _hold(session, result.draft, list(result.problems), report)
            else:
                ready_claims.append(result)
        for group in by_interchange(ready_claims, registered):
            await _render_and_validate(session, group, registered, now, report)
    return report


def _build_all(
    drafts: Sequence[ClaimDraft],
    patients: Mapping[str, PatientRecorded],
    profiles: BillingProfiles,
    registered: Mapping[str, BillingProviderRegistered],
) -> list[BuiltClaim]:
    return [build_claim(draft, patients[draft.key.patient_key], profiles, registered) for draft in drafts]


def _rebuild(
    patient: PatientRecorded,
    profiles: BillingProfiles,
    registered: Mapping[str, BillingProviderRegistered],
    draft: ClaimDraft,
) -> BuiltClaim:
    return build_claim(draft, patient, profiles, registered)


def batch_steps() -> BatchSteps:
    return BatchSteps(_record_built, _hold, by_interchange, _render_and_validate, _rebuild)


async def _row_if_left(session: AsyncSession, claim_id: str) -> Any:
    """The claim when it has already been validated or sent (it can no longer take new lines)."""
    existing = await store.claim_row(session, claim_id)
    if existing is None or ClaimState(existing["status"]) in (ClaimState.BUILT, ClaimState.HELD):
        return None
    return existing


async def _record_built(
    session: AsyncSession, result: BuiltClaim, report: BuildReport, corrects: tuple[str, str] | None = None
) -> bool:
    """Insert (or reopen) the claim as ``built`` through its aggregate; False when it has already left.
    ``corrects``: a correction's frequency (CLM05-3) and the claim it corrects, for its first step."""
    draft = result.draft
    existing = await store.claim_row(session, draft.claim_id, for_update=True)
    now = store.utc_now()
    values: dict[str, Any] = {
        "payer_id": draft.key.payer_id,
        "patient_key": draft.key.patient_key,
        "day_keys": list(draft.day_keys),
        "day_versions": {day.day_key: day.version for day in draft.days},
        # every encounter of the day, those whose minutes were pooled into other lines included
        "encounter_ids": sorted(
            {line.encounter_id for day in draft.days for line in day.lines}
            | {encounter_id for day in draft.days for encounter_id in day.encounter_ids}
        ),
        "lines": list(result.lines),
        "charge": str(sum((Decimal(line["charge"]) for line in result.lines), Decimal(0))),
        "interchange_control_number": None,
        "batch_reference": None,
        "segment_text": None,
    }
    if existing is not None and ClaimState(existing["status"]) not in (ClaimState.BUILT, ClaimState.HELD):
        report.pending.append(
            {
                "tenant_id": draft.tenant_id,
                "day_key": ",".join(draft.day_keys),
                "reason": f"claim {draft.claim_id} is already {existing['status']}",
            }
        )
        return False
    await record_billing_provider(session, draft.tenant_id, draft.claim_id, draft.key.billing_provider_npi)
    if existing is None:
        claim = ClaimLife(_facts(draft, values, corrects))
        claim.build()
        await session.execute(
            store.claims.insert().values(
                tenant_id=draft.tenant_id, claim_id=draft.claim_id, status=str(claim.status), reasons=[],
                created_at=now, updated_at=now, **values,
            )
        )  # fmt: skip
        reasons_before: list[str] = []
    else:
        await store.set_claim(session, draft.tenant_id, draft.claim_id, **values)
        row = await store.claim_row(session, draft.claim_id)
        claim, reasons_before = await load_claim(session, row), list(row["reasons"])
        if claim.status is ClaimState.HELD:
            claim.build()
    report.outgoing += await save(session, claim, reasons_before)
    await session.execute(
        update(store.ready_days)
        .where(store.ready_days.c.tenant_id == draft.tenant_id, store.ready_days.c.day_key.in_(draft.day_keys))
        .values(claimed=True, claim_id=draft.claim_id)
    )
    return True


def _facts(draft: ClaimDraft, values: Mapping[str, Any], corrects: tuple[str, str] | None) -> ClaimFacts:
    frequency, replaces = corrects or (None, None)
    return ClaimFacts(
        draft.tenant_id, draft.claim_id, draft.key.patient_key, draft.key.payer_id, draft.day_keys,
        tuple(values["encounter_ids"]), Decimal(values["charge"]), billing_provider_npi=draft.key.billing_provider_npi,
        frequency=frequency if frequency != "1" else None, replaces_claim_id=replaces,
    )  # fmt: skip


async def _hold(session: AsyncSession, draft: ClaimDraft, reasons: list[str], report: BuildReport) -> None:
    """Hold the claim with its reasons and announce it (a held step), so the encounters' status says why."""
    row = await store.claim_row(session, draft.claim_id)
    versions = ",".join(f"{key}@{version}" for key, version in sorted(row["day_versions"].items()))
    claim = await load_claim(session, row)
    claim.hold(reasons, f"held/{versions}")
    report.outgoing += await save(session, claim, row["reasons"])
    report.held[draft.claim_id] = reasons


async def _render_and_validate(
    session: AsyncSession,
    group: list[BuiltClaim],
    registered: Mapping[str, BillingProviderRegistered],
    now: datetime,
    report: BuildReport,
) -> None:
    tenant_id, payer_id = group[0].draft.tenant_id, group[0].draft.key.payer_id
    billing = registered[group[0].draft.key.billing_provider_npi]
    icn = await store.next_control_number(session, INTERCHANGE_SCOPE)
    batch_reference = f"OTRCM{icn:09d}"
    remaining = {result.draft.claim_id: result for result in group}

    def render(claims: list[Claim]) -> Rendered837P:
        return render_837p(
            claims,
            submitter_of(billing),
            receiver_of(billing),
            trading_partners_of(billing),
            ControlNumbers(icn, icn),
            batch_reference,
            now,
        )

    while remaining:  # rendering and pyx12 run in a thread: the loop keeps the consumer's heartbeats going
        claims = [result.claim for result in remaining.values() if result.claim is not None]
        rendered = await asyncio.to_thread(render, claims)
        validation = await asyncio.to_thread(validate_837p, claims, rendered)
        held_ids = validation.held_claim_ids(remaining)
        if not held_ids:
            break
        for claim_id in sorted(held_ids):
            issues = [
                f"{i.id}: {i.message} ({i.location})"
                for i in validation.issues
                if i.claim_id in (claim_id, None) and i.severity.value == "error"
            ]
            await _hold(session, remaining.pop(claim_id).draft, issues or ["validation: held by pyx12"], report)
    if not remaining:
        return
    await session.execute(
        store.interchanges.insert().values(
            interchange_control_number=icn,
            tenant_id=tenant_id,
            payer_id=payer_id,
            batch_reference=batch_reference,
            claim_ids=sorted(remaining),
            text=rendered.text,
            created_at=store.utc_now(),
            written_at=None,
        )
    )
    await record_envelope(session, tenant_id, rendered.text)  # parties and control numbers, for acknowledgments
    async for claim_id in in_turns(remaining):
        first, last = rendered.claim_positions[claim_id]
        text = render_segments(list(rendered.segments[first + 1 : last + 2]))
        row = await store.claim_row(session, claim_id)
        claim = await load_claim(session, row)
        claim.validate(icn)
        draft = remaining[claim_id].draft
        days = [day.model_dump(mode="json") for day in draft.days]
        await record_billed_days(session, tenant_id, claim_id, group_key_as_data(draft.key), days)
        report.outgoing += await save(
            session, claim, row["reasons"], interchange_control_number=icn, batch_reference=batch_reference,
            segment_text=text,
        )  # fmt: skip
        report.validated.append(claim_id)
    report.interchanges.append(icn)
