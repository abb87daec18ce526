"""Acceptance (issue 15): Medicare encounters dated 2026 go in through the intake API and are billed, on the
real broker and PostgreSQL, with the five services in-process and reference data on a topic of the test's own.

- One patient is seeded with $2,460.00 of 2026 OT spend (``POST /v1/patients/{id}/therapy-spend``) and has a
  45-minute 97530 day, attested: 3 units priced in Rolla (MO-99, the default locality) from RVU26C and the
  2025 GPCIs carried forward, so 2,460.00 + 79.49 = 2,539.49 > 2,480.00 (2026 OT threshold): GO and KX.
- Another has a visit furnished by an OTA (all 30 min of 97110 and 15 of 97535: over 10%): GO and CO.
- The 837P passes pyx12; every estimate is provisional and names medicare_gpci 2025; the tenant gets exactly
  one REFERENCE_DATA_PROVISIONAL alert, for medicare_gpci 2026.
- ``otrcm-refdata import GPCI2026.csv`` (CMS Addendum E layout, written here with TEST values) while the
  services run: the next day's estimate is priced from it and is no longer provisional.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import random
import string
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import select

from otrcm_claims.adapters import store as claims_store
from otrcm_claims.adapters.x12 import validate_x12_text
from otrcm_claims.entrypoints.app import build_jobs
from otrcm_claims.settings import ClaimsSettings
from otrcm_intake.adapters.keys import create_key
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.settings import IntakeSettings
from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_modifiers.adapters.store import accruals
from otrcm_shared.events import Envelope
from otrcm_shared.events.alerts import AlertRaised
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.refdata.layers import LAYERS
from otrcm_shared.runtime.kafka import ensure_topics
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import ALERTS, CLAIM_LINES_READY, all_topics
from tests.support import medicare_2026 as m26
from tests.support.intake_samples import billing_provider, encounter, fresh_npi, patient
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.e2e

TODAY = date(2026, 11, 20)
CERTIFIER = {"certifier_npi": "1234567893", "certifier_credential": "MD"}
GPCI_2026_TEST = (  # the CMS Addendum E layout; the indices are test values, not CMS's
    "ADDENDUM E. FINAL CY 2026 GEOGRAPHIC PRACTICE COST INDICES (GPCIs) BY STATE AND MEDICARE LOCALITY,,,,,,\n"
    ",,,,,,\n"
    "Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,"
    "2026 PW GPCI (with 1.0 Floor),2026 PE GPCI,2026 MP GPCI\n"
    "05302,MO,01,METROPOLITAN ST. LOUIS,1.000,0.960,1.000\n"
    "05302,MO,02,METROPOLITAN KANSAS CITY,1.000,0.950,0.990\n"
    "05302,MO,99,REST OF MISSOURI,1.000,0.870,0.980\n"
    ",,,,,,\n"
    '"Note: test data, not CMS values.",,,,,,\n'
)


@dataclass
class Pipeline:
    settings: RuntimeSettings
    client: httpx.AsyncClient
    headers: dict[str, str]
    tenant: str
    npi: str
    intake: ServiceRuntime
    modifiers: ServiceRuntime
    claims: ServiceRuntime

    async def post(self, path: str, body: Any) -> None:
        response = await self.client.post(path, json=body, headers=self.headers)
        assert response.status_code == 202, response.text

    async def ready_days(self, start: dict[Any, int], count: int) -> list[ClaimLinesReady]:
        def ours(records: list[Any]) -> list[ClaimLinesReady]:
            events = [Envelope[ClaimLinesReady].model_validate_json(r.value) for r in records]
            return [e.payload for e in events if e.tenant_id == self.tenant]

        records = await read_from(
            self.settings.kafka_bootstrap, start, until=lambda rs: len(ours(rs)) >= count, settle_s=1.0
        )
        return ours(records)


@pytest.fixture
async def pipeline(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[Pipeline]:
    run = uuid4().hex[:8]
    letters = "".join(random.choices(string.ascii_lowercase, k=10))  # topic names take letters only
    settings = RuntimeSettings(
        kafka_bootstrap=kafka_bootstrap,
        database_url=postgres_base_url,
        var_dir=tmp_path,
        reference_data_topic=f"otrcm.reference-data.test-{letters}.v1",  # the shared topic stays untouched
        database_schema_suffix=f"b26_{run}",  # schemas of this test's own: its claims batch bills only its days
    )
    await ensure_topics(settings, all_topics(), "test-admin")
    tenant = f"tenant-2026-{run}"
    runtimes = {
        name: importlib.import_module(f"otrcm_{name}.entrypoints.app").build_runtime(settings)
        for name in ("units", "poc", "modifiers")
    }
    runtimes["claims"] = importlib.import_module("otrcm_claims.entrypoints.app").build_runtime(
        ClaimsSettings(**settings.model_dump())
    )
    intake = importlib.import_module("otrcm_intake.entrypoints.app").build_runtime(
        IntakeSettings(**settings.model_dump())
    )
    api = create_api(intake, today=lambda: TODAY)
    try:
        async with AsyncExitStack() as stack:
            for runtime in runtimes.values():
                app = runtime.app(runtime.name)
                await app.start()
                stack.push_async_callback(app.stop)
            await stack.enter_async_context(api.router.lifespan_context(api))
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://intake.test")
            )
            registration = BillingProviderRegistered.model_validate(billing_provider(fresh_npi()))
            async with intake.db.transaction() as session:
                headers = {"X-API-Key": await create_key(session, tenant)}
                recorded = await register_billing_provider(session, tenant, registration)
            assert recorded.outcome.value == "accepted", recorded.as_dict()
            intake.wake_relay()
            yield Pipeline(
                settings, client, headers, tenant, registration.npi, intake, runtimes["modifiers"], runtimes["claims"]
            )
    finally:
        LAYERS.reset()  # the in-process layers followed the test topic: forget them


async def _plan(pipeline: Pipeline, patient_id: str) -> None:
    await pipeline.post("/v1/patients", patient(patient_id))
    plan_id = f"poc-{patient_id}"
    plan = {"plan_id": plan_id, "patient_id": patient_id, "evaluation_date": "2026-10-01", "duration_days": 90}
    await pipeline.post("/v1/plans-of-care", plan)
    await pipeline.post(f"/v1/plans-of-care/{plan_id}/events", {"kind": "certified", "event_date": "2026-10-02",
                                                                 **CERTIFIER})  # fmt: skip


async def _until_seeded(modifiers: ServiceRuntime, tenant: str) -> None:
    for _ in range(150):
        async with modifiers.db.transaction() as session:
            states = (await session.scalars(select(accruals.c.state).where(accruals.c.tenant_id == tenant))).all()
        if any(state["seeds"] for state in states):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the modifiers service did not apply the prior spend")


def _visit(pipeline: Pipeline, encounter_id: str, patient_id: str, on: str, lines: list[dict[str, Any]]) -> Any:
    return encounter(encounter_id, patient_id=patient_id, date_of_service=on, billing_provider_npi=pipeline.npi,
                     diagnoses=["I69.351"], lines=lines)  # fmt: skip


def _line(number: int, code: str, minutes: int, assistant: int = 0) -> dict[str, Any]:
    return {"line_number": number, "code": code, "minutes": minutes, "assistant_minutes": assistant,
            "diagnosis_pointers": [1]}  # fmt: skip


def _service_lines(x12: str, claim_ids: set[str]) -> list[list[str]]:
    """Every SV1 composite (HC, code, modifiers...) of the named claims in an interchange, with the ISA's own
    separators (a broker shared with other tests may bring their days to this run's claims service too)."""
    element, component, terminator = x12[3], x12[104], x12[105]
    found, current = [], ""
    for segment in (s.strip() for s in x12.split(terminator)):
        if segment.startswith(f"CLM{element}"):
            current = segment.split(element)[1]
        elif segment.startswith(f"SV1{element}") and current in claim_ids:
            found.append(segment.split(element)[1].split(component))
    return found


async def _import_gpci_2026(pipeline: Pipeline, folder: Path) -> subprocess.CompletedProcess[str]:
    path = folder / "GPCI2026.csv"
    path.write_text(GPCI_2026_TEST, encoding="utf-8")
    env = {**os.environ, "OTRCM_KAFKA_BOOTSTRAP": pipeline.settings.kafka_bootstrap,
           "OTRCM_REFERENCE_DATA_TOPIC": pipeline.settings.reference_data_topic}  # fmt: skip
    command = [str(Path(sys.executable).parent / "otrcm-refdata"), "import", str(path)]
    return await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=120)


