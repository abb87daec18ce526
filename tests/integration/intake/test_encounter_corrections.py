"""Corrections and voids of an encounter at the front door and in the import file (issue 19 item 6), on the real
broker and PostgreSQL: each is a new revision of the encounter's event, with who and why kept by intake only; a
correction keeps the billing day and meets every rule of a new encounter; another tenant's encounter is a 404."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from otrcm_intake.adapters.store import encounter_versions
from otrcm_intake.usecases.importer import run_import
from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.topics import ENCOUNTERS_RECEIVED
from tests.integration.intake.conftest import TODAY, Intake
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


def _correction(encounter: dict[str, Any], **note: Any) -> dict[str, Any]:
    return {"corrected_by": "staff-17", "reason": "minutes were 40", "encounter": encounter, **note}


async def _published(intake: Intake, tenant: str, start: dict[Any, int], count: int) -> list[EncounterReceived]:
    def mine(records: list[Any]) -> list[EncounterReceived]:
        events = [Envelope[EncounterReceived].model_validate_json(record.value) for record in records]
        return [event.payload for event in events if event.tenant_id == tenant]

    records = await read_from(intake.settings.kafka_bootstrap, start, until=lambda found: len(mine(found)) >= count)
    return mine(records)


async def test_a_correction_and_a_void_are_new_revisions_with_who_and_why_kept(intake: Intake, tenant: str) -> None:
    clinic = await intake.onboard(tenant)
    start = await end_offsets(intake.settings.kafka_bootstrap, ENCOUNTERS_RECEIVED.name)
    first = clinic.encounter("enc-c")
    assert (await intake.client.post("/v1/encounters", json=first, headers=clinic.headers)).status_code == 202
    fixed = clinic.encounter("enc-c")
    fixed["lines"][0]["minutes"] = 40

    corrected = await intake.client.post("/v1/encounters/enc-c/corrections", json=_correction(fixed),
                                         headers=clinic.headers)  # fmt: skip
    again = await intake.client.post("/v1/encounters/enc-c/corrections", json=_correction(fixed),
                                     headers=clinic.headers)  # fmt: skip
    resent = await intake.client.post("/v1/encounters", json=fixed, headers=clinic.headers)
    void = {"voided_by": "staff-17", "reason": "duplicate visit"}
    voided = await intake.client.post("/v1/encounters/enc-c/void", json=void, headers=clinic.headers)
    late = await intake.client.post("/v1/encounters/enc-c/corrections", json=_correction(fixed), headers=clinic.headers)

    assert (corrected.status_code, corrected.json()["status"]) == (202, "accepted"), corrected.text
    assert again.json()["status"] == "duplicate"
    assert resent.json()["status"] == "duplicate", "the corrected content is now the encounter's"
    assert (voided.status_code, voided.json()["status"]) == (202, "accepted")
    assert late.status_code == 422
    assert ("encounter_id", "encounter.not_voided") in [(e["path"], e["rule"]) for e in late.json()["errors"]]
    published = await _published(intake, tenant, start, 3)
    assert [(e.revision, e.voided, e.lines[0].minutes) for e in published] == [(1, False, 25), (2, False, 40),
                                                                              (3, True, 40)]  # fmt: skip
    async with intake.runtime.db.transaction() as session:
        c = encounter_versions.c
        kept = (await session.execute(select(c.revision, c.changed_by, c.reason).where(c.tenant_id == tenant))).all()
    assert sorted(kept) == [(1, None, None), (2, "staff-17", "minutes were 40"), (3, "staff-17", "duplicate visit")]


async def test_a_correction_keeps_the_billing_day_and_the_rules_and_names_every_problem(
    intake: Intake, tenant: str
) -> None:
    clinic = await intake.onboard(tenant, patients=("mrn-1001", "mrn-2002"))
    assert (
        await intake.client.post("/v1/encounters", json=clinic.encounter("enc-d"), headers=clinic.headers)
    ).status_code == 202
    moved = clinic.encounter("enc-d", patient_id="mrn-2002", date_of_service="2026-03-03")
    moved["lines"][0]["minutes"] = "forty"
    answer = await intake.client.post("/v1/encounters/enc-d/corrections", json=_correction(moved, reason=""),
                                      headers=clinic.headers)  # fmt: skip
    other = clinic.encounter("enc-other")
    wrong_id = await intake.client.post("/v1/encounters/enc-d/corrections", json=_correction(other),
                                        headers=clinic.headers)  # fmt: skip

    assert answer.status_code == 422
    found = {(e["path"], e["rule"]) for e in answer.json()["errors"]}
    assert {
        ("reason", "correction.why"),
        ("encounter.lines.1.minutes", "schema.int_type"),
    } <= found, found
    assert ("encounter.encounter_id", "correction.same_encounter") in {
        (e["path"], e["rule"]) for e in wrong_id.json()["errors"]
    }
    assert "mrn-2002" not in answer.text, "values are never echoed"
    fixed_day = clinic.encounter("enc-d", patient_id="mrn-2002", date_of_service="2026-03-03")
    day_moved = await intake.client.post("/v1/encounters/enc-d/corrections", json=_correction(fixed_day),
                                         headers=clinic.headers)  # fmt: skip
    assert {(e["path"], e["rule"]) for e in day_moved.json()["errors"]} == {
        ("encounter.patient_id", "correction.same_billing_day"),
        ("encounter.date_of_service", "correction.same_billing_day"),
    }


async def test_another_tenants_encounter_is_not_found(intake: Intake, tenant: str) -> None:
    owner = await intake.onboard(tenant)
    intruder = await intake.onboard(tenant + "-other")
    assert (
        await intake.client.post("/v1/encounters", json=owner.encounter("enc-e"), headers=owner.headers)
    ).status_code == 202
    void = {"voided_by": "x", "reason": "y"}
    theirs = await intake.client.post("/v1/encounters/enc-e/void", json=void, headers=intruder.headers)
    missing = await intake.client.post("/v1/encounters/enc-none/void", json=void, headers=owner.headers)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


async def test_the_import_file_corrects_and_voids(intake: Intake, tenant: str, tmp_path: Path) -> None:
    clinic = await intake.onboard(tenant)
    for encounter_id in ("enc-f", "enc-g"):
        posted = await intake.client.post("/v1/encounters", json=clinic.encounter(encounter_id), headers=clinic.headers)
        assert posted.status_code == 202
    fixed = clinic.encounter("enc-f")
    fixed["lines"][0]["minutes"] = 40
    rows = [
        {"record_type": "encounter_correction", **_correction(fixed)},
        {"record_type": "encounter_void", "encounter_id": "enc-g", "voided_by": "staff-17", "reason": "not seen"},
        {"record_type": "encounter_void", "encounter_id": "enc-none", "voided_by": "staff-17", "reason": "x"},
    ]
    path = tmp_path / "fixes.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    report = tmp_path / "report.jsonl"
    settings = intake.settings.model_copy(update={"business_date": TODAY})

    assert await run_import(settings, path, tenant, report) == 1
    [refused] = [json.loads(line) for line in report.read_text().splitlines()]
    assert (refused["row"], refused["errors"][0]["rule"]) == (3, "encounter.exists")
    async with intake.runtime.db.transaction() as session:
        c = encounter_versions.c
        kept = (await session.execute(select(c.encounter_id, c.revision).where(c.tenant_id == tenant))).all()
    assert sorted(kept) == [("enc-f", 1), ("enc-f", 2), ("enc-g", 1), ("enc-g", 2)]
