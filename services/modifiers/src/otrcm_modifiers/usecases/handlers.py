"""Use cases: the gate judges a day (cleared: evaluate its modifiers, accrue, publish its ready lines; held:
nothing to bill); a claim's status changes (a denial takes its lines out of the accrual); prior therapy
spend is recorded (seed the accrual)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_modifiers.adapters.reference import day_reference
from otrcm_modifiers.adapters.store import claim_revisions, day_versions
from otrcm_modifiers.domain.errors import ModifiersError
from otrcm_modifiers.domain.evaluate_day import evaluate_billing_day
from otrcm_modifiers.domain.kx_threshold import YearLimits
from otrcm_modifiers.domain.threshold_accrual import (
    SeededAmount,
    SeedOrigin,
    remove_lines,
    seed,
)
from otrcm_modifiers.usecases.accruals import default_locality, load_accrual, locality_of, save_accrual
from otrcm_modifiers.usecases.reevaluation import dates_of, reevaluate_later_days, remember_day
from otrcm_modifiers.usecases.reference_alerts import provisional_alerts
from otrcm_modifiers.usecases.translate import billing_day_of, claim_lines_ready
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.events.revision import supersedes
from otrcm_shared.events.therapy_spend import TherapySpendRecorded
from otrcm_shared.refdata import NoVersionInEffect
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicies, UnknownPayerPolicy
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from otrcm_shared.runtime.consumer import RecordRejected
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.prepared import lookup, upsert
from otrcm_shared.topics import CLAIM_LINES_READY, TopicSpec, partition_key

PUBLISHES: tuple[TopicSpec, ...] = (CLAIM_LINES_READY,)  # the topics this module stages outbox rows for

STAGE = "modifiers"


# Built once (docs/adr/014): the statements every judged day runs.
_DAY_VERSION = lookup(day_versions.c.gate_revision, day_versions.c.version, where=("tenant_id", "day_key"))
_DAY_KEYS = ("tenant_id", "day_key")
# A cleared day's row is written once its lines are known (version and line keys together).
_SAVE_CLEARED_DAY = upsert(day_versions, _DAY_KEYS, ("units_revision", "gate_revision", "version", "line_keys"))
_SAVE_HELD_DAY = upsert(
    day_versions, _DAY_KEYS, ("units_revision", "gate_revision"), insert_only=("version", "line_keys")
)


async def _next_version(session: AsyncSession, tenant_id: str, judged: DayJudged) -> int | None:
    """The day's next ready-lines version for a cleared verdict, or None when there is nothing to evaluate.

    A verdict is applied only when it is newer than the day's verdict applied before (``supersedes`` on the
    gate's revision, docs/adr/010). A held verdict is recorded as applied and nothing else happens: the lines
    of an earlier cleared verdict stand and the accrual keeps them, as when modifiers read only cleared days
    (a release is a newer cleared verdict, and a late older verdict can no longer undo it). A cleared verdict
    is recorded by :func:`_save_cleared_day` with the lines it made, in the same transaction.
    """
    of_day = {"tenant_id": tenant_id, "day_key": judged.day_key}
    row = (await _DAY_VERSION.execute(session, of_day)).first()
    if not supersedes(judged.revision, row.gate_revision if row is not None else None):
        return None  # a redelivery, or an older verdict arriving late
    if judged.verdict is Verdict.CLEARED:
        return (row.version if row is not None else 0) + 1
    values = {**of_day, "units_revision": judged.units_revision, "gate_revision": judged.revision}
    await _SAVE_HELD_DAY.execute(session, {**values, "version": 0, "line_keys": []})  # a held day keeps its version
    return None


async def _save_cleared_day(session: AsyncSession, tenant_id: str, judged: DayJudged, ready: ClaimLinesReady) -> None:
    values = {"tenant_id": tenant_id, "day_key": judged.day_key, "units_revision": judged.units_revision}
    line_keys = [line.line_key for line in ready.lines]
    await _SAVE_CLEARED_DAY.execute(
        session, {**values, "gate_revision": judged.revision, "version": ready.version, "line_keys": line_keys}
    )


async def on_day_judged(session: AsyncSession, event: Envelope[DayJudged]) -> Sequence[Outgoing]:
    """The gate's verdict on a day: a cleared day is evaluated, accrued and published as ready lines."""
    cleared = event.payload
    day = cleared.day
    version = await _next_version(session, event.tenant_id, cleared)
    if version is None:
        return []
    try:
        policy = PayerModifierPolicies.builtin(day.date_of_service).get(day.payer_id)
        reference = day_reference(day.date_of_service, day.payer_id)
    except (UnknownPayerPolicy, NoVersionInEffect) as error:
        raise RecordRejected("REFERENCE_DATA_MISSING", str(error)) from None
    locality = locality_of(day.encounters[0].location_id, day.date_of_service, default_locality())
    accrual = await load_accrual(session, event.tenant_id, day.patient_key)
    try:
        outcome = evaluate_billing_day(billing_day_of(cleared, policy, locality), accrual, reference)
    except ModifiersError as error:
        raise RecordRejected("MODIFIERS_INPUT_INVALID", str(error), [error.rule]) from None
    await save_accrual(session, event.tenant_id, outcome.accrual)
    thresholds = _thresholds_used(reference.limits) if policy.uses_threshold else ()
    ready = claim_lines_ready(cleared, outcome, version, reference.limits, thresholds)
    await _save_cleared_day(session, event.tenant_id, cleared, ready)
    key = partition_key(event.tenant_id, day.patient_key)
    alerts = await provisional_alerts(session, event.tenant_id, ready.reference_data, event.occurred_at)
    follow = event.follow(ready, stage=STAGE, subject=day.day_key, occurred_at=event.occurred_at)
    await remember_day(session, event.tenant_id, cleared, ready)
    later = await reevaluate_later_days(session, event, day.patient_key, day.date_of_service)
    return [Outgoing(CLAIM_LINES_READY, key, follow), *alerts, *later]


