"""Encounters can be corrected (issue 19 item 6), through the whole pipeline on the real broker and PostgreSQL:
a correction of a billed encounter (a new version, with who and why) recomputes its day (units, poc, modifiers)
and its claim is replaced (CLM05-3 7, REF*F8); voiding the day's only encounter voids its claim (CLM05-3 8).
The tenant sends corrections automatically (its billing profile says so), so no approval is needed here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from otrcm_claims.entrypoints.ack_inbox import ingest_text
from otrcm_intake.adapters.store import encounter_versions
from tests.e2e.conftest import Pipeline
from tests.e2e.test_replacement_and_void import DAY, _answer, _claim_segments, _until
from tests.support.claims_samples import claim_ack_277ca
from tests.support.intake_samples import encounter, fresh_npi

pytestmark = pytest.mark.e2e


async def _billed(pipeline: Pipeline, tenant: str, number: str) -> tuple[dict[str, str], str, Any]:
    """A tenant sending corrections automatically, one visit billed, sent and acknowledged with the payer's number."""
    npi = fresh_npi()
    headers = await pipeline.onboard(tenant, npi, corrections_sent="automatically")
    visit = encounter("visit-1", date_of_service=DAY, billing_provider_npi=npi)
    assert (await pipeline.client.post("/v1/encounters", json=visit, headers=headers)).status_code == 202
    [original] = await pipeline.wait_for_claims(tenant, 1)
    ack = claim_ack_277ca(
        original["batch_reference"], original["claim_id"], original["charge"], "A2:20:PR", control=12,
        payer_claim_number=number,
    )  # fmt: skip
    assert await ingest_text(pipeline.claims.db, pipeline.claims.tables, ack) is not None
    pipeline.claims.wake_relay()
    await _answer(pipeline, headers, original["claim_id"], lambda body: body["status"] == "accepted")
    return headers, npi, original


def _another_sent(original: Any) -> Callable[[list[Any]], Any]:
    """The first claim other than ``original`` that was sent."""
    return lambda rows: next(
        (r for r in rows if r["claim_id"] != original["claim_id"] and r["status"] == "submitted"), None
    )


async def test_a_corrected_billed_encounter_replaces_its_claim(pipeline: Pipeline) -> None:
    tenant, number = f"tenant-{uuid4().hex[:8]}", f"PCN{uuid4().hex[:10].upper()}"
    headers, npi, original = await _billed(pipeline, tenant, number)
    fixed = encounter("visit-1", date_of_service=DAY, billing_provider_npi=npi)
    fixed["lines"][0]["minutes"] = 40  # documented 25, furnished 40
    resubmitted = await pipeline.client.post("/v1/encounters", json=fixed, headers=headers)
    assert resubmitted.status_code == 409
    assert "/corrections" in resubmitted.json()["errors"][0]["message"]

    body = {"corrected_by": "staff-17", "reason": "minutes of 97530 were 40", "encounter": fixed}
    corrected = await pipeline.client.post("/v1/encounters/visit-1/corrections", json=body, headers=headers)
    assert corrected.status_code == 202, corrected.text
    assert corrected.json()["status"] == "accepted"

    replacement = await _until(pipeline, tenant, _another_sent(original))
    segments = _claim_segments(pipeline, replacement["claim_id"])
    assert segments[0].split("*")[5] == "11:B:7"
    assert f"REF*F8*{number}" in segments
    assert sum(line["units"] for line in replacement["lines"]) > sum(line["units"] for line in original["lines"])
    async with pipeline.intake.db.transaction() as session:
        c = encounter_versions.c
        kept = (await session.execute(select(c.revision, c.changed_by, c.reason).where(c.tenant_id == tenant))).all()
    assert sorted(kept) == [(1, None, None), (2, "staff-17", "minutes of 97530 were 40")]


async def test_voiding_the_days_only_encounter_voids_its_claim(pipeline: Pipeline) -> None:
    tenant, number = f"tenant-{uuid4().hex[:8]}", f"PCN{uuid4().hex[:10].upper()}"
    headers, _npi, original = await _billed(pipeline, tenant, number)
    body = {"voided_by": "staff-17", "reason": "entered for the wrong patient"}
    voided = await pipeline.client.post("/v1/encounters/visit-1/void", json=body, headers=headers)
    assert voided.status_code == 202, voided.text
    again = await pipeline.client.post("/v1/encounters/visit-1/void", json=body, headers=headers)
    assert again.json()["status"] == "duplicate"

    void = await _until(pipeline, tenant, _another_sent(original))
    segments = _claim_segments(pipeline, void["claim_id"])
    assert segments[0].split("*")[5] == "11:B:8"
    assert f"REF*F8*{number}" in segments