async def test_2026_medicare_encounters_are_billed_provisionally_then_priced_from_an_imported_gpci(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    bootstrap = pipeline.settings.kafka_bootstrap
    alerts_start = await end_offsets(bootstrap, ALERTS.name)
    for patient_id in ("mrn-kx", "mrn-co"):
        await _plan(pipeline, patient_id)
    spend = {"year": 2026, "discipline": "ot", "amount": "2460.00", "source": "eligibility_271", "as_of": "2026-10-30"}
    await pipeline.post("/v1/patients/mrn-kx/therapy-spend", spend)
    await _until_seeded(pipeline.modifiers, pipeline.tenant)
    await asyncio.sleep(1.0)  # the plans reach poc before the encounters do (same wait as test_one_trace)

    start = await end_offsets(bootstrap, CLAIM_LINES_READY.name)
    await pipeline.post("/v1/encounters", _visit(pipeline, "e-kx", "mrn-kx", "2026-11-02", [_line(1, "97530", 45)]))
    ota = [_line(1, "97110", 30, assistant=30), _line(2, "97535", 15, assistant=15)]
    await pipeline.post("/v1/encounters", _visit(pipeline, "e-co", "mrn-co", "2026-11-03", ota))
    days = {day.encounter_ids[0]: day for day in await pipeline.ready_days(start, 2)}

    (kx,) = days["e-kx"].lines
    assert (kx.code, kx.units, kx.modifiers) == ("97530", 3, ("GO", "KX"))
    assert kx.expected_allowed == m26.line("97530", 3, "MO-99", full_pe_unit=True) == Decimal("79.49")
    assert days["e-kx"].threshold is not None
    assert days["e-kx"].threshold.accrued == Decimal("2460.00") + kx.expected_allowed > m26.OT_THRESHOLD_2026
    co = {line.code: line for line in days["e-co"].lines}
    assert {code: (line.units, line.modifiers) for code, line in co.items()} == {
        "97110": (2, ("GO", "CO")),
        "97535": (1, ("GO", "CO")),
    }
    share = Decimal("0.85")  # CO: 85%; 97535 holds the day's highest PE (0.51 > 0.41), so 97110 is at half PE
    assert co["97110"].expected_allowed == m26.line("97110", 2, "MO-99", full_pe_unit=False, share=share)
    assert co["97535"].expected_allowed == m26.line("97535", 1, "MO-99", full_pe_unit=True, share=share)
    for line in (kx, *co.values()):
        assert line.expected_provisional
        carried = [(u.dataset, u.version, u.year) for u in line.expected_basis if u.provisional]
        assert carried == [("medicare_gpci", "2025", 2026)]

    jobs = build_jobs(pipeline.claims)
    await jobs.run_batch(now=datetime(2026, 11, 20, 18, 0, tzinfo=UTC))  # the business date, not the clock
    files = sorted(ClaimsSettings(**pipeline.settings.model_dump()).outbox_path.glob("*"))
    assert files, "no 837P written"
    async with pipeline.claims.db.transaction() as session:
        query = select(claims_store.claims.c.claim_id).where(claims_store.claims.c.tenant_id == pipeline.tenant)
        ours = set((await session.scalars(query)).all())
    billed = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        verdict = validate_x12_text(text)
        assert bool(getattr(verdict, "passed", verdict)), f"pyx12 refused {path.name}: {verdict}"
        billed += [tuple(composite[1:]) for composite in _service_lines(text, ours)]
    assert sorted(billed) == [("97110", "GO", "CO"), ("97530", "GO", "KX"), ("97535", "GO", "CO")]

    def reference_alerts(records: list[Any]) -> list[AlertRaised]:
        events = [Envelope[AlertRaised].model_validate_json(r.value) for r in records]
        kind = "REFERENCE_DATA_PROVISIONAL"
        return [e.payload for e in events if e.tenant_id == pipeline.tenant and e.payload.kind == kind]

    records = await read_from(bootstrap, alerts_start, until=lambda rs: len(reference_alerts(rs)) >= 1, settle_s=2.0)
    assert [(a.dataset, a.year) for a in reference_alerts(records)] == [("medicare_gpci", 2026)]

    imported = await _import_gpci_2026(pipeline, tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "medicare_gpci GPCI2026: new version" in imported.stdout
    for _ in range(100):
        if any(v.version == "GPCI2026" for v in LAYERS.imported("medicare_gpci")):
            break
        await asyncio.sleep(0.1)
    start = await end_offsets(bootstrap, CLAIM_LINES_READY.name)
    await pipeline.post("/v1/encounters", _visit(pipeline, "e-after", "mrn-co", "2026-11-04", [_line(1, "97530", 15)]))
    (after,) = await pipeline.ready_days(start, 1)
    (line,) = after.lines
    assert line.expected_provisional is False
    assert ("medicare_gpci", "GPCI2026", False) in [(u.dataset, u.version, u.provisional) for u in line.expected_basis]
    imported_gpcis = {"MO-99": (Decimal("1.000"), Decimal("0.870"), Decimal("0.980"))}
    # (0.44 x 1.000 + 0.60 x 0.870 + 0.01 x 0.980) x 33.4009 = 0.9718 x 33.4009 = 32.45899... -> 32.46
    assert line.expected_allowed == m26.line("97530", 1, "MO-99", full_pe_unit=True, gpcis=imported_gpcis)
    assert line.expected_allowed == Decimal("32.46")
