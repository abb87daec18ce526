"""Prior therapy spend on the real broker and PostgreSQL: intake validates and publishes it (no PHI, keyed
by tenant and opaque patient key), and the modifiers service starts the beneficiary's accrual from it.

Acceptance (issue 15): $2,460.00 of 2026 OT spend, then a 45-minute 97530 day in October 2026 (3 units).
The test day's location names no Medicare locality, so it prices in the default MO-99 (CMS GPCI2025 work
1.000, PE 0.859, MP 0.974, carried forward to 2026), RVU26C 97530 0.44 / 0.60 / 0.01, CF 33.4009:
full unit (0.44 + 0.60 x 0.859 + 0.01 x 0.974) x 33.4009 = 0.96514 x 33.4009 = 32.23654463;
MPPR unit (0.44 + 0.5154 x 0.5 + 0.00974) x 33.4009 = 0.70744 x 33.4009 = 23.62913270;
day = 32.23654463 + 2 x 23.62913270 = 79.49481003 -> $79.49. 2,460.00 + 79.49 = 2,539.49 > 2,480.00
(2026 OT threshold): KX when medical necessity is attested, held KX_NEEDS_ATTESTATION when not.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from otrcm_modifiers.adapters.store import accruals
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.therapy_spend import TherapySpendRecorded
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.topics import CLAIM_LINES_READY, DAY_VERDICTS, THERAPY_SPEND, partition_key
from tests.integration.intake.conftest import TODAY, Intake
from tests.support.days import judged_day, units_day
from tests.support.kafka_tools import end_offsets, read_from
from tests.support.services import publish, running, settings_for

pytestmark = pytest.mark.integration

SPEND = {"year": 2026, "discipline": "ot", "amount": "2460.00", "source": "eligibility_271", "as_of": "2026-03-02"}


@pytest.fixture
async def modifiers(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[ServiceRuntime]:
    async with running("modifiers", settings_for(kafka_bootstrap, postgres_base_url, tmp_path / "m")) as runtime:
        yield runtime


def _spend(records: list, tenant: str) -> list[tuple[bytes, Envelope[TherapySpendRecorded]]]:  # type: ignore[type-arg]
    events = [(r.key, Envelope[TherapySpendRecorded].model_validate_json(r.value)) for r in records]
    return [(key, e) for key, e in events if e.tenant_id == tenant]


async def _until_seeded(modifiers: ServiceRuntime, tenant: str, keys: list[str]) -> None:
    for _ in range(100):
        async with modifiers.db.transaction() as session:
            states = (await session.scalars(select(accruals.c.state).where(accruals.c.tenant_id == tenant))).all()
        if len([state for state in states if state["seeds"]]) == len(keys):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the modifiers service did not apply the prior spend")


@pytest.mark.parametrize(
    ("change", "path", "rule"),
    [
        ({"amount": "-1.00"}, "amount", "amount.not_negative"),
        ({"as_of": "2026-03-21"}, "as_of", "as_of.not_future"),  # the business date is 2026-03-20
        ({"discipline": "speech"}, "discipline", "discipline.known"),
        ({"year": 2018}, "year", "year.in_range"),
        ({"year": 2027}, "year", "year.in_range"),
        ({"source": "guess"}, "source", "source.known"),
    ],
)
async def test_bad_prior_spend_is_refused_naming_field_and_rule(
    intake: Intake, tenant: str, change: dict[str, object], path: str, rule: str
) -> None:
    headers = await intake.key_for(tenant)
    response = await intake.client.post("/v1/patients/mrn-7/therapy-spend", json={**SPEND, **change}, headers=headers)
    assert response.status_code == 422, response.text
    assert [(e["path"], e["rule"]) for e in response.json()["errors"]] == [(path, rule)]
    assert "-1.00" not in response.text, "values the client sent are not echoed"


async def test_prior_spend_is_idempotent_and_published_without_phi(intake: Intake, tenant: str) -> None:
    headers = await intake.key_for(tenant)
    start = await end_offsets(intake.settings.kafka_bootstrap, THERAPY_SPEND.name)
    first = await intake.client.post("/v1/patients/mrn-7/therapy-spend", json=SPEND, headers=headers)
    again = await intake.client.post("/v1/patients/mrn-7/therapy-spend", json=SPEND, headers=headers)
    assert (first.status_code, first.json()["status"]) == (202, "accepted")
    assert (again.status_code, again.json()["status"]) == (202, "duplicate")
    records = await read_from(
        intake.settings.kafka_bootstrap, start, until=lambda rs: len(_spend(rs, tenant)) >= 1, settle_s=2.0
    )
    ((key, event),) = _spend(records, tenant)
    assert event.payload.amount == Decimal("2460.00")
    assert (event.payload.year, event.payload.bucket, event.payload.as_of) == (2026, "ot", date(2026, 3, 2))
    assert key == partition_key(tenant, event.payload.patient_key)
    assert "mrn-7" not in records[-1].value.decode(), "the client's patient id never leaves intake"
    assert date(2026, 3, 20) == TODAY


async def test_seeded_2460_then_a_45_minute_97530_day_crosses_the_2026_threshold(
    intake: Intake, modifiers: ServiceRuntime, tenant: str
) -> None:
    headers = await intake.key_for(tenant)
    bootstrap = intake.settings.kafka_bootstrap
    start = await end_offsets(bootstrap, THERAPY_SPEND.name)
    for patient in ("mrn-attested", "mrn-not-attested"):
        response = await intake.client.post(f"/v1/patients/{patient}/therapy-spend", json=SPEND, headers=headers)
        assert response.status_code == 202, response.text
    records = await read_from(bootstrap, start, until=lambda rs: len(_spend(rs, tenant)) >= 2, settle_s=0.5)
    keys = sorted(event.payload.patient_key for _, event in _spend(records, tenant))
    await _until_seeded(modifiers, tenant, keys)
    start_lines = await end_offsets(bootstrap, CLAIM_LINES_READY.name)
    for patient_key, attested in ((keys[0], True), (keys[1], False)):
        units = units_day(f"e-{patient_key}", tenant_id=tenant, patient_key=patient_key, on=date(2026, 10, 5),
                          lines=(("97530", 45),))  # fmt: skip
        encounter = units.payload.encounters[0]
        attestations = encounter.attestations.model_copy(update={"medical_necessity_documented": attested})
        day = units.payload.model_copy(
            update={"encounters": (encounter.model_copy(update={"attestations": attestations}),)}
        )
        cleared = judged_day(units.model_copy(update={"payload": day}))
        await publish(
            modifiers.settings, DAY_VERDICTS.name, [cleared.model_dump_json()], partition_key(tenant, patient_key)
        )

    def ours(rs: list) -> dict[str, ClaimLinesReady]:  # type: ignore[type-arg]
        events = [Envelope[ClaimLinesReady].model_validate_json(r.value) for r in rs]
        return {e.payload.patient_key: e.payload for e in events if e.tenant_id == tenant}

    ready = ours(await read_from(bootstrap, start_lines, until=lambda rs: len(ours(rs)) >= 2, settle_s=1.0))
    attested_day, unattested_day = ready[keys[0]], ready[keys[1]]
    (line,) = attested_day.lines
    assert (line.code, line.units, line.modifiers) == ("97530", 3, ("GO", "KX"))
    assert line.expected_allowed == Decimal("79.49")
    assert attested_day.threshold is not None
    assert attested_day.threshold.accrued == Decimal("2539.49")
    assert attested_day.threshold.threshold == Decimal("2480.00")
    assert unattested_day.lines == ()
    (held,) = unattested_day.held_lines
    assert held.reasons == ("KX_NEEDS_ATTESTATION",)
    assert held.details[0].rule_id == "kx_required_once_threshold_exceeded"
