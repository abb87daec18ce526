"""The modifiers service on the real broker and PostgreSQL: cleared days in, ready lines out, a
redelivered day changes no accrual, and a claim's denial on the v2 stream corrects it in revision order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import select

from otrcm_modifiers.adapters.store import accruals
from otrcm_modifiers.domain.accrual_plain_data import accrual_from_plain_data
from otrcm_modifiers.domain.threshold_accrual import accrued
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.gate import DayCleared
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.topics import CLAIM_LINES_READY, CLAIM_STATUS, ENCOUNTERS_CLEARED, partition_key
from tests.support.days import units_day
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
    cleared = units.follow(
        DayCleared(day_key=units.payload.day_key, gate_revision=1, certifier_npi="1234567893", day=units.payload),
        stage="poc",
    )
    start = await end_offsets(bootstrap, CLAIM_LINES_READY.name)
    bodies = [cleared.model_dump_json()] * deliveries
    await publish(modifiers.settings, ENCOUNTERS_CLEARED.name, bodies, partition_key(tenant, patient))

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

    async def read(events: list[Envelope[ClaimStatusChanged]]) -> None:
        """Publish the steps and wait until the service has read every one of them."""
        key = partition_key(tenant, patient)
        await publish(modifiers.settings, CLAIM_STATUS.name, [e.model_dump_json() for e in events], key)
        seen = modifiers.tables.processed_events.c
        wanted = {str(e.event_id) for e in events}
        for _ in range(200):
            async with modifiers.db.transaction() as session:
                done = set(await session.scalars(select(seen.event_id).where(seen.event_id.in_(wanted))))
            if done == wanted:
                return
            await asyncio.sleep(0.2)
        raise AssertionError("the modifiers service did not read the claim steps")

    await read([step(6, "accepted"), step(5, "denied")])
    assert await _ot_accrued(modifiers, tenant, patient) == before > 0
    await read([step(7, "denied")])
    assert await _ot_accrued(modifiers, tenant, patient) == 0
