"""The status service in-process on the real broker and PostgreSQL: day and claim events published out of
order on their topics, read back through intake's API with an API key (docs/adr/011)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from otrcm_intake.adapters.keys import create_key
from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.adapters.store import encounters
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.entrypoints.app import build_runtime as build_intake
from otrcm_intake.settings import IntakeSettings
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.encounter_status import EncounterStatusChanged
from otrcm_shared.events.gate import HoldReason
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import CLAIM_LINES_READY, CLAIM_STATUS, DAY_VERDICTS, ENCOUNTER_STATUS, partition_key
from otrcm_status.entrypoints.api import build_read_api
from otrcm_status.entrypoints.app import build_app, build_runtime
from tests.support.claims_samples import claim_lines_ready
from tests.support.days import units_day
from tests.support.kafka_tools import end_offsets, read_from
from tests.support.services import publish

pytestmark = pytest.mark.integration
DOS = date(2026, 3, 2)


@dataclass
class Door:
    client: httpx.AsyncClient
    headers: dict[str, str]
    tenant: str
    settings: IntakeSettings

    async def status(self, encounter_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/v1/encounters/{encounter_id}", headers=self.headers)
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    async def until(self, encounter_id: str, status: str, timeout_s: float = 30.0) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for _ in range(int(timeout_s / 0.2)):
            seen = await self.status(encounter_id)
            if seen["status"] == status:
                return seen
            await asyncio.sleep(0.2)
        raise AssertionError(f"{encounter_id} is {seen.get('status')}, not {status}: {seen}")


@pytest.fixture
async def door(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[Door]:
    """Intake's API (the one front door) and the status service with its consumer, both in-process."""
    settings = IntakeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=tmp_path)
    status = build_runtime(settings, setup_tracing("otrcm-status-test"))
    status_app = status.app("status")
    intake = build_intake(settings, setup_tracing("otrcm-intake-test"))
    reader_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_read_api(status.db)),
                                      base_url="http://status.test")  # fmt: skip
    api = create_api(intake, status=StatusReader("http://status.test", reader_client))
    tenant = f"tenant-{uuid4().hex[:8]}"
    await status_app.start()
    try:
        async with api.router.lifespan_context(api):
            async with intake.db.transaction() as session:
                headers = {"X-API-Key": await create_key(session, tenant)}
            transport = httpx.ASGITransport(app=api)
            async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as client:
                yield Door(client, headers, tenant, settings)
    finally:
        await status_app.stop()


async def _accepted(door: Door, *encounter_ids: str) -> None:
    """Encounters the door accepted (as its POST would have stored them), so GET knows them."""
    db = Database(door.settings.database_url_for("intake"), schema=door.settings.schema_for("intake"))
    try:
        async with db.transaction() as session:
            now = datetime(2026, 3, 2, 9, tzinfo=UTC)
            await session.execute(encounters.insert(), [
                {"tenant_id": door.tenant, "encounter_id": eid, "content_hash": "0" * 64, "event_id": str(uuid4()),
                 "patient_key": "pk", "status": "received", "status_detail": {}, "received_at": now, "updated_at": now}
                for eid in encounter_ids
            ])  # fmt: skip
    finally:
        await db.dispose()


def _judged(units: Envelope[UnitsCalculated], revision: int, verdict: Verdict) -> Envelope[DayJudged]:
    day = units.payload
    reasons = (HoldReason(code="POC_MISSING", message="no plan of care covers the day"),)
    payload = DayJudged(
        day_key=day.day_key, revision=revision, verdict=verdict, patient_key=day.patient_key,
        encounter_ids=tuple(e.encounter_id for e in day.encounters), units_revision=day.revision, day=day,
        released=verdict is Verdict.CLEARED and revision > 1, reasons=reasons if verdict is Verdict.HELD else (),
    )  # fmt: skip
    return units.follow(payload, stage=f"poc.judged/{revision}", subject=day.day_key)


