"""Subscribers' use cases: a day's units arrive; a plan step or an authorization arrives (and releases).

Every verdict is judged on the business date ``today()`` that app.py binds (``OTRCM_BUSINESS_DATE``), never
the wall clock: replaying the same events with the same business date gives the same verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_poc.adapters.records import load_plan, save_authorization, save_plan
from otrcm_poc.domain import PocDomainError, apply_plan_event, start_plan
from otrcm_poc.domain.errors import PocRule
from otrcm_poc.domain.iep import IepPlan
from otrcm_poc.usecases.certifiers import days_now_certified, note_certifier
from otrcm_poc.usecases.gating import (
    Verdict,
    held_days,
    judge,
    record_treatment_day,
    save_verdict,
    stored_day,
)
from otrcm_poc.usecases.translate import MissingField, authorization_of, plan_event_of, step_problems, written_order_of
from otrcm_shared.events import Envelope, EventPayload
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.plans import AuthorizationRecorded, PlanEventKind, PlanOfCareRecorded
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.refdata import NoVersionInEffect, UnknownPayer
from otrcm_shared.runtime.consumer import RecordRejected
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import DAY_VERDICTS, TopicSpec, partition_key

# the topics this module stages outbox rows for
PUBLISHES: tuple[TopicSpec, ...] = (DAY_VERDICTS,)

STAGE = "poc"


def _outgoing(cause: Envelope[Any], judged: DayJudged, stage: str, subject: str) -> list[Outgoing]:
    """The verdict as ``DayJudged`` on ``otrcm.billing-days.judged.v2``, keyed by the patient (docs/adr/010);
    its event id derives from the cause and the ``<stage>.judged`` stage it has always had."""
    key = partition_key(cause.tenant_id, judged.patient_key)
    return [Outgoing(DAY_VERDICTS, key, cause.follow(judged, stage=f"{stage}.judged", subject=subject))]


async def on_units_calculated(
    session: AsyncSession, event: Envelope[UnitsCalculated], *, today: Callable[[], date]
) -> Sequence[Outgoing]:
    day = event.payload
    stored = await stored_day(session, event.tenant_id, day.day_key)
    if stored is not None and stored.units_revision >= day.revision:
        return []  # an older revision arriving late: the newer one was judged already
    try:
        records = await record_treatment_day(session, event.tenant_id, day)
        verdict = judge(day, records, today())
    except (UnknownPayer, NoVersionInEffect) as error:
        raise RecordRejected("REFERENCE_DATA_MISSING", str(error)) from None
    judged = await save_verdict(session, event.tenant_id, day, verdict, stored)
    await note_certifier(session, event.tenant_id, judged)
    return _outgoing(event, judged, STAGE, day.day_key)


async def release_what_is_now_billable(
    session: AsyncSession, cause: Envelope[EventPayload], patient_key: str, today: date
) -> list[Outgoing]:
    """Re-judge the patient's held days; publish each one that clears now (once: it is no longer held)."""
    released = []
    for day in await held_days(session, cause.tenant_id, patient_key):
        records = await record_treatment_day(session, cause.tenant_id, day)  # the plan may be new
        verdict = judge(day, records, today)
        if verdict.cleared:
            stored = await stored_day(session, cause.tenant_id, day.day_key)
            judged = await save_verdict(session, cause.tenant_id, day, verdict, stored, released=True)
            await note_certifier(session, cause.tenant_id, judged)
            released += _outgoing(cause, judged, f"{STAGE}.release/{day.day_key}", day.day_key)
    return released


async def certify_what_waited(
    session: AsyncSession, cause: Envelope[EventPayload], patient_key: str, today: date
) -> list[Outgoing]:
    """The patient's cleared days that left without a certifier, judged again now that a plan step arrived:
    each that names its certifier now is published as the day's next revision (usecases/certifiers.py)."""

    async def save(day: UnitsCalculated, verdict: Verdict) -> DayJudged:
        return await save_verdict(
            session, cause.tenant_id, day, verdict, await stored_day(session, cause.tenant_id, day.day_key)
        )

    completed = await days_now_certified(session, cause.tenant_id, patient_key, save, today)
    return [
        row
        for judged in completed
        for row in _outgoing(cause, judged, f"{STAGE}.certified/{judged.day_key}", judged.day_key)
    ]


async def on_plan_recorded(
    session: AsyncSession, event: Envelope[PlanOfCareRecorded], *, today: Callable[[], date]
) -> Sequence[Outgoing]:
    step = event.payload
    try:
        if step.kind is PlanEventKind.CREATED and step.is_iep:
            if step.iep_start is None or step.iep_end is None:
                raise MissingField("an IEP needs iep_start and iep_end", PocRule.IEP_DATES_REQUIRED)
            await save_plan(
                session, event.tenant_id, IepPlan(step.plan_id, step.patient_key, step.iep_start, step.iep_end)
            )
        else:
            current = await load_plan(session, event.tenant_id, step.plan_id)
            problems = step_problems(step, current)
            if problems:
                why = "; ".join(problem.message for problem in problems)
                raise RecordRejected("PLAN_EVENT_INVALID", why, [problem.rule for problem in problems])
            if isinstance(current, IepPlan):
                raise MissingField("IEP steps other than its creation are not tracked", PocRule.IEP_NO_LATER_STEPS)
            plan = start_plan(plan_event_of(step)) if current is None and step.kind is PlanEventKind.CREATED else None  # type: ignore[arg-type]
            if plan is None:
                if current is None:
                    raise RecordRejected("PLAN_UNKNOWN", f"a '{step.kind}' step for a plan this service has not seen")
                plan = apply_plan_event(current, plan_event_of(step))
            order = written_order_of(step)
            if order is not None:
                plan = apply_plan_event(plan, order)
            await save_plan(session, event.tenant_id, plan)
    except (MissingField, PocDomainError) as error:
        raise RecordRejected("PLAN_EVENT_INVALID", str(error), [error.rule]) from None
    released = await release_what_is_now_billable(session, event, step.patient_key, today())  # type: ignore[arg-type]
    return released + await certify_what_waited(session, event, step.patient_key, today())  # type: ignore[arg-type]


async def on_authorization_recorded(
    session: AsyncSession, event: Envelope[AuthorizationRecorded], *, today: Callable[[], date]
) -> Sequence[Outgoing]:
    try:
        await save_authorization(session, event.tenant_id, authorization_of(event.payload))
    except PocDomainError as error:
        raise RecordRejected("AUTHORIZATION_INVALID", str(error), [error.rule]) from None
    return await release_what_is_now_billable(session, event, event.payload.patient_key, today())  # type: ignore[arg-type]
