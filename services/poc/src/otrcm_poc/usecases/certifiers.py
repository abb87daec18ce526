"""Use case: a cleared day that left without its plan's certifier gets it once the plan is certified.

Medicare bills the initial evaluation before the plan of care it produces is certified (the evaluation is
exempt from the plan: CMS Pub. 100-02 Ch. 15 §220.1.3), yet its claim names the certifying physician or
NPP as the referring provider (2310A; docs/billing-rules.md section 11). The day is cleared
with no certifier and its claim waits. When the plan covering the day is certified, the day is judged
again; a verdict that is still cleared and now names the certifier is published as the day's next
revision, and the claims service rebuilds the waiting claim from it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_poc.adapters.records import load_patient
from otrcm_poc.adapters.store import billing_days, days_awaiting_certifier
from otrcm_poc.usecases.gating import Verdict, certifier_of, judge, requirements_for
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.day_verdict import Verdict as VerdictKind
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.runtime.db import upsert_insert
from otrcm_shared.runtime.prepared import Prepared

SaveVerdict = Callable[[UnitsCalculated, Verdict], Awaitable[DayJudged]]


def _await_certifier(dialect: str) -> Any:
    columns = ("tenant_id", "day_key", "patient_key")
    insert = upsert_insert(dialect, days_awaiting_certifier).values({name: bindparam(name) for name in columns})
    return insert.on_conflict_do_nothing(index_elements=["tenant_id", "day_key"])


# Built once (docs/adr/014): a Medicare day runs one of them.
_AWAIT_CERTIFIER = Prepared(_await_certifier)
_FORGET_DAY = Prepared(
    delete(days_awaiting_certifier).where(
        days_awaiting_certifier.c.tenant_id == bindparam("tenant_id"),
        days_awaiting_certifier.c.day_key == bindparam("day_key"),
    )
)


async def note_certifier(session: AsyncSession, tenant_id: str, judged: DayJudged) -> None:
    """Remember a day that waits for its certifier, and forget one that has it (or is held now). A payer that
    wants no certified plan never has a day waiting: no statement for its days (the gate's hot path)."""
    if not requirements_for(judged.day).requires_certified_plan:
        return
    of_day = {"tenant_id": tenant_id, "day_key": judged.day_key}
    if judged.verdict is VerdictKind.CLEARED and judged.certifier_npi is None:
        await _AWAIT_CERTIFIER.execute(session, {**of_day, "patient_key": judged.patient_key})
        return
    await _FORGET_DAY.execute(session, of_day)


async def days_now_certified(
    session: AsyncSession, tenant_id: str, patient_key: str, save: SaveVerdict, today: date
) -> list[DayJudged]:
    """Judge the patient's days that wait for a certifier again; save and return each one that is cleared and
    names its certifier now. ``today`` is the business date the gate judges on."""
    waiting = days_awaiting_certifier.c
    rows = await session.scalars(
        select(billing_days.c.day)
        .join(
            days_awaiting_certifier,
            (billing_days.c.tenant_id == waiting.tenant_id) & (billing_days.c.day_key == waiting.day_key),
        )
        .where(waiting.tenant_id == tenant_id, waiting.patient_key == patient_key)
        .order_by(waiting.day_key)
    )
    days = [UnitsCalculated.model_validate(row) for row in rows]
    if not days:
        return []
    records = await load_patient(session, tenant_id, patient_key)
    completed: list[DayJudged] = []
    for day in days:
        verdict = judge(day, records, today)
        if verdict.cleared and certifier_of(verdict.plan) is not None:
            judged = await save(day, verdict)
            await note_certifier(session, tenant_id, judged)
            completed.append(judged)
    return completed
