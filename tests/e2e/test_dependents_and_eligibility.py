"""A child covered on a parent's commercial plan, through the whole pipeline on the real broker and PostgreSQL
(issue 19 items 4 and 9): recorded at the front door with the parent as subscriber, the child's visit is
billed with the parent in 2010BA and the child in 2000C/2010CA (pyx12 accepts it), and recording the child
asked the payer about coverage: a 270 with the parent in 2100C and the child in 2100D is in the drop."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import uuid4

import pytest

from otrcm_claims.adapters.x12 import validate_x12_text
from tests.e2e.conftest import CERTIFIED, Pipeline
from tests.support.intake_samples import encounter, fresh_npi, patient

pytestmark = pytest.mark.e2e

PARENT = {"first_name": "Hector", "last_name": "Quill", "birth_date": "1984-06-02", "sex": "M"}


def _child() -> dict[str, object]:
    body = patient("mrn-child", first_name="Toby", birth_date="2019-09-14", sex="M")
    body["coverages"] = [
        {
            "payer_id": "blue-commercial-ama",
            "member_id": "XQB884120301",
            "relationship_to_subscriber": "19",
            "subscriber": PARENT,
        }
    ]
    return body


def _texts(outbox: Path) -> list[str]:
    return [path.read_text() for path in sorted(outbox.glob("270-*.x12"))]


async def _inquiries(outbox: Path, timeout_s: float = 60.0) -> list[str]:
    """The 270s written that ask about the child (NM1*03 with the child's name)."""
    found: list[str] = []
    for _ in range(int(timeout_s / 0.5)):
        found = [text for text in await asyncio.to_thread(_texts, outbox) if "NM1*03*1*QUILL*TOBY~" in text]
        if found:
            break
        await asyncio.sleep(0.5)
    return found


async def test_a_child_on_a_parents_plan_is_billed_with_both_loops_and_its_eligibility_asked(
    pipeline: Pipeline,
) -> None:
    tenant, npi = f"tenant-{uuid4().hex[:8]}", fresh_npi()
    headers = await pipeline.onboard(tenant, npi)
    assert (await pipeline.client.post("/v1/patients", json=_child(), headers=headers)).status_code == 202
    plan = {"plan_id": "poc-child", "patient_id": "mrn-child", "evaluation_date": "2026-10-01", "duration_days": 60}
    for path, body in (("/v1/plans-of-care", plan), ("/v1/plans-of-care/poc-child/events", CERTIFIED)):
        response = await pipeline.client.post(path, json=body, headers=headers)
        assert response.status_code == 202, response.text
    await asyncio.sleep(1.0)  # the plan reaches poc before the encounter does
    visit = encounter(
        "child-1",
        patient_id="mrn-child",
        payer_id="blue-commercial-ama",
        date_of_service="2026-10-05",
        billing_provider_npi=npi,
    )
    accepted = await pipeline.client.post("/v1/encounters", json=visit, headers=headers)
    assert accepted.status_code == 202, accepted.text

    [claim] = await pipeline.wait_for_claims(tenant, 1, timeout_s=90)
    assert claim["status"] == "submitted", claim
    [text] = [t for t in pipeline.files() if f"CLM*{claim['claim_id']}*" in t]
    segments = text.split("~")
    assert "NM1*IL*1*QUILL*HECTOR****MI*XQB884120301" in segments
    assert "PAT*19" in segments
    assert "NM1*QC*1*QUILL*TOBY" in segments
    assert validate_x12_text(text).pyx12_valid

    inquiries = await _inquiries(pipeline.outbox.parent / "270")
    assert inquiries, "recording the child asked its payer (a 270)"
    asked = inquiries[0].split("~")
    assert "NM1*IL*1*QUILL*HECTOR****MI*XQB884120301" in asked
    assert "EQ*AD" in asked