def _thresholds_used(limits: Mapping[ThresholdBucket, YearLimits]) -> tuple[DatasetUsed, ...]:
    amounts = [a for year in limits.values() for a in (year.threshold, year.targeted_review) if a is not None]
    return tuple(a.used for a in amounts)


# A claim's lines leave the accrual when the 835 denies them: all of a denied claim (``line_keys`` empty)
# or the lines it names; the denied lines of a partial payment.
DENIAL_STATUSES = frozenset({ClaimStatus.DENIED, ClaimStatus.PARTIALLY_PAID})


def _billed_to_a_later_payer(change: ClaimStatusChanged) -> bool:
    """A secondary claim (coordination of benefits) bills its days to a payer other than theirs: its denial says
    nothing about what the day's own payer paid, so the day's lines keep counting (a day key ends with
    ``/<payer>/<billing NPI>``, docs/adr/004)."""
    payers = {key.split("/")[-2] for key in change.day_keys if key.count("/") >= 4}
    return bool(payers) and change.payer_id not in payers


async def on_claim_status_changed(session: AsyncSession, event: Envelope[ClaimStatusChanged]) -> Sequence[Outgoing]:
    """A denied claim's lines no longer count toward the beneficiary's threshold; a step is applied once,
    and only when it is newer than the claim's step applied before (``supersedes``)."""
    change, tenant_id = event.payload, event.tenant_id
    revisions = claim_revisions.c
    applied = await session.scalar(
        select(revisions.revision).where(revisions.tenant_id == tenant_id, revisions.claim_id == change.claim_id)
    )
    if not supersedes(change.revision, applied):
        return []  # a redelivery, or an older step arriving late
    statement = upsert_capable_insert(session, claim_revisions).values(
        tenant_id=tenant_id, claim_id=change.claim_id, revision=change.revision
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "claim_id"], set_={"revision": statement.excluded.revision}
        )
    )
    if change.status not in DENIAL_STATUSES or _billed_to_a_later_payer(change):
        return []
    line_keys = list(change.line_keys)
    if not line_keys and change.status is ClaimStatus.PARTIALLY_PAID:
        return []  # paid in part with no line denied: every line still counts
    if not line_keys:  # the whole claim: every line its days accrued
        rows = await session.scalars(
            select(day_versions.c.line_keys).where(
                day_versions.c.tenant_id == tenant_id, day_versions.c.day_key.in_(change.day_keys)
            )
        )
        line_keys = [key for keys in rows for key in keys]
    accrual = await load_accrual(session, tenant_id, change.patient_key)
    await save_accrual(session, tenant_id, remove_lines(accrual, line_keys))
    dates = await dates_of(session, tenant_id, change.day_keys)  # the later days' KX decisions change too
    return await reevaluate_later_days(session, event, change.patient_key, min(dates)) if dates else []


async def on_therapy_spend(session: AsyncSession, event: Envelope[TherapySpendRecorded]) -> Sequence[Outgoing]:
    """Prior spend by other providers: the beneficiary's accrual for that year and bucket starts from it.

    A newer record for the same year and bucket replaces the older (seed id ``therapy-spend/<year>/<bucket>``).
    Days already evaluated are not re-evaluated here; the next day of the year counts the seed.
    """
    spend = event.payload
    origin = SeedOrigin.ELIGIBILITY_271 if spend.source == "eligibility_271" else SeedOrigin.MANUAL_ENTRY
    seeded = SeededAmount(
        seed_id=f"therapy-spend/{spend.record_id}",
        year=spend.year,
        bucket=ThresholdBucket(spend.bucket),
        amount=spend.amount,
        origin=origin,
        note=f"prior spend by other providers as of {spend.as_of.isoformat()} ({spend.source})",
    )
    accrual = await load_accrual(session, event.tenant_id, spend.patient_key)
    await save_accrual(session, event.tenant_id, seed(accrual, seeded))
    return []
