"""The accrual against both databases: a newer verdict on new units replaces the day's amounts, a hold
bills nothing, a denial takes lines out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from otrcm_modifiers.adapters.store import metadata
from otrcm_modifiers.domain.threshold_accrual import accrued
from otrcm_modifiers.usecases.handlers import load_accrual, on_claim_status_changed, on_day_judged
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.encounters import Provider, ProviderRole
from otrcm_shared.refdata import CodeCatalog
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from otrcm_shared.runtime.db import Database
from otrcm_units.domain import UnitMethod
from otrcm_units.usecases.translate import units_calculated
from tests.support.databases import BACKENDS, isolated_database, url_for
from tests.support.days import judged_day, units_day
from tests.support.factories import encounter_received

pytestmark = pytest.mark.integration

TENANT, PATIENT = "tenant-accrual", "pk-accrual"


def _judged(
    verdict: int, units_revision: int, lines: tuple[tuple[str, int], ...], held: tuple[str, ...] = ()
) -> Envelope[DayJudged]:
    """The gate's verdict number ``verdict`` on the day's units revision ``units_revision``."""
    units = units_day("enc-1", tenant_id=TENANT, patient_key=PATIENT, on=date(2025, 6, 2), lines=lines)
    revised = units.model_copy(update={"payload": units.payload.model_copy(update={"revision": units_revision})})
    return judged_day(revised, verdict, held=held)


async def _ot_total(db: Database) -> Decimal:
    async with db.transaction() as session:
        return accrued(await load_accrual(session, TENANT, PATIENT), 2025, ThresholdBucket.OT).total


def _claim_step(
    cause: Envelope[Any], claim_id: str, revision: int, status: str, day_key: str, payer_id: str = "medicare-wps-j5"
) -> Envelope[ClaimStatusChanged]:
    step = ClaimStatusChanged(
        claim_id=claim_id, revision=revision, status=ClaimStatus(status), source="835", patient_key=PATIENT,
        payer_id=payer_id, day_keys=(day_key,),
    )  # fmt: skip
    return cause.follow(step, stage=f"claims-{claim_id}-{revision}")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_late_denial_older_than_the_claims_applied_step_leaves_the_accrual(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    """Revision 6 (accepted again after an 835 reversal) arrived before revision 5 (the denial it reversed):
    the late denial is not applied, so the lines still count; a redelivery of 6 changes nothing either."""
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        async with db.transaction() as session:
            (cleared,) = await on_day_judged(session, _judged(1, 1, (("97530", 38),)))
        day_key = cleared.event.payload.day_key
        accrued_before = await _ot_total(db)
        for revision, status in ((6, "accepted"), (5, "denied"), (6, "accepted")):
            async with db.transaction() as session:
                await on_claim_status_changed(session, _claim_step(cleared.event, "c-2", revision, status, day_key))
        after_late_denial = await _ot_total(db)
        async with db.transaction() as session:
            await on_claim_status_changed(session, _claim_step(cleared.event, "c-2", 7, "denied", day_key))
        after_newer_denial = await _ot_total(db)
    assert accrued_before > 0
    assert after_late_denial == accrued_before
    assert after_newer_denial == 0


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_secondary_payers_denial_leaves_the_primarys_accrual(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    """MO HealthNet, billed second for a Medicare day (issue 19 item 5), denies its claim: Medicare's lines still
    count toward the threshold; Medicare's own denial of the day takes them out."""
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        async with db.transaction() as session:
            (cleared,) = await on_day_judged(session, _judged(1, 1, (("97530", 38),)))
        day_key = cleared.event.payload.day_key
        assert "/medicare-wps-j5/" in day_key
        accrued_before = await _ot_total(db)
        async with db.transaction() as session:
            step = _claim_step(cleared.event, "c-secondary", 5, "denied", day_key, payer_id="mo-healthnet-ffs")
            await on_claim_status_changed(session, step)
        after_secondary_denial = await _ot_total(db)
        async with db.transaction() as session:
            await on_claim_status_changed(session, _claim_step(cleared.event, "c-primary", 5, "denied", day_key))
        after_primary_denial = await _ot_total(db)
    assert accrued_before > 0
    assert after_secondary_denial == accrued_before
    assert after_primary_denial == 0


@pytest.mark.parametrize("backend", BACKENDS)
async def test_revision_replaces_and_denial_removes(backend: str, tmp_path: Path, postgres_base_url: str) -> None:
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        async with db.transaction() as session:
            (first,) = await on_day_judged(session, _judged(1, 1, (("97530", 23),)))
        one_visit = await _ot_total(db)
        async with db.transaction() as session:
            held = await on_day_judged(session, _judged(2, 2, (("97530", 38),), held=("AUTH_EXHAUSTED",)))
        while_held = await _ot_total(db)
        async with db.transaction() as session:
            (second,) = await on_day_judged(session, _judged(3, 2, (("97530", 38),)))
        two_visits = await _ot_total(db)
        ready = second.event.payload
        assert isinstance(ready, ClaimLinesReady)
        async with db.transaction() as session:
            stale = await on_day_judged(
                session, _judged(1, 1, (("97530", 23),)).model_copy(update={"event_id": uuid4()})
            )
        async with db.transaction() as session:
            await on_claim_status_changed(session, _claim_step(second.event, "c-1", 5, "denied", ready.day_key))
        after_denial = await _ot_total(db)

    first_ready = first.event.payload
    assert isinstance(first_ready, ClaimLinesReady)
    # 23 minutes = 2 units, 38 minutes = 3 units of 97530 (CMS Pub. 100-04 Ch. 5 §20.2): the second
    # revision's amount replaces the first instead of adding to it.
    assert one_visit == sum((line.expected_allowed or Decimal(0) for line in first_ready.lines), Decimal(0))
    assert two_visits == sum((line.expected_allowed or Decimal(0) for line in ready.lines), Decimal(0))
    assert two_visits > one_visit > 0
    assert held == [], "a held verdict publishes nothing"
    assert while_held == one_visit, "and leaves the accrual of the day's cleared lines as it was"
    assert (first_ready.version, ready.version, ready.gate_revision) == (1, 2, 3), "the hold took no version"
    assert stale == [], "an older verdict arriving late changes nothing"
    assert after_denial == 0


@pytest.mark.parametrize("backend", BACKENDS)
async def test_each_ready_line_names_the_rendering_provider_of_its_own_encounter(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    """Two therapists saw the patient the same day: the day pools their minutes, and each line keeps the
    therapist of the encounter it came from (so the claim can send 2420A for the second)."""
    on = date(2025, 6, 3)
    first = encounter_received("enc-a", tenant_id=TENANT, patient_key=PATIENT, on=on, lines=(("97530", 30),))
    second = encounter_received("enc-b", tenant_id=TENANT, patient_key=PATIENT, on=on, lines=(("97110", 30),))
    other = Provider(npi="1000000004", role=ProviderRole.OT)
    encounters = [first.payload, second.payload.model_copy(update={"rendering_provider": other})]
    day = units_calculated(encounters, UnitMethod.CMS, CodeCatalog.builtin(on), revision=1, trigger=encounters[0])
    cleared = judged_day(first.follow(day, stage="units"))
    database = isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata)
    async with database as db, db.transaction() as session:
        (ready,) = await on_day_judged(session, cleared)
    payload = ready.event.payload
    assert isinstance(payload, ClaimLinesReady)
    by_encounter = {line.encounter_id: line.rendering_provider_npi for line in payload.lines}
    assert by_encounter == {"enc-a": first.payload.rendering_provider.npi, "enc-b": "1000000004"}
    assert first.payload.rendering_provider.npi != "1000000004"
