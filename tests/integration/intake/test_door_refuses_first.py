"""The front door refuses first every record a downstream service would dead-letter (issue 17 item 1).

Each case of ``tests/support/door_cases.DOOR_CASES`` (one for every declared dead-letter reason that a submitted
record can produce; ``tests/unit/test_dead_letter_reasons.py`` checks none is missing) is sent to the API on the
real broker and PostgreSQL: the answer names exactly the expected fields and rules, and nothing of any refused
record is published. Sentinels sent after the walk are published, so the topics were read far enough.
"""

from __future__ import annotations

import json

import pytest

from otrcm_shared.topics import AUTHORIZATIONS, ENCOUNTERS_RECEIVED, PLANS_OF_CARE
from tests.integration.intake.conftest import Intake
from tests.support.door_cases import DOOR_CASES, Request
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration

SENTINELS = {
    ENCOUNTERS_RECEIVED.name: "door-sentinel",
    PLANS_OF_CARE.name: "door-sentinel-plan",
    AUTHORIZATIONS.name: "door-sentinel-auth",
}


async def _send(intake: Intake, request: Request, headers: dict[str, str], npi: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    answer = await intake.client.request(request.method, request.url, json=request.body(npi), headers=headers)
    return answer.status_code, answer.json()


async def test_every_record_a_downstream_service_would_dead_letter_is_refused_first(
    intake: Intake, tenant: str
) -> None:
    clinic = await intake.onboard(tenant)
    bootstrap = intake.settings.kafka_bootstrap
    cases = {id(case): case for case in DOOR_CASES.values()}.values()  # a case may stand for several reasons
    setups = [setup for case in cases for setup in case.setup]
    before_setup = await end_offsets(bootstrap, PLANS_OF_CARE.name)
    for setup in setups:
        status, body = await _send(intake, setup, clinic.headers, clinic.npi)
        assert status == 202, (setup.url, body)
    # 202 means stored, not yet published: the walk starts once every setup record is on its topic, or a setup
    # record published late would read as a refused one that leaked.
    published_setup = await read_from(
        bootstrap, before_setup, until=lambda rs: sum(tenant.encode() in r.value for r in rs) >= len(setups)
    )
    assert sum(tenant.encode() in r.value for r in published_setup) == len(setups), "every setup record published"
    starts = {topic: await end_offsets(bootstrap, topic) for topic in SENTINELS}

    for reason, case in DOOR_CASES.items():
        status, body = await _send(intake, case.request, clinic.headers, clinic.npi)
        found = {(error["path"], error["rule"]) for error in body.get("errors", [])}
        assert (status, found) == (case.status, set(case.refused)), reason

    sentinels = [
        clinic.encounter("door-sentinel"),
        {"plan_id": "door-sentinel-plan", "patient_id": "mrn-1001", "evaluation_date": "2026-03-02",
         "duration_days": 30},
        {"authorization_id": "door-sentinel-auth", "patient_id": "mrn-1001", "payer_id": "mo-healthnet-ffs",
         "authorized": 6, "start_date": "2026-03-01", "end_date": "2026-04-30"},
    ]  # fmt: skip
    for url, body in zip(("/v1/encounters", "/v1/plans-of-care", "/v1/authorizations"), sentinels, strict=True):
        assert (await intake.client.post(url, json=body, headers=clinic.headers)).status_code == 202
    for topic, sentinel in SENTINELS.items():
        records = await read_from(
            bootstrap, starts[topic], until=lambda rs, s=sentinel: any(s.encode() in r.value for r in rs), settle_s=1.0
        )
        ours = [json.loads(r.value) for r in records if tenant.encode() in r.value]
        published = [e for e in ours if e["tenant_id"] == tenant]
        assert [e["subject"] for e in published] == [sentinel], f"{topic}: only the sentinel, nothing refused"
