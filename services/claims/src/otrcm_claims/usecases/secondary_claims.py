"""Use case: secondary claims (coordination of benefits, docs/billing-rules.md#13-secondary-claims).

After a primary's 835 (CLP02 1, or 19 processed and forwarded) :func:`after_primary_835` looks for the
patient's coverage listed after the claim's payer and in force on the date of service; with one, the primary's
posting is recorded for the secondary claim, unless the 835 says the payer crossed the claim over itself (then
nothing is sent again). Each batch :func:`build_secondary_claims` builds the due ones from the primary's days
(same lines, same charges) under the secondary payer's set-up, with the primary's adjudication (2320/2330/2430)
and SBR01 = S, and renders, validates and stages them like any claim, one interchange per payer; a claim that
cannot be built or fails validation is held with its reasons, and rebuilt when reopened.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import coordination, store
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.claim_repository import load_claim, record_billing_provider, save
from otrcm_claims.domain.claim_aggregate import Claim as ClaimLife
from otrcm_claims.domain.claim_aggregate import ClaimFacts
from otrcm_claims.domain.claim_assembly import BuiltClaim, coverage_for
from otrcm_claims.domain.coordination import (
    PayerResponsibility,
    keyed_by_control_number,
    primary_adjudication,
    secondary_claim_id_for,
    secondary_coverage,
    unbalanced,
)
from otrcm_claims.domain.grouping import ClaimDraft, ClaimGroupKey
from otrcm_claims.domain.interchange_groups import by_interchange
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_claims.domain.parties import PersonName
from otrcm_claims.domain.remittance import ClaimPaymentStatus
from otrcm_claims.usecases.batch_build import BuildReport, _hold, _render_and_validate
from otrcm_claims.usecases.claim_builder import build_claim
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claims import PaymentPosting
from otrcm_shared.events.patients import PatientRecorded

PRIMARY_ADJUDICATION = frozenset({ClaimPaymentStatus.PROCESSED_AS_PRIMARY, ClaimPaymentStatus.PRIMARY_FORWARDED})


async def after_primary_835(
    session: AsyncSession, row: Any, status: ClaimPaymentStatus, posting: PaymentPosting
) -> str | None:
    """Record the secondary claim the primary's adjudication calls for; the note to report, or None."""
    if status not in PRIMARY_ADJUDICATION or await coordination.is_secondary_claim(
        session, row["tenant_id"], row["claim_id"]
    ):
        return None
    record = await store.patient_record(session, row["tenant_id"], row["patient_key"])
    if record is None or not row["lines"]:
        return None
    day = date.fromisoformat(row["lines"][0]["service_date"])
    coverage = secondary_coverage(PatientRecorded.model_validate(record), row["payer_id"], day)
    if coverage is None:
        return None
    secondary_id = secondary_claim_id_for(row["claim_id"], coverage.payer_id)
    state = await coordination.record_primary_adjudication(
        session, row["tenant_id"], row["claim_id"], coverage.payer_id, secondary_id, posting
    )
    if state == coordination.CROSSED_OVER:
        return f"835: claim {row['claim_id']} was crossed over to {posting.forwarded_to}; no secondary claim is sent"
    return f"835: secondary claim {secondary_id} to payer {coverage.payer_id} is due" if state else None


async def build_secondary_claims(
    session: AsyncSession, profiles: BillingProfiles, now: datetime, report: BuildReport
) -> None:
    """Build, render, validate and stage every due secondary claim (one interchange per payer and tenant)."""
    ready: list[BuiltClaim] = []
    registered_of: dict[str, dict[str, BillingProviderRegistered]] = {}
    rows = {}
    for due in await coordination.to_build(session):
        tenant_id = due["tenant_id"]
        if tenant_id not in registered_of:
            active = await store.active_billing_providers(session, tenant_id)
            registered_of[tenant_id] = {n: BillingProviderRegistered.model_validate(r) for n, r in active.items()}
        built = await _build_one(session, due, profiles, registered_of[tenant_id], now)
        if built is None:
            continue
        rows[built.draft.claim_id] = due
        if not await _record(session, built, report):
            continue
        if built.claim is None:
            await _hold(session, built.draft, list(built.problems), report)
            await coordination.set_state(session, tenant_id, due["primary_claim_id"], coordination.HELD)
        else:
            ready.append(built)
    for tenant_id, registered in registered_of.items():
        for group in by_interchange([b for b in ready if b.draft.tenant_id == tenant_id], registered):
            await _render_and_validate(session, group, registered, now, report)
    for built in ready:
        due = rows[built.draft.claim_id]
        state = coordination.BUILT if built.draft.claim_id in report.validated else coordination.HELD
        await coordination.set_state(session, due["tenant_id"], due["primary_claim_id"], state)


