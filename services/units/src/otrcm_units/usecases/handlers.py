"""Use case: an encounter arrives; recompute its whole billing day and publish the day's new revision.

A correction (a newer ``revision`` of the encounter) replaces the earlier version in its day; a voided one stays
in the day, marked, and bills no line (a day of voided encounters only bills nothing, and its claim is voided
downstream). An older revision arriving after a newer one changes nothing."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.events.revision import supersedes
from otrcm_shared.refdata import CodeCatalog, NoVersionInEffect, PayerProfiles, UnknownPayer
from otrcm_shared.runtime.consumer import RecordRejected
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import ENCOUNTERS_UNITS_CALCULATED, TopicSpec, partition_key
from otrcm_units.adapters import store
from otrcm_units.domain import UnitMethod, UnitsError
from otrcm_units.usecases.translate import billing_day_key, units_calculated

PUBLISHES: tuple[TopicSpec, ...] = (ENCOUNTERS_UNITS_CALCULATED,)  # the topics this module stages outbox rows for

STAGE = "units"


async def on_encounter_received(session: AsyncSession, event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
    encounter = event.payload
    on = encounter.date_of_service
    try:
        profile = PayerProfiles.builtin(on).get(encounter.payer_id)
        catalog = CodeCatalog.builtin(on)
    except UnknownPayer as error:
        raise RecordRejected("PAYER_UNKNOWN", str(error), ["payer.known"]) from None
    except NoVersionInEffect as error:
        raise RecordRejected("REFERENCE_DATA_MISSING", str(error)) from None

    day_key = billing_day_key(encounter)
    before = await store.encounters_of_day(session, event.tenant_id, day_key)
    held = next((kept.revision for kept in before if kept.encounter_id == encounter.encounter_id), None)
    if not supersedes(encounter.revision, held):
        return []  # an older version of the encounter, arriving late: the newer one stands (docs/adr/010)
    revision = await store.next_revision(session, event.tenant_id, day_key)
    await store.record_encounter(session, event.tenant_id, day_key, revision, encounter)  # a void: kept, marked
    encounters = [encounter if kept.encounter_id == encounter.encounter_id else kept for kept in before]
    encounters += [] if held is not None else [encounter]  # a new one arrives last (the day's arrival order)
    try:
        payload = units_calculated(encounters, UnitMethod(profile.unit_method), catalog, revision, encounter)
    except UnitsError as error:
        raise RecordRejected("UNITS_INPUT_INVALID", str(error), [error.rule]) from None
    outgoing = event.follow(payload, stage=STAGE, subject=day_key)
    return [Outgoing(ENCOUNTERS_UNITS_CALCULATED, partition_key(event.tenant_id, encounter.patient_key), outgoing)]
