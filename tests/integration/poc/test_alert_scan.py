"""The alert scan, run twice, raises each alert once (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from otrcm_poc.adapters.records import save_plan
from otrcm_poc.adapters.store import metadata
from otrcm_poc.domain import PlanCreated, PlanSigned, apply_plan_event, start_plan
from otrcm_poc.usecases.alerts_scan import scan
from tests.support.databases import BACKENDS, isolated_database, url_for

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", BACKENDS)
async def test_each_alert_is_raised_once(backend: str, tmp_path: Path, postgres_base_url: str) -> None:
    # Certified plan evaluated 2026-01-05 for 90 days: its interval ends 2026-04-04 (day 90), so on
    # 2026-03-28 the recertification is due within the default 10-day notice.
    certified = apply_plan_event(
        start_plan(PlanCreated("plan-a", "pk-a", date(2026, 1, 5), duration_days=90)),
        PlanSigned("plan-a", date(2026, 1, 6), "1234567893", "MD"),
    )
    # Evaluated 2026-02-01 and never certified: past the 30 days on 2026-03-28, so certification is late.
    uncertified = start_plan(PlanCreated("plan-b", "pk-b", date(2026, 2, 1), duration_days=60))
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        async with db.transaction() as session:
            await save_plan(session, "tenant-a", certified)
            await save_plan(session, "tenant-a", uncertified)
        async with db.transaction() as session:
            first = await scan(session, date(2026, 3, 28))
        async with db.transaction() as session:
            second = await scan(session, date(2026, 3, 28))
    kinds = sorted((o.event.payload.subject_id, o.event.payload.kind) for o in first)
    assert ("plan-a", "recert-due") in kinds
    assert ("plan-b", "certification-late") in kinds
    assert second == []
    assert len({o.event.event_id for o in first}) == len(first)
