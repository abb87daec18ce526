"""The poc gate on the real broker and PostgreSQL, read on its one verdict stream (billing-days.judged.v2):
hold without a plan, release once when certified; an authorization for 6 visits holds the 7th."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import select

from otrcm_poc.adapters.store import authorizations
from otrcm_shared.events import Envelope, EventPayload
from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.plans import AuthorizationRecorded, PlanEventKind, PlanOfCareRecorded
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.topics import (
    AUTHORIZATIONS,
    DAY_VERDICTS,
    ENCOUNTERS_UNITS_CALCULATED,
    PLANS_OF_CARE,
    TopicSpec,
    partition_key,
)
from tests.support.days import units_day
from tests.support.kafka_tools import end_offsets, read_from
from tests.support.services import publish, running, settings_for

pytestmark = pytest.mark.integration

TENANT = f"tenant-poc-{uuid4().hex[:8]}"  # event ids derive from tenant + client ids: fresh ones per run


@pytest.fixture
async def poc(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[ServiceRuntime]:
    async with running("poc", settings_for(kafka_bootstrap, postgres_base_url, tmp_path)) as runtime:
        yield runtime


async def _publish(runtime: ServiceRuntime, topic: TopicSpec, event: Envelope[EventPayload], patient: str) -> None:
    await publish(runtime.settings, topic.name, [event.model_dump_json()], partition_key(TENANT, patient))


def _plan_step(plan_id: str, patient: str, kind: PlanEventKind, on: date, **fields: object) -> Envelope[EventPayload]:
    payload = PlanOfCareRecorded(plan_id=plan_id, patient_key=patient, kind=kind, event_date=on, **fields)  # type: ignore[arg-type]
    key = f"{patient}/{plan_id}/{kind}"
    return Envelope.root(payload, tenant_id=TENANT, subject=plan_id, natural_key=key, stage="intake")


def _gate_events(records: list, patient: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    found = []
    for record in records:
        envelope = json.loads(record.value)
        payload = envelope["payload"]
        key = payload.get("patient_key") or payload.get("day", {}).get("patient_key")
        if key == patient:
            found.append((record.topic, payload))
    return found


async def test_held_without_a_plan_then_released_once_by_the_certification(poc: ServiceRuntime) -> None:
    patient = f"pk-{uuid4().hex[:8]}"
    bootstrap = poc.settings.kafka_bootstrap
    start = await end_offsets(bootstrap, DAY_VERDICTS.name)
    day = units_day(f"{patient}-enc-1", tenant_id=TENANT, patient_key=patient, on=date(2026, 3, 10))
    await _publish(poc, ENCOUNTERS_UNITS_CALCULATED, day, patient)  # type: ignore[arg-type]

    held = await read_from(bootstrap, start, until=lambda rs: len(_gate_events(rs, patient)) >= 1)
    ((topic, verdict),) = _gate_events(held, patient)
    assert (topic, verdict["verdict"]) == (DAY_VERDICTS.name, "held")
    assert [reason["code"] for reason in verdict["reasons"]] == ["POC_MISSING"]

    created = _plan_step("plan-1", patient, PlanEventKind.CREATED, date(2026, 3, 2),
                         evaluation_date=date(2026, 3, 2), duration_days=60)  # fmt: skip
    certified = _plan_step("plan-1", patient, PlanEventKind.CERTIFIED, date(2026, 3, 5),
                           certifier_npi="1234567893", certifier_credential="MD")  # fmt: skip
    for event in (created, certified, certified):  # the certification is delivered twice
        await _publish(poc, PLANS_OF_CARE, event, patient)
        await asyncio.sleep(0.2)

    records = await read_from(
        bootstrap, start, until=lambda rs: any(p["verdict"] == "cleared" for _, p in _gate_events(rs, patient)),
        settle_s=3.0,
    )  # fmt: skip
    cleared = [payload for _, payload in _gate_events(records, patient) if payload["verdict"] == "cleared"]
    assert len(cleared) == 1, "released exactly once"
    assert cleared[0]["released"] is True
    assert cleared[0]["certifier_npi"] == "1234567893"
    assert cleared[0]["day"]["day_key"] == day.payload.day_key


async def test_every_verdict_is_one_day_judged_on_the_v2_stream_in_order(poc: ServiceRuntime) -> None:
    """ADR 010: the hold and the release are revisions 1 and 2 of the day on billing-days.judged.v2, under
    the patient's key (the .v1 cleared and held topics are retired, step 5)."""
    patient = f"pk-{uuid4().hex[:8]}"
    bootstrap = poc.settings.kafka_bootstrap
    start = await end_offsets(bootstrap, DAY_VERDICTS.name)
    day = units_day(f"{patient}-enc-1", tenant_id=TENANT, patient_key=patient, on=date(2026, 3, 10))
    await _publish(poc, ENCOUNTERS_UNITS_CALCULATED, day, patient)  # type: ignore[arg-type]
    created = _plan_step(f"plan-{patient}", patient, PlanEventKind.CREATED, date(2026, 3, 2),
                         evaluation_date=date(2026, 3, 2), duration_days=60)  # fmt: skip
    certified = _plan_step(f"plan-{patient}", patient, PlanEventKind.CERTIFIED, date(2026, 3, 5),
                           certifier_npi="1234567893", certifier_credential="MD")  # fmt: skip
    await read_from(bootstrap, start, until=lambda rs: len(_gate_events(rs, patient)) >= 1)
    for event in (created, certified):
        await _publish(poc, PLANS_OF_CARE, event, patient)
        await asyncio.sleep(0.2)

    records = await read_from(bootstrap, start, until=lambda rs: len(_gate_events(rs, patient)) >= 2, settle_s=2.0)
    judged = [DayJudged.model_validate(payload) for _, payload in _gate_events(records, patient)]
    assert [(j.revision, j.verdict, j.released) for j in judged] == [
        (1, Verdict.HELD, False),
        (2, Verdict.CLEARED, True),
    ]
    assert [r.code for r in judged[0].reasons] == ["POC_MISSING"]
    assert judged[1].certifier_npi == "1234567893"
    assert {j.day_key for j in judged} == {day.payload.day_key}
    assert {r.key for r in records if json.loads(r.value)["payload"]["patient_key"] == patient} == {
        partition_key(TENANT, patient)
    }


