"""The batch's part in replacement and void claims (docs/billing-rules.md#14-replacement-and-void-claims): a
planned correction is recorded as built, then held (waiting for the payer's number or an approval, or for what
holds any claim) or put in the payer's next interchange; voids a biller asked for are rebuilt and sent the same
way. The batch's own steps (record, hold, group, render) are handed in, so this module keeps only the order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.domain.claim_assembly import BuiltClaim
from otrcm_claims.domain.grouping import ClaimDraft
from otrcm_claims.usecases.corrections import PlannedCorrection, plan_void, voids_due
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.patients import PatientRecorded

if TYPE_CHECKING:
    from otrcm_claims.usecases.batch_build import BuildReport

Registered = Mapping[str, BillingProviderRegistered]


@dataclass(frozen=True, slots=True)
class BatchSteps:
    record_built: Callable[[AsyncSession, BuiltClaim, BuildReport, tuple[str, str]], Awaitable[bool]]
    hold: Callable[[AsyncSession, ClaimDraft, list[str], BuildReport], Awaitable[None]]
    by_interchange: Callable[[Sequence[BuiltClaim], Registered], list[list[BuiltClaim]]]
    render: Callable[[AsyncSession, list[BuiltClaim], Registered, datetime, BuildReport], Awaitable[None]]
    rebuild: Callable[[PatientRecorded, BillingProfiles, Registered, ClaimDraft], BuiltClaim]


async def take_correction(
    session: AsyncSession,
    planned: PlannedCorrection | str | None,
    draft: ClaimDraft,
    ready_claims: list[BuiltClaim],
    report: BuildReport,
    steps: BatchSteps,
) -> None:
    """Record the planned correction (built, then held or into the interchange); a day that bills what the sent
    claim billed stays with it (a note in ``pending``)."""
    if isinstance(planned, PlannedCorrection):
        corrects = (planned.decision.frequency.value, planned.corrects)
        if await steps.record_built(session, planned.result, report, corrects):
            await _release_or_hold(session, planned, ready_claims, report, steps)
        return
    if planned is not None:
        report.pending.append({"tenant_id": draft.tenant_id, "day_key": ",".join(draft.day_keys), "reason": planned})
    await session.execute(
        update(store.ready_days)
        .where(store.ready_days.c.tenant_id == draft.tenant_id, store.ready_days.c.day_key.in_(draft.day_keys))
        .values(claimed=True)
    )  # nothing to send: the day stays with the claim it has


async def _release_or_hold(
    session: AsyncSession,
    planned: PlannedCorrection,
    ready_claims: list[BuiltClaim],
    report: BuildReport,
    steps: BatchSteps,
) -> None:
    result = planned.result
    if result.claim is None:
        await steps.hold(session, result.draft, list(result.problems), report)
    elif not planned.decision.may_send:
        await steps.hold(session, result.draft, list(planned.decision.held_reasons), report)
    else:
        ready_claims.append(result)


async def _registered(session: AsyncSession, tenant_id: str) -> dict[str, BillingProviderRegistered]:
    return {
        npi: BillingProviderRegistered.model_validate(registration)
        for npi, registration in (await store.active_billing_providers(session, tenant_id)).items()
    }


async def build_voids(
    session: AsyncSession, profiles: BillingProfiles, now: datetime, report: BuildReport, steps: BatchSteps
) -> None:
    """Voids a biller asked for, each rebuilt from what its claim billed, then held or sent like a replacement."""
    waiting: dict[str, tuple[Registered, list[BuiltClaim]]] = {}
    for row in await voids_due(session):
        tenant_id: str = row["tenant_id"]
        record: Any = await store.patient_record(session, tenant_id, row["patient_key"])
        if record is None:
            continue
        registered, ready = waiting.get(tenant_id) or (await _registered(session, tenant_id), [])
        waiting[tenant_id] = (registered, ready)
        rebuild = partial(steps.rebuild, PatientRecorded.model_validate(record), profiles, registered)
        planned = await plan_void(session, row, rebuild)
        if planned is not None:
            await _release_or_hold(session, planned, ready, report, steps)
    for registered, ready in waiting.values():
        for group in steps.by_interchange(ready, registered):
            await steps.render(session, group, registered, now, report)