def _claim(cause: Envelope[Any], day_key: str, encounter_id: str, revision: int, status: ClaimStatus) -> bytes:
    payload = ClaimStatusChanged(
        claim_id="CSTATUS1", revision=revision, status=status, source="batch", patient_key="pk", payer_id="medicare",
        day_keys=(day_key,), encounter_ids=(encounter_id,), reasons=("R1: rejected by the payer",)
        if status is ClaimStatus.REJECTED else (),
    )  # fmt: skip
    return cause.follow(payload, stage=f"claims/{revision}", subject="CSTATUS1").model_dump_json().encode()


async def test_out_of_order_verdicts_and_claim_steps_read_through_the_front_door(door: Door) -> None:
    settings, tenant = door.settings, door.tenant
    encounter_id = "enc-st-1"
    await _accepted(door, encounter_id, "enc-never-reported")
    key = partition_key(tenant, "pk")
    units = units_day(encounter_id, tenant_id=tenant, patient_key="pk", on=DOS)
    start = await end_offsets(settings.kafka_bootstrap, ENCOUNTER_STATUS.name)

    before = await door.status("enc-never-reported")
    assert (before["status"], before["detail"]) == ("received", {}), "no stage reported: the door's own answer"

    # The release (verdict 2) is read before the hold (verdict 1) it replaced: the day stays cleared.
    released, held = _judged(units, 2, Verdict.CLEARED), _judged(units, 1, Verdict.HELD)
    await publish(settings, DAY_VERDICTS.name, [released.model_dump_json(), held.model_dump_json()], key)
    cleared = await door.until(encounter_id, "cleared")
    assert cleared["detail"] == {"gate_revision": 2, "released": True}

    ready = claim_lines_ready(tenant, "pk", version=1)
    lines = ready.payload.model_copy(update={
        "day_key": units.payload.day_key, "units_revision": 1, "gate_revision": 2, "encounter_ids": (encounter_id,),
        "lines": tuple(line.model_copy(update={"encounter_id": encounter_id}) for line in ready.payload.lines),
    })  # fmt: skip
    ready_event = units.follow(lines, stage="modifiers", subject=lines.day_key)
    await publish(settings, CLAIM_LINES_READY.name, [ready_event.model_dump_json()], key)
    await door.until(encounter_id, "ready")

    # Claim steps 1 submitted, 3 submitted again (a reversal undid the rejection), then the late step 2.
    day_key = units.payload.day_key
    steps = [(1, ClaimStatus.SUBMITTED), (3, ClaimStatus.SUBMITTED), (2, ClaimStatus.REJECTED)]
    await publish(settings, CLAIM_STATUS.name, [_claim(units, day_key, encounter_id, r, s) for r, s in steps], key)
    submitted = await door.until(encounter_id, "submitted")
    assert submitted["claim_id"] == "CSTATUS1"
    await asyncio.sleep(1.0)  # the late rejection has been read by now: it must not have moved anything
    assert (await door.status(encounter_id))["status"] == "submitted"
    claim = (await door.client.get("/v1/claims/CSTATUS1", headers=door.headers)).json()
    assert (claim["status"], claim["revision"]) == ("submitted", 3)

    records = await read_from(settings.kafka_bootstrap, start, until=lambda rs: len(rs) >= 3, settle_s=1.0)
    ours = [r for r in records if r.key == f"{tenant}:{encounter_id}".encode()]
    changes = [Envelope[EncounterStatusChanged].model_validate_json(r.value).payload for r in ours]
    assert [(c.revision, c.status) for c in changes] == [(1, "cleared"), (2, "ready"), (3, "submitted")]
    assert all(c.patient_key == "pk" and c.day_key == day_key for c in changes)


def test_the_service_app_builds_with_one_consumer_over_every_topic() -> None:
    app = build_app()
    subscribers = list(app.broker.subscribers)  # type: ignore[union-attr]
    assert len(subscribers) == 1
