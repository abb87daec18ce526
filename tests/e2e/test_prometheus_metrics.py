"""A real Prometheus scraping the six running services' /metrics while a practice bills through the pipeline;
the values are read back through Prometheus' query API: every target up, records consumed per service, a
poison record dead-lettered, handler latencies, claims built and submitted, a held encounter by its reason,
outbox and lag series per service; and no label value carries a tenant, patient or encounter id."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from otrcm_shared.topics import ENCOUNTERS_RECEIVED
from tests.e2e.conftest import Pipeline
from tests.support.intake_samples import encounter, fresh_npi
from tests.support.prometheus import prometheus_server, query, value_when
from tests.support.services import publish

pytestmark = pytest.mark.e2e

SERVICES = {"intake", "units", "poc", "modifiers", "claims", "status"}


def _number(result: list[dict[str, object]]) -> float:
    return sum(float(sample["value"][1]) for sample in result)  # type: ignore[index]


async def test_prometheus_reads_the_pipeline_metrics(pipeline: Pipeline, tmp_path: Path) -> None:
    ports = {name: runtime.ops.port for name, runtime in pipeline.runtimes.items() if runtime.ops is not None}
    assert set(ports) == SERVICES
    tenant, held_tenant, npi, held_npi = (
        f"tenant-{uuid4().hex[:8]}",
        f"tenant-{uuid4().hex[:8]}",
        fresh_npi(),
        fresh_npi(),
    )
    headers = await pipeline.onboard(tenant, npi)
    held_headers = await pipeline.onboard(held_tenant, held_npi, certified=False)
    ids = [f"pm-{uuid4().hex[:6]}-{n}" for n in range(2)]
    for n, encounter_id in enumerate(ids):
        body = encounter(encounter_id, date_of_service=f"2026-10-0{5 + n}", billing_provider_npi=npi)
        assert (await pipeline.client.post("/v1/encounters", json=body, headers=headers)).status_code == 202
    held_id = f"pm-held-{uuid4().hex[:6]}"
    body = encounter(held_id, date_of_service="2026-10-05", billing_provider_npi=held_npi)
    assert (await pipeline.client.post("/v1/encounters", json=body, headers=held_headers)).status_code == 202
    settings = pipeline.intake.settings
    await publish(settings, ENCOUNTERS_RECEIVED.name, [b"{poison for the metrics test"], key=b"metrics-test")
    assert len(await pipeline.wait_for_claims(tenant, 1)) >= 1

    with prometheus_server(ports, tmp_path / "prometheus") as base:
        async with httpx.AsyncClient(timeout=10) as http:
            up = await value_when(http, base, 'up{job="otrcm"} == 1', lambda r: len(r) == len(SERVICES))
            assert {sample["metric"]["instance"] for sample in up} == SERVICES

            consumed = await value_when(
                http,
                base,
                "sum by (service) (otrcm_records_consumed_total)",
                lambda r: {s["metric"]["service"] for s in r if float(s["value"][1]) > 0} >= SERVICES - {"intake"},
            )
            assert {s["metric"]["service"] for s in consumed if float(s["value"][1]) > 0} >= SERVICES - {"intake"}

            poison = 'otrcm_records_dead_lettered_total{service="units",reason="SCHEMA_INVALID"}'
            assert _number(await value_when(http, base, poison, lambda r: _number(r) >= 1)) >= 1

            handled = 'sum(otrcm_handler_duration_seconds_count{service="units"})'
            assert _number(await value_when(http, base, handled, lambda r: _number(r) >= len(ids))) >= len(ids)
            p99 = await query(
                http,
                base,
                'histogram_quantile(0.99, sum by (le) (otrcm_handler_duration_seconds_bucket{service="units"}))',
            )
            assert 0 < _number(p99) < 1.0

            assert _number(await value_when(http, base, "otrcm_claims_built_total", lambda r: _number(r) >= 1)) >= 1
            submitted = await value_when(http, base, "otrcm_claims_submitted_total", lambda r: _number(r) >= 1)
            assert _number(submitted) >= 1

            held = await value_when(http, base, 'otrcm_encounters_held{reason=~"POC_.*"}', lambda r: _number(r) >= 1)
            assert _number(held) >= 1
            gate = await value_when(http, base, 'otrcm_billing_days_held{reason=~"POC_.*"}', lambda r: _number(r) >= 1)
            assert _number(gate) >= 1

            outbox = await value_when(http, base, "otrcm_outbox_pending", lambda r: len(r) == len(SERVICES))
            assert {s["metric"]["service"] for s in outbox} == SERVICES
            age = await query(http, base, "max(otrcm_outbox_oldest_pending_age_seconds)")
            assert len(age) == 1
            lag = await value_when(http, base, 'otrcm_consumer_lag{group="otrcm.units"}', lambda r: len(r) > 0)
            assert {s["metric"]["topic"] for s in lag} == {ENCOUNTERS_RECEIVED.name}
            assert all(s["metric"]["partition"].isdigit() for s in lag)

            series = (await http.get(f"{base}/api/v1/series", params={"match[]": '{__name__=~"otrcm_.*"}'})).json()
            values = {value for labels in series["data"] for value in labels.values()}
            assert len(series["data"]) > 20
            for identifier in (tenant, held_tenant, *ids, held_id, "mrn-1001", npi, held_npi):
                assert not any(identifier in value for value in values), identifier
