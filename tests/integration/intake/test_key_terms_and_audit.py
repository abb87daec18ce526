"""Keys' terms and the access audit on real PostgreSQL (issue 17): an expired key answers 401 and one lacking
the route's scope 403 naming it; a rotated key works through its grace days, then is refused; keys made before
scopes keep their powers; every read of a patient's details leaves an audit row (no PHI in it) that
``otrcm-intake audit`` lists; another tenant's patient answers 404 exactly as a missing one."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert, select

from otrcm_intake.adapters.keys import create_key, hash_key, key_id, keys_of
from otrcm_intake.adapters.store import api_keys, encounters
from otrcm_intake.domain.key_terms import Scope
from otrcm_intake.entrypoints.cli import main
from otrcm_intake.settings import IntakeSettings
from otrcm_intake.usecases import admin
from tests.integration.intake.conftest import TODAY, BusinessDay, Intake, running_intake
from tests.support.intake_samples import SAMPLE_MBI, patient

pytestmark = pytest.mark.integration


@pytest.fixture
def day() -> BusinessDay:
    return BusinessDay(TODAY)


@pytest.fixture
async def clocked(
    kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path, day: BusinessDay
) -> AsyncIterator[Intake]:
    """Intake on the business date ``day``, which the test moves."""
    async with running_intake(kafka_bootstrap, postgres_base_url, tmp_path, day) as running:
        yield running


async def key_with(intake: Intake, tenant: str, *scopes: Scope, expires_on: date | None = None) -> dict[str, str]:
    async with intake.runtime.db.transaction() as session:
        return {"X-API-Key": await create_key(session, tenant, frozenset(scopes), expires_on)}


def rule_of(response: httpx.Response) -> str:
    [problem] = response.json()["errors"]
    return str(problem["rule"])


async def test_an_expired_key_answers_401_and_a_key_lacking_the_scope_403_naming_it(
    clocked: Intake, day: BusinessDay, tenant: str
) -> None:
    clinic = await clocked.onboard(tenant)
    reader = await key_with(clocked, tenant, Scope.READ)
    submitter = await key_with(clocked, tenant, Scope.SUBMIT)

    refused = await clocked.client.post("/v1/encounters", json=clinic.encounter("e-scope"), headers=reader)
    assert (refused.status_code, rule_of(refused)) == (403, "auth.scope.submit"), refused.text
    assert "'submit'" in refused.json()["errors"][0]["message"]
    async with clocked.runtime.db.transaction() as session:
        kept = await session.scalar(select(encounters.c.encounter_id).where(encounters.c.tenant_id == tenant))
    assert kept is None, "a refused submission stores nothing"
    unread = await clocked.client.get("/v1/patients/mrn-1001", headers=submitter)
    assert (unread.status_code, rule_of(unread)) == (403, "auth.scope.read")
    assert (await clocked.client.get("/v1/patients", headers=reader)).status_code == 200
    bearer = {"Authorization": f"Bearer {reader['X-API-Key']}"}
    assert (await clocked.client.get("/v1/patients/mrn-1001", headers=bearer)).status_code == 200

    expiring = await key_with(clocked, tenant, Scope.READ, expires_on=TODAY + timedelta(days=1))
    assert (await clocked.client.get("/v1/patients", headers=expiring)).status_code == 200
    day.day = TODAY + timedelta(days=1)
    expired = await clocked.client.get("/v1/patients", headers=expiring)
    assert (expired.status_code, rule_of(expired)) == (401, "auth.key_expired")
    assert (await clocked.client.get("/v1/patients", headers=reader)).status_code == 200, "only that key expired"


async def test_a_rotated_key_works_through_its_grace_days_then_is_refused(
    clocked: Intake, day: BusinessDay, tenant: str, postgres_base_url: str
) -> None:
    old = await clocked.key_for(tenant)
    [listed] = await _keys(clocked, tenant)
    settings = IntakeSettings(database_url=postgres_base_url, business_date=TODAY)
    assert await admin.rotate_key(settings, f"{tenant}-other", listed["id"], grace_days=2) is None, "not theirs"
    new_key = await admin.rotate_key(settings, tenant, listed["id"], grace_days=2)
    assert new_key is not None
    assert new_key != old["X-API-Key"]
    new = {"X-API-Key": new_key}

    for offset, old_works in ((0, True), (1, True), (2, False)):
        day.day = TODAY + timedelta(days=offset)
        answer = await clocked.client.get("/v1/patients", headers=old)
        assert answer.status_code == (200 if old_works else 401), (offset, answer.text)
        assert (await clocked.client.get("/v1/patients", headers=new)).status_code == 200, offset
    assert rule_of(await clocked.client.get("/v1/patients", headers=old)) == "auth.key_expired"

    by_id = {entry["id"]: entry for entry in await _keys(clocked, tenant)}
    new_id = key_id(hash_key(new_key))
    assert by_id[listed["id"]]["replaced_by"] == new_id
    assert by_id[listed["id"]]["expires_on"] == (TODAY + timedelta(days=2)).isoformat()
    assert (by_id[new_id]["scopes"], by_id[new_id]["expires_on"]) == (["submit", "read"], None)
    later = IntakeSettings(database_url=postgres_base_url, business_date=TODAY + timedelta(days=2))
    assert await admin.rotate_key(later, tenant, listed["id"], grace_days=2) is None, "an expired key is not rotated"


async def test_a_key_made_before_scopes_keeps_submit_and_read_but_not_admin(intake: Intake, tenant: str) -> None:
    secret = f"otrcm_legacy-{tenant}"
    async with intake.runtime.db.transaction() as session:  # as the table held keys before terms were kept
        await session.execute(
            insert(api_keys).values(
                key_hash=hash_key(secret), tenant_id=tenant, key_prefix=secret[:12], created_at=datetime.now(UTC)
            )
        )
    legacy = {"X-API-Key": secret}
    posted = await intake.client.post("/v1/patients", json=patient("mrn-legacy"), headers=legacy)
    assert posted.status_code == 202, posted.text
    assert (await intake.client.get("/v1/patients/mrn-legacy", headers=legacy)).status_code == 200
    [listed] = await _keys(intake, tenant)
    assert (listed["scopes"], listed["expires_on"]) == (["submit", "read"], None)


async def test_patient_reads_show_the_minimum_are_audited_and_the_cli_lists_them(
    intake: Intake, tenant: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic = await intake.onboard(tenant)
    [listed] = await _keys(intake, tenant)
    read = await intake.client.get("/v1/patients/mrn-1001", headers=clinic.headers)
    assert read.status_code == 200, read.text
    assert read.json() == {
        "patient_id": "mrn-1001",
        "first_name": "Ada",
        "last_name": "Quill",
        "birth_date": "1948-05-17",
        "coverages": [
            {
                "payer_id": "medicare-wps-j5",
                "plan_type": "medicare",
                "member_id": "*" * (len(SAMPLE_MBI) - 4) + SAMPLE_MBI[-4:],
                "effective_from": None,
                "effective_to": None,
            }
        ],
        "complete": True,
    }
    assert [text for text in (SAMPLE_MBI, "Elm St") if text in read.text] == [], "no whole member id, no address"
    ids = await intake.client.get("/v1/patients", params={"limit": 1}, headers=clinic.headers)
    assert ids.json() == {"patient_ids": ["mrn-1001"], "limit": 1, "offset": 0, "next_offset": None}
    intruder = await intake.onboard(f"{tenant}-x", patients=())
    assert (await intake.client.get("/v1/patients/mrn-1001", headers=intruder.headers)).status_code == 404

    monkeypatch.setenv("OTRCM_DATABASE_URL", intake.settings.database_url or "")
    assert await audit_cli(["audit", "--tenant", tenant, "--since", "2000-01-01"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["route"], r["resource_kind"], r["resource_id"]) for r in rows] == [
        ("/v1/patients/{patient_id}", "patient", "mrn-1001"),
        ("/v1/patients", "patient-ids", None),
    ]
    assert {(r["tenant_id"], r["key_id"]) for r in rows} == {(tenant, listed["id"])}
    printed = json.dumps(rows)
    assert all(value not in printed for value in ("Ada", "Quill", "1948", SAMPLE_MBI[-4:])), "no PHI in the audit"
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    assert await audit_cli(["audit", "--tenant", tenant, "--since", tomorrow]) == 0
    assert capsys.readouterr().out == ""
    assert await audit_cli(["audit", "--tenant", intruder.tenant_id, "--since", "2000-01-01"]) == 0
    assert capsys.readouterr().out == "", "a 404 read nothing, so nothing is audited"


async def test_another_tenants_patient_answers_404_exactly_as_a_missing_one(intake: Intake, tenant: str) -> None:
    owner = await intake.onboard(tenant)
    intruder = await intake.onboard(f"{tenant}-x", patients=())
    theirs = await intake.client.get("/v1/patients/mrn-1001", headers=intruder.headers)
    missing = await intake.client.get("/v1/patients/mrn-none", headers=owner.headers)
    assert (theirs.status_code, theirs.json()) == (404, missing.json()) == (404, {"errors": [
        {"path": "patient_id", "rule": "patient.exists", "message": "no such patient", "severity": "error"}
    ]})  # fmt: skip
    assert (await intake.client.get("/v1/patients", headers=intruder.headers)).json()["patient_ids"] == []

    changed = patient(last_name="Quill-Ray", coverages=[{"payer_id": "medicare-wps-j5", "member_id": SAMPLE_MBI,
                      "effective_from": "2025-01-01", "effective_to": "2026-12-31"}])  # fmt: skip
    assert (await intake.client.post("/v1/patients", json=changed, headers=owner.headers)).status_code == 202
    shown = (await intake.client.get("/v1/patients/mrn-1001", headers=owner.headers)).json()
    assert shown["last_name"] == "Quill-Ray"
    assert (shown["coverages"][0]["effective_from"], shown["coverages"][0]["effective_to"]) == (
        "2025-01-01",
        "2026-12-31",
    )


async def audit_cli(argv: list[str]) -> int:
    """``otrcm-intake audit`` as an operator runs it (its own event loop, so in a thread here)."""
    return await asyncio.to_thread(main, argv)


async def _keys(intake: Intake, tenant: str) -> list[dict[str, object]]:
    async with intake.runtime.db.transaction() as session:
        return await keys_of(session, tenant)
