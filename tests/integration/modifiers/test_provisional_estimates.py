"""October 2026 on the real broker and PostgreSQL: no 2026 GPCI is loaded, so the days are billed with
provisional estimates (2025 GPCIs carried forward) and the tenant gets ONE alert per dataset and year,
however many lines, days and redeliveries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest

from otrcm_shared.events import Envelope
from otrcm_shared.events.alerts import AlertRaised
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.topics import ALERTS, CLAIM_LINES_READY, DAY_VERDICTS, partition_key
from tests.support.days import judged_day, units_day
from tests.support.kafka_tools import end_offsets, read_from
from tests.support.services import publish, running, settings_for

pytestmark = pytest.mark.integration


@pytest.fixture
async def modifiers(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[ServiceRuntime]:
    async with running("modifiers", settings_for(kafka_bootstrap, postgres_base_url, tmp_path)) as runtime:
        yield runtime


def cleared_day(tenant: str, patient: str, on: date, lines: tuple[tuple[str, int], ...]) -> Envelope[DayJudged]:
    units = units_day(f"{patient}-{on.isoformat()}", tenant_id=tenant, patient_key=patient, on=on, lines=lines)
    return judged_day(units, certifier_npi="1234567893")


async def test_october_2026_days_bill_provisionally_with_one_alert_per_dataset(modifiers: ServiceRuntime) -> None:
    tenant = f"tenant-{uuid4().hex[:8]}"
    bootstrap = modifiers.settings.kafka_bootstrap
    start_lines = await end_offsets(bootstrap, CLAIM_LINES_READY.name)
    start_alerts = await end_offsets(bootstrap, ALERTS.name)
    days = [
        ("pk-a", cleared_day(tenant, "pk-a", date(2026, 10, 5), (("97530", 30), ("97535", 15)))),
        ("pk-a", cleared_day(tenant, "pk-a", date(2026, 10, 7), (("97110", 30),))),
        ("pk-b", cleared_day(tenant, "pk-b", date(2026, 10, 6), (("97530", 45),))),
    ]
    for patient, day in days:  # each day delivered twice
        await publish(
            modifiers.settings, DAY_VERDICTS.name, [day.model_dump_json()] * 2, partition_key(tenant, patient)
        )

    def ours(records: list, model: type) -> list:  # type: ignore[type-arg]
        events = [Envelope[model].model_validate_json(r.value) for r in records]  # type: ignore[valid-type]
        return [e.payload for e in events if e.tenant_id == tenant]

    records = await read_from(
        bootstrap, start_lines, until=lambda rs: len(ours(rs, ClaimLinesReady)) >= 3, settle_s=1.0
    )
    ready: list[ClaimLinesReady] = ours(records, ClaimLinesReady)
    assert len(ready) == 3
    for day in ready:
        assert day.held_lines == (), "an estimate never holds a line"
        assert day.lines
        for line in day.lines:
            assert line.expected_allowed is not None
            assert line.expected_allowed > 0
            assert line.expected_provisional
            assert ("medicare_gpci", "2025", True) in [
                (u.dataset, u.version, u.provisional) for u in line.expected_basis
            ]
        assert any(u.dataset == "medicare_gpci" and u.provisional and u.year == 2026 for u in day.reference_data)
        assert day.threshold is not None
        assert day.threshold.provisional
    carried = {u.dataset for day in ready for u in day.reference_data if u.provisional}
    alert_records = await read_from(bootstrap, start_alerts, until=lambda rs: False, timeout_s=4.0)
    alerts: list[AlertRaised] = ours(alert_records, AlertRaised)
    assert sorted(a.dataset or "" for a in alerts) == sorted(carried), "one alert per dataset and year"
    gpci = next(a for a in alerts if a.dataset == "medicare_gpci")
    assert (gpci.kind, gpci.year, gpci.patient_key) == ("REFERENCE_DATA_PROVISIONAL", 2026, None)
    assert "2025" in gpci.message
    assert "otrcm-refdata import" in gpci.message
    alert_keys = {
        r.key for r in alert_records if Envelope[AlertRaised].model_validate_json(r.value).tenant_id == tenant
    }
    assert alert_keys == {f"{tenant}:reference-data".encode()}, "no patient key on a tenant-wide alert"


async def test_early_2027_is_billed_provisionally_the_accrual_restarts_and_each_missing_dataset_alerts_once(
    modifiers: ServiceRuntime,
) -> None:
    """No 2027 threshold, conversion factor, RVUs or GPCIs are loaded: January 2027 is billed with the newest
    earlier versions, marked provisional; the 2026 spend does not count toward 2027."""
    tenant = f"tenant-{uuid4().hex[:8]}"
    bootstrap = modifiers.settings.kafka_bootstrap
    start_lines = await end_offsets(bootstrap, CLAIM_LINES_READY.name)
    start_alerts = await end_offsets(bootstrap, ALERTS.name)
    december = cleared_day(tenant, "pk-y", date(2026, 12, 30), (("97530", 60),))
    january = [cleared_day(tenant, "pk-y", date(2027, 1, d), (("97530", 45),)) for d in (4, 6)]
    for day in (december, *january):
        await publish(modifiers.settings, DAY_VERDICTS.name, [day.model_dump_json()], partition_key(tenant, "pk-y"))

    def ours(records: list, model: type) -> list:  # type: ignore[type-arg]
        events = [Envelope[model].model_validate_json(r.value) for r in records]  # type: ignore[valid-type]
        return [e.payload for e in events if e.tenant_id == tenant]

    records = await read_from(
        bootstrap, start_lines, until=lambda rs: len(ours(rs, ClaimLinesReady)) >= 3, settle_s=1.0
    )
    by_date = {day.date_of_service: day for day in ours(records, ClaimLinesReady)}
    dec, jan4 = by_date[date(2026, 12, 30)], by_date[date(2027, 1, 4)]
    assert jan4.held_lines == ()
    assert jan4.threshold is not None
    assert dec.threshold is not None
    assert jan4.threshold.year == 2027
    assert jan4.threshold.accrued == jan4.lines[0].expected_allowed, "the accrual restarts each calendar year"
    assert jan4.threshold.threshold_provisional
    carried_2027 = {u.dataset for u in jan4.reference_data if u.provisional and u.year == 2027}
    assert carried_2027 == {"medicare_conversion_factor", "medicare_gpci", "medicare_pfs_rvus", "therapy_thresholds"}
    alert_records = await read_from(bootstrap, start_alerts, until=lambda rs: False, timeout_s=4.0)
    alerts: list[AlertRaised] = ours(alert_records, AlertRaised)
    assert sorted((a.dataset, a.year) for a in alerts if a.year == 2027) == sorted((d, 2027) for d in carried_2027)
    assert [(a.dataset, a.year) for a in alerts if a.year == 2026] == [("medicare_gpci", 2026)]