async def _build_one(
    session: AsyncSession,
    due: Any,
    profiles: BillingProfiles,
    registered: dict[str, BillingProviderRegistered],
    now: datetime,
) -> BuiltClaim | None:
    primary = await store.claim_row(session, due["primary_claim_id"])
    record = await store.patient_record(session, due["tenant_id"], primary["patient_key"]) if primary else None
    if primary is None or record is None:
        return None
    days = store.ready_days.c
    stored = await session.scalars(
        select(store.ready_days.c.ready).where(
            days.tenant_id == due["tenant_id"], days.day_key.in_(primary["day_keys"])
        )
    )
    ready_days = tuple(sorted((ClaimLinesReady.model_validate(r) for r in stored), key=lambda d: d.day_key))
    if not ready_days:
        return None
    first = ready_days[0]
    payer_id = due["secondary_payer_id"]
    key = ClaimGroupKey(first.patient_key, payer_id, first.billing_provider_npi, first.date_of_service)
    draft = ClaimDraft(due["tenant_id"], due["secondary_claim_id"], key, ready_days)
    patient = PatientRecorded.model_validate(record)
    built = build_claim(draft, patient, profiles, registered)
    problems = list(built.problems)
    secondary_set_up = profiles.payers.get(payer_id)
    if secondary_set_up is not None and not (
        secondary_set_up.secondary is not None and secondary_set_up.secondary.takes_secondary_after(primary["payer_id"])
    ):
        problems.append(f"payer-setup: payer {payer_id} takes no secondary claims after payer {primary['payer_id']}")
    primary_set_up, primary_coverage = (
        profiles.payers.get(primary["payer_id"]),
        coverage_for(patient, primary["payer_id"]),
    )
    if primary_set_up is None or primary_coverage is None:
        problems.append(f"coordination: the primary payer {primary['payer_id']} has no set-up or coverage")
    if problems or built.claim is None or primary_set_up is None or primary_coverage is None:
        return replace(built, claim=None, problems=tuple(problems))
    payer = primary_set_up.to_domain()
    other = primary_adjudication(
        PaymentPosting.model_validate(due["posting"]), name=payer.name, payer_id=payer.payer_id,
        filing_indicator=payer.claim_filing_indicator, coverage=primary_coverage, adjudicated_on=now.date(),
        subscriber=PersonName(patient.last_name.upper(), patient.first_name.upper()),
    )  # fmt: skip
    other, missing = keyed_by_control_number(other, {line["line_key"]: line["control_number"] for line in built.lines})
    problem = unbalanced(other, built.claim.total_charge)
    if missing:
        problem = f"coordination: the primary's 835 did not adjudicate lines {', '.join(missing)}"
    if problem is not None:
        return replace(built, claim=None, problems=(problem,))
    claim = replace(built.claim, responsibility=PayerResponsibility.SECONDARY, other_payer=other)
    return replace(built, claim=claim)


async def _record(session: AsyncSession, built: BuiltClaim, report: BuildReport) -> bool:
    """Insert the secondary claim as built, or rebuild a reopened one; False when it has already left."""
    draft = built.draft
    existing = await store.claim_row(session, draft.claim_id, for_update=True)
    values: dict[str, Any] = {
        "payer_id": draft.key.payer_id,
        "patient_key": draft.key.patient_key,
        "day_keys": list(draft.day_keys),
        "day_versions": {day.day_key: day.version for day in draft.days},
        "encounter_ids": sorted({line.encounter_id for day in draft.days for line in day.lines}),
        "lines": list(built.lines),
        "charge": str(sum((Decimal(line["charge"]) for line in built.lines), Decimal(0))),
        "interchange_control_number": None,
        "batch_reference": None,
        "segment_text": None,
    }
    await record_billing_provider(session, draft.tenant_id, draft.claim_id, draft.key.billing_provider_npi)
    if existing is None:
        facts = ClaimFacts(
            draft.tenant_id, draft.claim_id, draft.key.patient_key, draft.key.payer_id, draft.day_keys,
            tuple(values["encounter_ids"]), Decimal(values["charge"]),
            billing_provider_npi=draft.key.billing_provider_npi,
        )  # fmt: skip
        claim = ClaimLife(facts)
        claim.build([f"secondary claim after the primary's 835 ({draft.key.payer_id} pays second)"])
        now = store.utc_now()
        await session.execute(
            store.claims.insert().values(
                tenant_id=draft.tenant_id, claim_id=draft.claim_id, status=str(claim.status), reasons=[],
                created_at=now, updated_at=now, **values,
            )
        )  # fmt: skip
        report.outgoing += await save(session, claim, [])
        return True
    if ClaimState(existing["status"]) not in (ClaimState.BUILT, ClaimState.HELD):
        return False
    await store.set_claim(session, draft.tenant_id, draft.claim_id, **values)
    claim = await load_claim(session, existing)
    if claim.status is ClaimState.HELD:
        claim.build()
    report.outgoing += await save(session, claim, existing["reasons"])
    return True
