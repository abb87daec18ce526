"""The accrual against both databases: a revision replaces the day's amounts, a denial takes lines out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from otrcm_modifiers.domain.threshold_accrual import accrued
from otrcm_modifiers.handlers import load_accrual, on_claim_denied, on_day_cleared
from otrcm_modifiers.store import metadata
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claims import ClaimOutcome
from otrcm_shared.events.gate import DayCleared
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from otrcm_shared.runtime.db import Database
from tests.support.databases import BACKENDS, isolated_database, url_for
from tests.support.days import units_day

pytestmark = pytest.mark.integration

TENANT, PATIENT = "tenant-accrual", "pk-accrual"


def _cleared(units_revision: int, lines: tuple[tuple[str, int], ...]) -> Envelope[DayCleared]:
    units = units_day("enc-1", tenant_id=TENANT, patient_key=PATIENT, on=date(2025, 6, 2), lines=lines)
    day = units.payload.model_copy(update={"revision": units_revision})
    return units.follow(DayCleared(day_key=day.day_key, gate_revision=1, day=day), stage=f"poc-{units_revision}")


async def _ot_total(db: Database) -> Decimal:
    async with db.transaction() as session:
        return accrued(await load_accrual(session, TENANT, PATIENT), 2025, ThresholdBucket.OT).total


@pytest.mark.parametrize("backend", BACKENDS)
async def test_revision_replaces_and_denial_removes(backend: str, tmp_path: Path, postgres_base_url: str) -> None:
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        async with db.transaction() as session:
            (first,) = await on_day_cleared(session, _cleared(1, (("97530", 23),)))
        one_visit = await _ot_total(db)
        async with db.transaction() as session:
            (second,) = await on_day_cleared(session, _cleared(2, (("97530", 38),)))
        two_visits = await _ot_total(db)
        ready = second.event.payload
        assert isinstance(ready, ClaimLinesReady)
        async with db.transaction() as session:
            stale = await on_day_cleared(session, _cleared(1, (("97530", 23),)))
        denial = ClaimOutcome(
            claim_id="c-1", status="denied", patient_key=PATIENT, payer_id="medicare-wps-j5", day_keys=(ready.day_key,)
        )
        async with db.transaction() as session:
            await on_claim_denied(session, second.event.follow(denial, stage="claims"))
        after_denial = await _ot_total(db)

    first_ready = first.event.payload
    assert isinstance(first_ready, ClaimLinesReady)
    # 23 minutes = 2 units, 38 minutes = 3 units of 97530 (CMS Pub. 100-04 Ch. 5 §20.2): the second
    # revision's amount replaces the first instead of adding to it.
    assert one_visit == sum((line.expected_allowed or Decimal(0) for line in first_ready.lines), Decimal(0))
    assert two_visits == sum((line.expected_allowed or Decimal(0) for line in ready.lines), Decimal(0))
    assert two_visits > one_visit > 0
    assert stale == [], "an older revision arriving late changes nothing"
    assert after_denial == 0
