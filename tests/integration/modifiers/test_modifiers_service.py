"""The modifiers service on the real broker and PostgreSQL: the gate's verdicts in (otrcm.billing-days.judged.v2),
ready lines out, a redelivered day changes no accrual, a hold after a clearance bills nothing new, and a claim's
denial on the v2 stream corrects the accrual in revision order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from otrcm_modifiers.adapters.store import accruals, day_versions
from otrcm_modifiers.domain.accrual_plain_data import accrual_from_plain_data
from otrcm_modifiers.domain.threshold_accrual import accrued
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.topics import CLAIM_LINES_READY, CLAIM_STATUS, DAY_VERDICTS, partition_key
from tests.support.days import judged_day, units_day
from tests.support.kafka_tools import end_offsets, read_from
from tests.support.services import publish, running, settings_for

pytestmark = pytest.mark.integration


@pytest.fixture
async def modifiers(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[ServiceRuntime]:
    async with running("modifiers", settings_for(kafka_bootstrap, postgres_base_url, tmp_path)) as runtime:
        yield runtime


async def _run_day(
    modifiers: ServiceRuntime, lines: tuple[tuple[str, int], ...], deliveries: int = 1
) -> tuple[str, str, ClaimLinesReady]:
    """Publish one cleared day (``deliveries`` times) and return the one ClaimLinesReady it produced."""
    tenant, patient = f"tenant-{uuid4().hex[:8]}", f"pk-{uuid4().hex[:8]}"
    bootstrap = modifiers.settings.kafka_bootstrap
    units = units_day(f"{patient}-1", tenant_id=tenant, patient_key=patient, on=date(2025, 6, 2), lines=lines)
    cleared = judged_day(units, certifier_npi="1234567893")
    start = await end_offsets(bootstrap, CLAIM_LINES_READY.name)
    bodies = [cleared.model_dump_json()] * deliveries
    await publish(modifiers.settings, DAY_VERDICTS.name, bodies, partition_key(tenant, patient))

    def ours(records: list) -> list[ClaimLinesReady]:  # type: ignore[type-arg]
        events = [Envelope[ClaimLinesReady].model_validate_json(r.value) for r in records]
        return [e.payload for e in events if e.tenant_id == tenant]

    records = await read_from(bootstrap, start, until=lambda rs: len(ours(rs)) >= 1, settle_s=2.0)
    (ready,) = ours(records)
    return tenant, patient, ready


async def test_cleared_day_in_ready_lines_out_and_redelivery_accrues_once(modifiers: ServiceRuntime) -> None:
    # 97530 for 30 min and 97535 for 15 min: 45 minutes, 3 units (CMS Pub. 100-04 Ch. 5 §20.2); no NCCI pair.
    tenant, patient, ready = await _run_day(modifiers, (("97530", 30), ("97535", 15)), deliveries=2)
    assert ready.referring_provider_npi == "1234567893"
    assert sorted((line.code, line.units) for line in ready.lines) == [("97530", 2), ("97535", 1)]
    assert ready.held_lines == ()
    assert all("GO" in line.modifiers for line in ready.lines)
    assert all("KX" not in line.modifiers for line in ready.lines), "far below the 2025 OT threshold"
    assert all(line.expected_allowed and line.expected_allowed > 0 for line in ready.lines)
    async with modifiers.db.transaction() as session:
        state = await session.scalar(
            select(accruals.c.state).where(accruals.c.tenant_id == tenant, accruals.c.beneficiary_key == patient)
        )
    total = accrued(accrual_from_plain_data(state), 2025, ThresholdBucket.OT).total
    expected = sum((line.expected_allowed or Decimal(0) for line in ready.lines), Decimal(0))
    assert total == expected, "the redelivered day was not accrued twice"
    assert ready.threshold is not None
    assert ready.threshold.accrued == total
    assert ready.threshold.threshold == Decimal("2410")
    assert ready.threshold.estimate is True


async def test_an_ncci_pair_without_distinct_blocks_holds_the_column_two_line(modifiers: ServiceRuntime) -> None:
    """97140 (column 1) / 97530 (column 2), modifier indicator 1, no distinct-time-blocks attestation:
    97530 is held, not sent with 59/XU (NCCI Policy Manual Ch. XI; docs/billing-rules.md#8-ncci-and-mue)."""
    _, _, ready = await _run_day(modifiers, (("97140", 15), ("97530", 30)))
    assert [(line.code, line.modifiers) for line in ready.lines] == [("97140", ("GO",))]
    (held,) = ready.held_lines
    assert (held.code, held.reasons) == ("97530", ("NCCI_PAIR_NOT_DISTINCT",))


async def _ot_accrued(modifiers: ServiceRuntime, tenant: str, patient: str) -> Decimal:
    async with modifiers.db.transaction() as session:
        state = await session.scalar(
            select(accruals.c.state).where(accruals.c.tenant_id == tenant, accruals.c.beneficiary_key == patient)
        )
    return accrued(accrual_from_plain_data(state), 2025, ThresholdBucket.OT).total


async def test_a_claims_denial_on_the_v2_stream_takes_its_lines_out_unless_a_newer_step_came_first(
    modifiers: ServiceRuntime,
) -> None:
    """Claim steps arrive on otrcm.claims.status-changed.v2: revision 6 (accepted again after a reversal)
    before the late revision 5 (the denial it undid) leaves the accrual; revision 7, a new denial, empties it."""
    tenant, patient, ready = await _run_day(modifiers, (("97530", 30),))
    before = await _ot_accrued(modifiers, tenant, patient)

    def step(revision: int, status: str) -> Envelope[ClaimStatusChanged]:
        change = ClaimStatusChanged(
            claim_id=f"C-{patient}", revision=revision, status=ClaimStatus(status), source="835",
            patient_key=patient, payer_id=ready.payer_id, day_keys=(ready.day_key,),
        )  # fmt: skip
        natural_key = f"{patient}/{revision}"
        return Envelope.root(change, tenant_id=tenant, subject=change.claim_id, natural_key=natural_key, stage="x")

    key = partition_key(tenant, patient)
    await _read(modifiers, CLAIM_STATUS.name, key, [step(6, "accepted"), step(5, "denied")])
    assert await _ot_accrued(modifiers, tenant, patient) == before > 0
    await _read(modifiers, CLAIM_STATUS.name, key, [step(7, "denied")])
    assert await _ot_accrued(modifiers, tenant, patient) == 0


async def _read(modifiers: ServiceRuntime, topic: str, key: bytes, events: Sequence[Envelope[Any]]) -> None:
    """Publish the events and wait until the service has read every one of them."""
    await publish(modifiers.settings, topic, [e.model_dump_json() for e in events], key)
    seen = modifiers.tables.processed_events.c
    wanted = {str(e.event_id) for e in events}
    for _ in range(200):
        async with modifiers.db.transaction() as session:
            done = set(await session.scalars(select(seen.event_id).where(seen.event_id.in_(wanted))))
        if done == wanted:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the modifiers service did not read the events on {topic}")


async def test_a_hold_after_a_clearance_bills_nothing_new_and_only_a_newer_verdict_replaces_the_lines(
    modifiers: ServiceRuntime,
) -> None:
    """Verdicts on otrcm.billing-days.judged.v2 are applied only when newer (``supersedes``). A day cleared
    (verdict 1) and then held on new units (verdict 2) keeps the lines already published and its accrual, as
    when modifiers read only cleared days; a late copy of verdict 1 is not applied again; the release
    (verdict 3, the new units) publishes the day's next version and its amounts replace the first ones."""
    tenant, patient, first = await _run_day(modifiers, (("97530", 30),))
    bootstrap, key = modifiers.settings.kafka_bootstrap, partition_key(tenant, patient)
    accrued_first = await _ot_accrued(modifiers, tenant, patient)
    units_1 = units_day(f"{patient}-1", tenant_id=tenant, patient_key=patient, on=date(2025, 6, 2))
    more = units_day(f"{patient}-1", tenant_id=tenant, patient_key=patient, on=date(2025, 6, 2), lines=(("97530", 45),))
    units_2 = more.model_copy(update={"payload": more.payload.model_copy(update={"revision": 2})})
    assert units_2.payload.day_key == first.day_key
    start = await end_offsets(bootstrap, CLAIM_LINES_READY.name)

    late_copy = judged_day(units_1, 1).model_copy(update={"event_id": uuid4()})  # not an inbox duplicate
    await _read(modifiers, DAY_VERDICTS.name, key, [judged_day(units_2, 2, held=("AUTH_EXHAUSTED",)), late_copy])
    assert await _ot_accrued(modifiers, tenant, patient) == accrued_first > 0, "the hold changed no accrual"
    async with modifiers.db.transaction() as session:
        row = (await session.execute(select(day_versions).where(day_versions.c.tenant_id == tenant))).one()
    assert (row.gate_revision, row.units_revision, row.version) == (2, 2, 1), "the hold is the applied verdict"

    await _read(modifiers, DAY_VERDICTS.name, key, [judged_day(units_2, 3, released=True)])

    def ours(records: list) -> list[ClaimLinesReady]:  # type: ignore[type-arg]
        events = [Envelope[ClaimLinesReady].model_validate_json(r.value) for r in records]
        return [e.payload for e in events if e.tenant_id == tenant]

    records = await read_from(bootstrap, start, until=lambda rs: len(ours(rs)) >= 1, settle_s=2.0)
    (released,) = ours(records)
    assert (released.version, released.gate_revision, released.units_revision) == (2, 3, 2)
    assert [(line.code, line.units) for line in released.lines] == [("97530", 3)]
    accrued_now = await _ot_accrued(modifiers, tenant, patient)
    assert accrued_now == sum((line.expected_allowed or Decimal(0) for line in released.lines), Decimal(0))
    assert accrued_now > accrued_first, "three units now, two before"
