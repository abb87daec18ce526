"""An initial evaluation is billed before its plan is certified (Medicare exempts it from the plan), so it
is cleared without a certifier; when the plan is certified, the day is published again, still cleared, now
naming the certifier (the claim's referring provider, 2310A). Real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest

from otrcm_shared.events import Envelope, EventPayload
from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.plans import PlanEventKind, PlanOfCareRecorded
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.topics import DAY_VERDICTS, ENCOUNTERS_UNITS_CALCULATED, PLANS_OF_CARE, TopicSpec, partition_key
from tests.support.days import units_day
from tests.support.kafka_tools import end_offsets, read_from
from tests.support.services import publish, running, settings_for

pytestmark = pytest.mark.integration

TENANT = f"tenant-cert-{uuid4().hex[:8]}"
EVALUATION = date(2026, 11, 2)
CERTIFIER = "1234567893"


@pytest.fixture
async def poc(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[ServiceRuntime]:
    async with running("poc", settings_for(kafka_bootstrap, postgres_base_url, tmp_path)) as runtime:
        yield runtime


async def _publish(runtime: ServiceRuntime, topic: TopicSpec, event: Envelope[EventPayload], patient: str) -> None:
    await publish(runtime.settings, topic.name, [event.model_dump_json()], partition_key(TENANT, patient))


def _step(plan_id: str, patient: str, kind: PlanEventKind, on: date, **fields: object) -> Envelope[EventPayload]:
    payload = PlanOfCareRecorded(plan_id=plan_id, patient_key=patient, kind=kind, event_date=on, **fields)  # type: ignore[arg-type]
    return Envelope.root(payload, tenant_id=TENANT, subject=plan_id, natural_key=f"{patient}/{plan_id}/{kind}",
                         stage="intake")  # fmt: skip


def _judged(records: list, patient: str) -> list[DayJudged]:  # type: ignore[type-arg]
    payloads = (json.loads(record.value)["payload"] for record in records)
    return [DayJudged.model_validate(p) for p in payloads if p.get("patient_key") == patient]


async def test_the_evaluation_day_is_published_again_with_the_certifier_once_the_plan_is_certified(
    poc: ServiceRuntime,
) -> None:
    patient = f"pk-{uuid4().hex[:8]}"
    bootstrap = poc.settings.kafka_bootstrap
    start = await end_offsets(bootstrap, DAY_VERDICTS.name)
    evaluation = units_day(f"{patient}-eval", tenant_id=TENANT, patient_key=patient, on=EVALUATION,
                           lines=(("97166", 45),))  # fmt: skip
    await _publish(poc, ENCOUNTERS_UNITS_CALCULATED, evaluation, patient)  # type: ignore[arg-type]
    first = await read_from(bootstrap, start, until=lambda rs: len(_judged(rs, patient)) >= 1)
    (cleared,) = _judged(first, patient)
    assert (cleared.verdict, cleared.certifier_npi) == (Verdict.CLEARED, None), "billed before the plan exists"

    plan = f"plan-{patient}"
    created = _step(plan, patient, PlanEventKind.CREATED, EVALUATION, evaluation_date=EVALUATION, duration_days=60)
    certified = _step(plan, patient, PlanEventKind.CERTIFIED, date(2026, 11, 9), certifier_npi=CERTIFIER,
                      certifier_credential="MD")  # fmt: skip
    for event in (created, certified, certified):  # the certification is delivered twice
        await _publish(poc, PLANS_OF_CARE, event, patient)
        await asyncio.sleep(0.2)

    records = await read_from(bootstrap, start, until=lambda rs: len(_judged(rs, patient)) >= 2, settle_s=3.0)
    judged = _judged(records, patient)
    assert [(j.revision, j.verdict, j.certifier_npi, j.plan_id) for j in judged] == [
        (1, Verdict.CLEARED, None, None),
        (2, Verdict.CLEARED, CERTIFIER, plan),
    ], "published once more, with the certifier, and only once"
    assert {j.day_key for j in judged} == {evaluation.payload.day_key}


async def test_a_commercial_evaluation_needs_no_certifier_and_is_not_published_again(poc: ServiceRuntime) -> None:
    patient = f"pk-{uuid4().hex[:8]}"
    bootstrap = poc.settings.kafka_bootstrap
    start = await end_offsets(bootstrap, DAY_VERDICTS.name)
    evaluation = units_day(f"{patient}-eval", tenant_id=TENANT, patient_key=patient, on=EVALUATION,
                           payer_id="blue-commercial-ama", lines=(("97166", 45),))  # fmt: skip
    await _publish(poc, ENCOUNTERS_UNITS_CALCULATED, evaluation, patient)  # type: ignore[arg-type]
    await read_from(bootstrap, start, until=lambda rs: len(_judged(rs, patient)) >= 1)
    plan = f"plan-{patient}"
    for event in (
        _step(plan, patient, PlanEventKind.CREATED, EVALUATION, evaluation_date=EVALUATION, duration_days=60),
        _step(plan, patient, PlanEventKind.CERTIFIED, date(2026, 11, 9), certifier_npi=CERTIFIER,
              certifier_credential="MD"),
    ):  # fmt: skip
        await _publish(poc, PLANS_OF_CARE, event, patient)
        await asyncio.sleep(0.2)

    records = await read_from(bootstrap, start, until=lambda rs: len(_judged(rs, patient)) >= 2, timeout_s=10.0)
    assert [(j.revision, j.verdict) for j in _judged(records, patient)] == [(1, Verdict.CLEARED)]
