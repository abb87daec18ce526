"""The console's own rules: roles, the inactivity limit, the worklist's filters as API parameters, and the fix
actions as the requests they send to the intake API (an httpx mock stands in for it)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from otrcm_console.adapters.api_client import IntakeApi
from otrcm_console.domain.roles import Permission, may
from otrcm_console.domain.sessions import expired
from otrcm_console.domain.worklist_filters import PAGE_SIZE, WorklistFilters
from otrcm_console.usecases import fixes
from otrcm_console.usecases.views import fix_for

pytestmark = pytest.mark.unit


def test_each_role_may_what_it_is_for() -> None:
    assert may("biller", Permission.FIX)
    assert not may("biller", Permission.APPROVE)
    assert may("supervisor", Permission.APPROVE)
    assert not may("supervisor", Permission.MANAGE_USERS)
    assert all(may("admin", permission) for permission in Permission)
    assert not may("intruder", Permission.READ)


def test_a_session_expires_at_the_inactivity_limit() -> None:
    seen = datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert not expired(seen, seen + timedelta(minutes=14, seconds=59), timedelta(minutes=15))
    assert expired(seen, seen + timedelta(minutes=15), timedelta(minutes=15))


def test_worklist_filters_keep_only_well_shaped_values_and_become_api_parameters() -> None:
    chosen = WorklistFilters.read({"payer_id": "medicare-wps-j5", "reason": "POC_MISSING", "location_id": "MO 01",
                                   "min_age_days": "30", "after": "abc_-1"})  # fmt: skip
    assert chosen.location_id is None, "a space is not in an id"
    params = chosen.api_params(date(2026, 11, 20))
    assert params == {"limit": PAGE_SIZE, "payer_id": "medicare-wps-j5", "reason": "POC_MISSING", "after": "abc_-1",
                      "held_before": "2026-10-22"}  # fmt: skip
    assert chosen.links() == {"payer_id": "medicare-wps-j5", "reason": "POC_MISSING", "min_age_days": "30"}
    assert WorklistFilters.read({"min_age_days": "-3", "reason": "poc'; drop"}) == WorklistFilters()


def test_each_hold_names_the_fix_that_releases_it() -> None:
    assert fix_for("POC_MISSING") == fix_for("POC_NOT_CERTIFIED") == "certification"
    assert fix_for("KX_NEEDS_ATTESTATION") == "attestation"
    assert fix_for("NCCI_PAIR_NOT_DISTINCT") == "distinct-time-blocks"
    assert fix_for("AUTH_EXHAUSTED") == "authorization"
    assert fix_for("MUE_EXCEEDED") is None


class _Door:
    """Records each request and answers 202, or the record of an encounter."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.sent.append((request.method, request.url.path, body))
        if request.url.path.endswith("/record"):
            encounter = {"encounter_id": "e-1", "patient_id": "mrn-1", "attestations": {"distinct_time_blocks": False}}
            return httpx.Response(200, json={"revision": 1, "voided": False, "encounter": encounter})
        if body and body.get("certifier_credential") == "DC":
            error = {"path": "certifier_credential", "rule": "certifier.credential_allowed", "message": "no"}
            return httpx.Response(422, json={"errors": [error]})
        return httpx.Response(202, json={"status": "accepted"})


@pytest.fixture
def door() -> _Door:
    return _Door()


def _api(door: _Door) -> IntakeApi:
    return IntakeApi(
        "http://intake.test", httpx.AsyncClient(transport=httpx.MockTransport(door), base_url="http://intake.test")
    )


async def test_a_certification_of_a_plan_never_entered_records_the_plan_first(door: _Door) -> None:
    form = {"plan_id": "new", "new_plan_id": "poc-9", "evaluation_date": "2026-10-01", "plan_duration_days": "60",
            "kind": "certified", "event_date": "2026-10-02", "certifier_npi": "1339485728",
            "certifier_credential": "MD"}  # fmt: skip
    answer = await fixes.certify(_api(door), "k", "mrn-1", form)
    assert answer.ok
    assert door.sent == [
        ("POST", "/v1/plans-of-care", {"patient_id": "mrn-1", "evaluation_date": "2026-10-01", "plan_id": "poc-9",
                                       "duration_days": 60}),
        ("POST", "/v1/plans-of-care/poc-9/events", {"kind": "certified", "event_date": "2026-10-02",
                                                    "certifier_npi": "1339485728", "certifier_credential": "MD"}),
    ]  # fmt: skip


async def test_a_refused_fix_brings_the_apis_errors_back(door: _Door) -> None:
    answer = await fixes.certify(_api(door), "k", "mrn-1", {"plan_id": "poc-1", "certifier_credential": "DC",
                                                             "duration_days": "ninety"})  # fmt: skip
    assert answer.status == 422
    assert [error["rule"] for error in answer.errors] == ["certifier.credential_allowed"]
    assert door.sent[0][2]["duration_days"] == "ninety", "sent as typed: the API names what is wrong"


async def test_an_attestation_is_a_correction_of_the_encounter_as_last_accepted(door: _Door) -> None:
    answer = await fixes.attest(_api(door), "k", "e-1", "distinct-time-blocks", "bea", {"reason": "note p.2"})
    assert answer.ok
    method, path, body = door.sent[-1]
    assert (method, path) == ("POST", "/v1/encounters/e-1/corrections")
    assert body["corrected_by"] == "bea"
    assert body["reason"] == "note p.2"
    assert body["encounter"]["attestations"] == {"distinct_time_blocks": True}