async def test_an_authorization_for_six_visits_holds_the_seventh(poc: ServiceRuntime) -> None:
    patient = f"pk-{uuid4().hex[:8]}"
    bootstrap = poc.settings.kafka_bootstrap
    start = await end_offsets(bootstrap, DAY_VERDICTS.name)
    authorization = AuthorizationRecorded(authorization_id=f"auth-{patient}", patient_key=patient,
                                          payer_id="mo-healthnet-ffs", authorized=6,
                                          start_date=date(2026, 2, 1), end_date=date(2026, 4, 30))  # fmt: skip
    event = Envelope.root(authorization, tenant_id=TENANT, subject="a", natural_key=patient, stage="intake")
    await _publish(poc, AUTHORIZATIONS, event, patient)  # type: ignore[arg-type]
    for _ in range(100):  # the authorization and the days travel on different topics: wait for it
        async with poc.db.transaction() as session:
            if await session.scalar(select(authorizations.c.state).where(authorizations.c.patient_key == patient)):
                break
        await asyncio.sleep(0.1)

    for visit in range(7):
        on = date(2026, 3, 2) + timedelta(days=visit)
        day = units_day(
            f"{patient}-visit-{visit + 1}", tenant_id=TENANT, patient_key=patient, on=on, payer_id="mo-healthnet-ffs"
        )
        await _publish(poc, ENCOUNTERS_UNITS_CALCULATED, day, patient)  # type: ignore[arg-type]

    records = await read_from(bootstrap, start, until=lambda rs: len(_gate_events(rs, patient)) >= 7, settle_s=1.0)
    verdicts = sorted(_gate_events(records, patient), key=lambda item: item[1].get("day_key", ""))
    assert [payload["verdict"] for _, payload in verdicts] == ["cleared"] * 6 + ["held"]
    assert [reason["code"] for reason in verdicts[-1][1]["reasons"]] == ["AUTH_EXHAUSTED"]
