"""The gate judges on the business date, never the wall clock: a replay gives the same verdicts.

The plan below is certified by a verbal order of 2026-03-05 that was never signed. Its 14-day window is
open on 2026-03-12 (the day clears) and closed on the real date of any later run (the day is held). The
poc service is built by its composition root, on an embedded database, and its subscribers are called
with the same events; only ``OTRCM_BUSINESS_DATE`` decides.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from otrcm_poc.adapters.store import metadata
from otrcm_poc.entrypoints.app import build_runtime
from otrcm_shared.events import Envelope, EventPayload
from otrcm_shared.events.plans import PlanEventKind, PlanOfCareRecorded
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import DAY_VERDICTS, ENCOUNTERS_UNITS_CALCULATED, PLANS_OF_CARE
from tests.support.days import units_day

pytestmark = pytest.mark.unit

TENANT, PATIENT = "tenant-clock", "pk-clock"
WINDOW_OPEN = date(2026, 3, 12)  # 7 days after the verbal order
WINDOW_CLOSED = date(2026, 3, 31)  # 26 days after it


def _step(kind: PlanEventKind, on: date, **fields: Any) -> Envelope[EventPayload]:
    payload = PlanOfCareRecorded(plan_id="plan-1", patient_key=PATIENT, kind=kind, event_date=on, **fields)
    return Envelope.root(payload, tenant_id=TENANT, subject="plan-1", natural_key=f"plan-1/{kind}", stage="intake")


EVENTS: list[tuple[str, Envelope[Any]]] = [
    (
        PLANS_OF_CARE.name,
        _step(PlanEventKind.CREATED, date(2026, 3, 2), evaluation_date=date(2026, 3, 2), duration_days=60),
    ),
    (
        PLANS_OF_CARE.name,
        _step(
            PlanEventKind.VERBAL_ORDER,
            date(2026, 3, 5),
            certifier_npi="1339485728",
            certifier_credential="MD",
        ),
    ),
    (
        ENCOUNTERS_UNITS_CALCULATED.name,
        units_day("enc-clock-1", tenant_id=TENANT, patient_key=PATIENT, on=date(2026, 3, 10)),
    ),
]


async def _replay(business_date: date | None, var_dir: Path) -> list[tuple[str, list[str]]]:
    """Every event through the subscriber the composition root registered; the verdicts published."""
    settings = RuntimeSettings(var_dir=var_dir, business_date=business_date, database_url=None)  # its own SQLite
    runtime = build_runtime(settings, setup_tracing("otrcm-poc-clock-test"))
    handlers = {sub.topic.name: sub.handler for sub in runtime.subscriptions}
    await runtime.db.create_all(metadata)
    verdicts = []
    try:
        for topic, event in EVENTS:
            async with runtime.db.transaction() as session:
                for out in await handlers[topic](session, event):
                    assert out.topic.name == DAY_VERDICTS.name, "poc publishes its verdicts on one stream"
                    judged = out.event.payload
                    verdicts.append((judged.verdict.value, [reason.code for reason in judged.reasons]))
    finally:
        await runtime.db.dispose()
    return verdicts


async def test_a_replay_on_another_day_gives_the_same_verdicts(tmp_path: Path) -> None:
    first = await _replay(WINDOW_OPEN, tmp_path / "first")
    replay = await _replay(WINDOW_OPEN, tmp_path / "replay")  # a fresh store, run on today's wall clock
    assert first == [("cleared", [])]
    assert replay == first


async def test_the_business_date_alone_decides_the_verdict(tmp_path: Path) -> None:
    assert await _replay(WINDOW_CLOSED, tmp_path / "closed") == [("held", ["POC_NOT_CERTIFIED"])]
    unset = await _replay(None, tmp_path / "unset")  # no business date: the real date, long after the window
    assert unset == [("held", ["POC_NOT_CERTIFIED"])]


def test_the_business_date_defaults_to_the_real_date() -> None:
    assert RuntimeSettings().today() == date.today()
    assert RuntimeSettings(business_date=WINDOW_OPEN).today() == WINDOW_OPEN
