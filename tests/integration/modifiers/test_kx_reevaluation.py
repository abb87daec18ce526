"""KX re-evaluation of later days (issue 19 item 3), on both databases: when an earlier day of the beneficiary's
year is revised or denied, every later day is evaluated again on the accrual as it now stands, and a later day
whose lines change is published as its next version (claims then replaces it if it was billed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from otrcm_modifiers.adapters.store import metadata
from otrcm_modifiers.usecases.handlers import on_claim_status_changed, on_day_judged, on_therapy_spend
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.therapy_spend import TherapySpendRecorded
from otrcm_shared.runtime.db import Database
from tests.support.databases import BACKENDS, isolated_database, url_for
from tests.support.days import judged_day, units_day

pytestmark = pytest.mark.integration

TENANT, PATIENT = "tenant-kx-again", "pk-kx-again"
EARLY, LATE = date(2025, 6, 2), date(2025, 6, 9)
OT_THRESHOLD_2025 = Decimal("2410")  # docs/billing-rules.md#4-threshold-and-kx


def _day(on: date, minutes: int, verdict: int = 1, units_revision: int = 1) -> Envelope[DayJudged]:
    units = units_day(
        f"enc-{on.isoformat()}", tenant_id=TENANT, patient_key=PATIENT, on=on, lines=(("97530", minutes),)
    )
    revised = units.model_copy(update={"payload": units.payload.model_copy(update={"revision": units_revision})})
    return judged_day(revised, verdict)


def _spend(amount: Decimal) -> Envelope[TherapySpendRecorded]:
    spend = TherapySpendRecorded(record_id="2025-ot", patient_key=PATIENT, year=2025, bucket="ot", amount=amount,
                                 source="manual_entry", as_of=date(2025, 5, 31))  # fmt: skip
    return Envelope.root(spend, tenant_id=TENANT, subject=PATIENT, natural_key=f"spend/{amount}", stage="intake")


def _ready(outgoing: Any) -> list[ClaimLinesReady]:
    return [o.event.payload for o in outgoing if isinstance(o.event.payload, ClaimLinesReady)]


def _amount(ready: ClaimLinesReady) -> Decimal:
    return sum((line.expected_allowed or Decimal(0) for line in ready.lines), Decimal(0))


def _past_threshold(ready: ClaimLinesReady) -> bool:
    """The line is past the threshold: it carries KX, or it is held for want of the attestation KX needs."""
    return any("KX" in line.modifiers for line in ready.lines) or bool(ready.held_lines)


async def _apply(db: Database, handler: Any, event: Any) -> list[ClaimLinesReady]:
    async with db.transaction() as session:
        return _ready(await handler(session, event))


async def _amounts(backend: str, tmp_path: Path, postgres_base_url: str) -> tuple[Decimal, Decimal]:
    """The expected allowed amount of 3 units (38 minutes) and of 1 unit (15 minutes) of 97530 on these dates."""
    async with isolated_database(url_for(backend, tmp_path / "probe", postgres_base_url), metadata) as db:
        [two] = await _apply(db, on_day_judged, _day(EARLY, 38))
        [one] = await _apply(db, on_day_judged, _day(LATE, 15))
    return _amount(two), _amount(one)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_revised_earlier_day_takes_kx_off_a_later_day_and_a_denial_does_too(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    (tmp_path / "probe").mkdir()
    three_units, one_unit = await _amounts(backend, tmp_path, postgres_base_url)
    seed = OT_THRESHOLD_2025 - three_units - one_unit / 2  # the late day crosses the threshold, the early one does not
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        await _apply(db, on_therapy_spend, _spend(seed))
        [early] = await _apply(db, on_day_judged, _day(EARLY, 38))
        [late] = await _apply(db, on_day_judged, _day(LATE, 15))
        revised = await _apply(db, on_day_judged, _day(EARLY, 15, verdict=2, units_revision=2))  # 3 units -> 1
        again = await _apply(db, on_day_judged, _day(EARLY, 15, verdict=3, units_revision=3))  # the same amounts
        restored = await _apply(db, on_day_judged, _day(EARLY, 38, verdict=4, units_revision=4))
        step = ClaimStatusChanged(
            claim_id="c-early", revision=5, status=ClaimStatus.DENIED, source="835", patient_key=PATIENT,
            payer_id="medicare-wps-j5", day_keys=(early.day_key,),
        )  # fmt: skip
        denial = Envelope.root(step, tenant_id=TENANT, subject="c-early", natural_key="c-early/5", stage="claims")
        after_denial = await _apply(db, on_claim_status_changed, denial)

    assert not _past_threshold(early)
    assert _past_threshold(late), "the late day crossed the threshold"
    [early_v2, late_v2] = revised
    assert (early_v2.day_key, early_v2.version) == (early.day_key, 2)
    assert (late_v2.day_key, late_v2.version) == (late.day_key, 2), "the later day is published again"
    assert not _past_threshold(late_v2), "with the earlier day's lower amount it no longer crosses"
    assert [ready.day_key for ready in again] == [early.day_key], "a later day that bills the same is not republished"
    assert [(r.day_key, _past_threshold(r)) for r in restored] == [(early.day_key, False), (late.day_key, True)]
    assert [(r.day_key, r.version, _past_threshold(r)) for r in after_denial] == [(late.day_key, 4, False)]
