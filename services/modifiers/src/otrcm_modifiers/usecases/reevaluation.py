"""Use case: KX re-evaluation of later days (issue 19 item 3). The threshold decision of a day depends on every
earlier day of the beneficiary's year (CMS Pub. 100-04 Ch. 5 §10.3; docs/billing-rules.md#4-threshold-and-kx), so
when a day's amounts change (a new cleared verdict on new units: a corrected or voided encounter, a late visit) or
leave the accrual (a denial), every later day of the year is evaluated again, in date order, on the accrual as it
now stands. A later day whose lines change (KX added or taken off, a line now held or released) is published as
its next ready-lines version; claims then sends a replacement for a day already billed (CLM05-3 7)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_modifiers.adapters.reference import day_reference
from otrcm_modifiers.adapters.store import day_versions, judged_days
from otrcm_modifiers.domain.evaluate_day import evaluate_billing_day
from otrcm_modifiers.usecases.accruals import default_locality, load_accrual, locality_of, save_accrual
from otrcm_modifiers.usecases.translate import billing_day_of, claim_lines_ready
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicies
from otrcm_shared.runtime.json_column import json_of
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.prepared import Prepared, upsert
from otrcm_shared.topics import CLAIM_LINES_READY, TopicSpec, partition_key

PUBLISHES: tuple[TopicSpec, ...] = (CLAIM_LINES_READY,)  # the topics this module stages outbox rows for

STAGE = "modifiers"


def billed_of(ready: ClaimLinesReady) -> dict[str, Any]:
    """What a version bills, to tell whether a re-evaluation changed it: each ready line's modifiers and units,
    and each held line as held."""
    billed: dict[str, Any] = {line.line_key: [*line.modifiers, line.units] for line in ready.lines}
    billed.update({line.line_key: "held" for line in ready.held_lines})
    return billed


# Built once (docs/adr/014): every cleared day runs it.
_REMEMBER_DAY = upsert(judged_days, ("tenant_id", "day_key"), ("patient_key", "date_of_service", "judged", "billed"))


_LATER_DAYS = Prepared(  # every cleared day asks, and usually finds none
    select(judged_days)
    .where(
        judged_days.c.tenant_id == bindparam("tenant_id"),
        judged_days.c.patient_key == bindparam("patient_key"),
        judged_days.c.date_of_service > bindparam("after"),
        judged_days.c.date_of_service <= bindparam("year_end"),
    )
    .order_by(judged_days.c.date_of_service, judged_days.c.day_key)
)


async def remember_day(session: AsyncSession, tenant_id: str, judged: DayJudged, ready: ClaimLinesReady) -> None:
    values = {
        "tenant_id": tenant_id,
        "day_key": judged.day_key,
        "patient_key": judged.patient_key,
        "date_of_service": judged.day.date_of_service,
        "judged": json_of(judged),
        "billed": billed_of(ready),
    }
    await _REMEMBER_DAY.execute(session, values)


async def dates_of(session: AsyncSession, tenant_id: str, day_keys: Iterable[str]) -> list[date]:
    c = judged_days.c
    rows = await session.scalars(select(c.date_of_service).where(c.tenant_id == tenant_id, c.day_key.in_(day_keys)))
    return list(rows)


async def reevaluate_later_days(
    session: AsyncSession, cause: Envelope[Any], patient_key: str, after: date
) -> list[Outgoing]:
    """Every stored day of the beneficiary later in ``after``'s year, evaluated again in date order; a day whose
    lines change is published as its next version (its cause: ``cause``)."""
    of_year = {"tenant_id": cause.tenant_id, "patient_key": patient_key, "after": after}
    rows = (await _LATER_DAYS.execute(session, {**of_year, "year_end": date(after.year, 12, 31)})).mappings()
    outgoing: list[Outgoing] = []
    for row in rows:
        outgoing += await _again(session, cause, row)
    return outgoing


async def _again(session: AsyncSession, cause: Envelope[Any], row: Any) -> list[Outgoing]:
    tenant_id, judged = cause.tenant_id, DayJudged.model_validate(row["judged"])
    day = judged.day
    policy = PayerModifierPolicies.builtin(day.date_of_service).get(day.payer_id)
    reference = day_reference(day.date_of_service, day.payer_id)
    locality = locality_of(day.encounters[0].location_id, day.date_of_service, default_locality())
    accrual = await load_accrual(session, tenant_id, day.patient_key)
    outcome = evaluate_billing_day(billing_day_of(judged, policy, locality), accrual, reference)
    await save_accrual(session, tenant_id, outcome.accrual)
    versions = day_versions.c
    current = await session.scalar(
        select(versions.version).where(versions.tenant_id == tenant_id, versions.day_key == judged.day_key)
    )
    ready = claim_lines_ready(judged, outcome, (current or 0) + 1, reference.limits)
    if billed_of(ready) == row["billed"]:
        return []  # the later day bills what it billed
    await session.execute(
        update(day_versions)
        .where(versions.tenant_id == tenant_id, versions.day_key == judged.day_key)
        .values(version=ready.version, line_keys=[line.line_key for line in ready.lines])
    )
    await remember_day(session, tenant_id, judged, ready)
    follow = cause.follow(ready, stage=f"{STAGE}.reevaluated/{judged.day_key}", subject=judged.day_key)
    return [Outgoing(CLAIM_LINES_READY, partition_key(tenant_id, day.patient_key), follow)]
