"""KX re-evaluation of later days through the whole pipeline (issue 19 item 3): an earlier billed day corrected
down takes the later day back under the OT threshold, so the later day's claim, already sent with KX, is replaced
(CLM05-3 7, REF*F8 its payer number) without KX. The tenant sends corrections automatically."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from otrcm_claims.entrypoints.ack_inbox import ingest_text
from otrcm_modifiers.adapters.store import metadata as modifiers_metadata
from otrcm_modifiers.usecases.handlers import on_day_judged
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.refdata.therapy_limits import kx_provisional_margin
from tests.e2e.conftest import Pipeline
from tests.e2e.test_replacement_and_void import _answer, _claim_segments, _until
from tests.support.claims_samples import claim_ack_277ca
from tests.support.databases import isolated_database
from tests.support.days import judged_day, units_day
from tests.support.intake_samples import encounter, fresh_npi

pytestmark = pytest.mark.e2e

EARLY, LATE = "2026-10-05", "2026-10-12"
OT_THRESHOLD_2026 = Decimal("2480")  # docs/billing-rules.md#4-threshold-and-kx
FULL = [
    {"line_number": 1, "code": "97530", "minutes": 38, "diagnosis_pointers": [1]},
]
CORRECTED = [{"line_number": 1, "code": "97530", "minutes": 8, "diagnosis_pointers": [1]}]  # 3 units -> 1
LATER_VISIT = [{"line_number": 1, "code": "97530", "minutes": 15, "diagnosis_pointers": [1]}]  # 1 unit


async def _expected(tmp_path: Path, on: str, minutes: int) -> tuple[Decimal, bool]:
    """What modifiers expects Medicare to allow for 97530 of ``minutes`` on ``on`` (its own code, a scratch db)."""
    units = units_day("probe", tenant_id="probe", patient_key="probe", on=date.fromisoformat(on),
                      lines=(("97530", minutes),))  # fmt: skip
    async with (
        isolated_database(f"sqlite+aiosqlite:///{tmp_path / f'probe-{on}-{minutes}.db'}", modifiers_metadata) as db,
        db.transaction() as session,
    ):
        published = [o.event.payload for o in await on_day_judged(session, judged_day(units))]
    [ready] = [payload for payload in published if isinstance(payload, ClaimLinesReady)]
    amount = sum((line.expected_allowed or Decimal(0) for line in ready.lines), Decimal(0))
    return amount, any(line.expected_provisional for line in ready.lines)


async def _acknowledge(pipeline: Pipeline, claim: Any, number: str, control: int) -> None:
    ack = claim_ack_277ca(claim["batch_reference"], claim["claim_id"], claim["charge"], "A2:20:PR", control=control,
                          payer_claim_number=number)  # fmt: skip
    assert await ingest_text(pipeline.claims.db, pipeline.claims.tables, ack) is not None
    pipeline.claims.wake_relay()


def _has_kx(claim: Any) -> bool:
    return any("KX" in line["modifiers"] for line in claim["lines"])


async def test_correcting_an_earlier_day_down_replaces_a_later_claim_without_kx(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    (full, provisional), (corrected, _), (later, _) = (
        await _expected(tmp_path, EARLY, 38),
        await _expected(tmp_path, EARLY, 8),
        await _expected(tmp_path, LATE, 15),
    )
    assert full - corrected > later / 2, "the correction must take the later day back under the threshold"
    # a provisional estimate within the margin below the threshold counts as crossing it (kx_threshold.py)
    margin = kx_provisional_margin(date.fromisoformat(EARLY)).amount if provisional else Decimal(0)
    crossing_at = OT_THRESHOLD_2026 - OT_THRESHOLD_2026 * margin
    seed = (crossing_at - full - later / 2).quantize(Decimal("0.01"))
    tenant, npi = f"tenant-{uuid4().hex[:8]}", fresh_npi()
    headers = await pipeline.onboard(tenant, npi, corrections_sent="automatically")
    spend = {"year": 2026, "discipline": "ot", "amount": str(seed), "source": "manual_entry", "as_of": "2026-10-01"}
    assert (
        await pipeline.client.post("/v1/patients/mrn-1001/therapy-spend", json=spend, headers=headers)
    ).status_code == 202
    await asyncio.sleep(1.0)  # the prior spend reaches modifiers before the visits do

    first = encounter("early", date_of_service=EARLY, billing_provider_npi=npi, lines=FULL, diagnoses=["M62.81"])
    assert (await pipeline.client.post("/v1/encounters", json=first, headers=headers)).status_code == 202
    [early] = await pipeline.wait_for_claims(tenant, 1)
    second = encounter("late", date_of_service=LATE, billing_provider_npi=npi, lines=LATER_VISIT, diagnoses=["M62.81"])
    assert (await pipeline.client.post("/v1/encounters", json=second, headers=headers)).status_code == 202
    rows = await pipeline.wait_for_claims(tenant, 2)
    [late] = [row for row in rows if row["claim_id"] != early["claim_id"]]
    assert not _has_kx(early), early["lines"]
    assert _has_kx(late), "the later day crossed the threshold"
    await _acknowledge(pipeline, early, "PCN-EARLY-1", 21)
    await _acknowledge(pipeline, late, "PCN-LATE-1", 22)
    await _answer(pipeline, headers, late["claim_id"], lambda body: body["status"] == "accepted")

    fixed = {**first, "lines": CORRECTED}
    body = {"corrected_by": "staff-17", "reason": "97530 was 8 minutes", "encounter": fixed}
    assert (
        await pipeline.client.post("/v1/encounters/early/corrections", json=body, headers=headers)
    ).status_code == 202

    def replaced(rows: list[Any]) -> Any:
        sent = [
            r for r in rows if r["status"] == "submitted" and r["claim_id"] not in (early["claim_id"], late["claim_id"])
        ]
        return next((r for r in sent if late["day_keys"][0] in r["day_keys"]), None)

    replacement = await _until(pipeline, tenant, replaced)
    assert not _has_kx(replacement), "under the threshold again: no KX"
    segments = _claim_segments(pipeline, replacement["claim_id"])
    assert segments[0].split("*")[5] == "11:B:7"
    assert "REF*F8*PCN-LATE-1" in segments
