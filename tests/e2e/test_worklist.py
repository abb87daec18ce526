"""A held encounter through the whole pipeline (real broker and PostgreSQL): its GET shows the true reason and
the releasing action, the worklist lists it, the plan of care shows it holds the day, and once the fix is posted
(the plan's certification) it is released, billed, leaves the worklist and the plan holds nothing."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import pytest

from tests.e2e.conftest import CERTIFIED, Pipeline
from tests.support.intake_samples import encounter, fresh_npi

pytestmark = pytest.mark.e2e


async def _until(read: Any, done: Any, timeout_s: float = 60.0) -> Any:
    value = await read()
    for _ in range(int(timeout_s / 0.25)):
        if done(value):
            break
        await asyncio.sleep(0.25)
        value = await read()
    return value


async def test_a_held_encounter_is_on_the_worklist_until_its_fix_is_posted(pipeline: Pipeline) -> None:
    tenant, npi = f"tenant-{uuid4().hex[:8]}", fresh_npi()
    headers = await pipeline.onboard(tenant, npi, certified=False)
    body = encounter("wl-1", date_of_service="2026-10-05", billing_provider_npi=npi)
    assert (await pipeline.client.post("/v1/encounters", json=body, headers=headers)).status_code == 202

    async def status() -> Any:
        return (await pipeline.client.get("/v1/encounters/wl-1", headers=headers)).json()

    held = await _until(status, lambda s: s["status"] == "held")
    assert held["status"] == "held", held
    [reason] = held["detail"]["reasons"]
    assert reason["code"].startswith("POC_"), reason
    assert reason.get("message"), "a sentence a biller understands"

    async def worklist(**params: str) -> Any:
        return (await pipeline.client.get("/v1/worklist", params=params, headers=headers)).json()

    listed = await worklist()
    assert [item["encounter_id"] for item in listed["items"]] == ["wl-1"]
    assert listed["counts_by_reason"] == {reason["code"]: 1}
    assert (await worklist(reason=reason["code"]))["total"] == 1
    assert (await worklist(payer_id="blue-commercial-ama"))["total"] == 0

    async def plan() -> Any:
        return (await pipeline.client.get("/v1/plans-of-care/poc-1", headers=headers)).json()

    waiting = await _until(plan, lambda p: p["holds"]["days_held"] == 1)
    assert [(d["encounter_ids"], d["reason_codes"]) for d in waiting["holds"]["days"]] == [(["wl-1"], [reason["code"]])]
    assert waiting["certification_periods"][0]["certified_on"] is None, "the plan the day waits on is not certified"

    fix = await pipeline.client.post("/v1/plans-of-care/poc-1/events", json=CERTIFIED, headers=headers)
    assert fix.status_code == 202, fix.text
    released = await _until(status, lambda s: s["status"] not in ("held", "received", "units_calculated"))
    assert released["status"] in ("cleared", "ready", "submitted"), released
    assert (await worklist())["total"] == 0
    certified = await _until(plan, lambda p: p["holds"]["days_held"] == 0)
    assert certified["certification_periods"][0]["certified_on"] == CERTIFIED["event_date"]
    assert certified["holds"] == {"days_held": 0, "days": []}, "released: the plan holds nothing"
