"""A claim held for its referring provider is released by the certification (issue 19, "holds that rebuild
themselves"), through the whole pipeline on the real broker and PostgreSQL.

Medicare bills the initial evaluation before the plan it produces is certified, but its claim needs the
certifying physician in 2310A: the claim waits, held, and the plan's certification rebuilds and sends it."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import pytest

from tests.e2e.conftest import CERTIFIED, PHYSICIAN_NPI, Pipeline
from tests.support.intake_samples import encounter, fresh_npi

pytestmark = pytest.mark.e2e

EVALUATION = {"line_number": 1, "code": "97166", "minutes": 45, "diagnosis_pointers": [1]}


async def _claim(pipeline: Pipeline, tenant: str, done: Any, timeout_s: float = 90.0) -> Any:
    rows: list[Any] = []
    for _ in range(int(timeout_s / 0.5)):
        rows = await pipeline.claims_of(tenant)
        if rows and done(rows[0]):
            break
        await asyncio.sleep(0.5)
    assert len(rows) == 1, rows
    return rows[0]


async def test_the_evaluations_claim_waits_for_the_certifier_and_leaves_with_it(pipeline: Pipeline) -> None:
    tenant, npi = f"tenant-{uuid4().hex[:8]}", fresh_npi()
    headers = await pipeline.onboard(tenant, npi, certified=False)
    body = encounter("eval-1", date_of_service="2026-10-01", billing_provider_npi=npi, lines=[EVALUATION])
    assert (await pipeline.client.post("/v1/encounters", json=body, headers=headers)).status_code == 202

    held = await _claim(pipeline, tenant, lambda row: row["status"] == "held")
    assert held["status"] == "held", held
    assert any(reason.startswith("referring-provider") for reason in held["reasons"]), held["reasons"]

    fix = await pipeline.client.post("/v1/plans-of-care/poc-1/events", json=CERTIFIED, headers=headers)
    assert fix.status_code == 202, fix.text
    sent = await _claim(pipeline, tenant, lambda row: row["status"] == "submitted")
    assert sent["status"] == "submitted", sent
    assert sent["claim_id"] == held["claim_id"], "the held claim itself is rebuilt and sent, not a second one"
    assert _referring_npis(pipeline, sent["claim_id"]) == [PHYSICIAN_NPI], "2310A names the certifying physician"


def _referring_npis(pipeline: Pipeline, claim_id: str) -> list[str]:
    """The NPIs in 2310A (NM1*DN) of one claim, from the 837P files written (other tests write there too)."""
    for path in pipeline.outbox.rglob("*.x12"):
        segments = [segment.strip() for segment in path.read_text().split("~")]
        starts = [i for i, s in enumerate(segments) if s.startswith(f"CLM*{claim_id}*")]
        if starts:
            claim = segments[starts[0] + 1 :]
            claim = claim[: next((i for i, s in enumerate(claim) if s.startswith(("CLM*", "HL*", "SE*"))), len(claim))]
            return [s.rsplit("*", 1)[-1] for s in claim if s.startswith("NM1*DN*")]
    return []
