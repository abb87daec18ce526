"""The claims batch measures its billing cut-off at the business date (``OTRCM_BUSINESS_DATE``), not the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from otrcm_claims.domain.grouping import cutoff_has_passed
from otrcm_claims.entrypoints import worker
from otrcm_claims.settings import ClaimsSettings

pytestmark = pytest.mark.unit

CHICAGO = ZoneInfo("America/Chicago")
BUSINESS_DATE = date(2026, 3, 13)


def test_with_a_business_date_the_batch_runs_at_the_end_of_that_day_in_the_practice_zone() -> None:
    settings = ClaimsSettings(business_date=BUSINESS_DATE)
    assert settings.batch_time() == datetime(2026, 3, 14, 5, 0, tzinfo=UTC)  # midnight CDT


def test_the_cutoff_honours_the_business_date() -> None:
    now = ClaimsSettings(business_date=BUSINESS_DATE).batch_time()
    assert cutoff_has_passed(date(2026, 3, 12), now, 24, CHICAGO)
    assert not cutoff_has_passed(date(2026, 3, 13), now, 24, CHICAGO)  # its 24 hours end a day later
    assert cutoff_has_passed(date(2026, 3, 13), now, 0, CHICAGO)


def test_without_a_business_date_the_batch_reads_the_clock() -> None:
    before = datetime.now(UTC)
    assert before <= ClaimsSettings().batch_time() <= datetime.now(UTC)


async def test_the_scheduled_batch_passes_the_business_date_time_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[datetime] = []

    async def build_and_submit(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[4])
        return None

    monkeypatch.setattr(worker, "build_and_submit", build_and_submit)
    settings = ClaimsSettings(business_date=BUSINESS_DATE, var_dir=tmp_path)
    jobs = worker.ClaimsJobs(settings, db=None, tables=None)  # type: ignore[arg-type]
    await jobs.run_batch()
    assert seen == [datetime(2026, 3, 14, 5, 0, tzinfo=UTC)]
