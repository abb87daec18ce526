"""The main job end to end on the real broker and PostgreSQL: the five services as processes, the sample
practice through the intake API, and every outcome checked against the rules by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from typing import Any
from uuid import uuid4

import pytest

from tests.support.infra import ROOT

pytestmark = pytest.mark.e2e

FINAL = {"held", "claim_held", "submitted", "accepted", "rejected", "paid", "partially_paid", "denied"}


@pytest.fixture(scope="module")
def facts(kafka_bootstrap: str, postgres_base_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("main-job") / "facts.json"
    tenant = f"gateway-e2e-{uuid4().hex[:6]}"  # event ids derive from the tenant: a fresh one per run
    env = {**os.environ, "OTRCM_KAFKA_BOOTSTRAP": kafka_bootstrap, "OTRCM_DATABASE_URL": postgres_base_url}
    run = subprocess.run(
        [sys.executable, "-m", "deploy.local.main_job", "--tenant", tenant, "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    loaded: dict[str, Any] = json.loads(out.read_text())
    loaded["stdout"] = run.stdout
    return loaded


def _lines(facts: dict[str, Any], encounter_id: str) -> list[tuple[str, tuple[str, ...], int]]:
    return sorted(
        (line["code"], tuple(line["modifiers"]), line["units"])
        for day in facts["ready_days"].values()
        for line in day["lines"]
        if line["encounter_id"] == encounter_id
    )


def _held(facts: dict[str, Any], encounter_id: str) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (line["code"], tuple(line["reasons"]))
        for day in facts["ready_days"].values()
        for line in day["held_lines"]
        if line["encounter_id"] == encounter_id
    ]


def test_bad_records_are_refused_at_the_door_with_their_rules(facts: dict[str, Any]) -> None:
    assert facts["rejected"] == {
        "gw-bad-01": "npi.check_digit",
        "gw-bad-02": "code.in_catalog",
        "gw-bad-03": "date_of_service.not_future",
        "gw-bad-04": "minutes.assistant_within_line",
        "gw-bad-05": "diagnosis_pointer.in_range",
        "gw-bad-06": "payer.known",
    }


def test_every_accepted_encounter_reaches_a_final_state(facts: dict[str, Any]) -> None:
    assert len(facts["final"]) == 115
    assert {status for status in facts["final"].values()} <= FINAL


def test_the_authorization_for_six_visits_holds_the_seventh_and_eighth(facts: dict[str, Any]) -> None:
    held = {eid: codes for eid, codes in facts["held_codes"].items() if eid.startswith("gw-e-1004-")}
    assert held == {"gw-e-1004-07": ["AUTH_EXHAUSTED"], "gw-e-1004-08": ["AUTH_EXHAUSTED"]}


def test_the_expired_plan_is_recertified_and_its_visits_released(facts: dict[str, Any]) -> None:
    visits = {eid: status for eid, status in facts["final"].items() if eid.startswith("gw-e-1008-")}
    assert len(visits) == 6
    assert "held" not in visits.values()


def test_assistant_minutes_put_co_on_the_lines_they_furnished(facts: dict[str, Any]) -> None:
    """30 and 15 minutes, all by the OTA: above 10% on both codes (Pub. 100-04 Ch. 5 §20.1)."""
    assert _lines(facts, "gw-e-1006-01") == [("97110", ("GO", "CO"), 2), ("97535", ("GO", "CO"), 1)]


def test_97140_with_97530_needs_distinct_time_blocks(facts: dict[str, Any]) -> None:
    """NCCI pair 97140/97530, indicator 1: XU on 97530 with the attestation (Medicare's choice of X{EPSU}),
    held without it."""
    assert _lines(facts, "gw-e-1006-02") == [("97140", ("GO",), 1), ("97530", ("GO", "XU"), 2)]
    assert _lines(facts, "gw-e-1006-03") == [("97140", ("GO",), 1)]
    assert _held(facts, "gw-e-1006-03") == [("97530", ("NCCI_PAIR_NOT_DISTINCT",))]


def test_same_day_visits_pool_their_minutes(facts: dict[str, Any]) -> None:
    """10 min of 97110 in the morning and 12 of 97535 in the afternoon: 22 minutes, 1 unit, to 97535
    (the larger leftover; Pub. 100-04 Ch. 5 §20.2). Both visits bill on the day's one claim."""
    assert _lines(facts, "gw-e-1001-am") == []
    assert _lines(facts, "gw-e-1001-pm") == [("97535", ("GO",), 1)]
    assert facts["final"]["gw-e-1001-am"] == facts["final"]["gw-e-1001-pm"]


def test_kx_with_the_attestation_and_a_hold_without_it(facts: dict[str, Any]) -> None:
    """Both neuro patients pass the 2025 OT threshold ($2,410) in December."""
    attested = [m for eid in facts["final"] if eid.startswith("gw-e-1002-") for _, m, _ in _lines(facts, eid)]
    assert any("KX" in modifiers for modifiers in attested)
    unattested = [codes for eid, codes in facts["held_codes"].items() if eid.startswith("gw-e-1003-")]
    assert unattested
    assert all(codes == ["KX_NEEDS_ATTESTATION"] for codes in unattested)


def test_a_neuro_day_pools_84_minutes_into_6_units(facts: dict[str, Any]) -> None:
    """97530 38 + 97110 23 + 97535 23 = 84 minutes: 6 units (83-97). Full units 2 + 1 + 1; the two left
    go to the largest leftovers, an 8-8-8 tie the clinician may resolve (Pub. 100-04 Ch. 5 §20.2)."""
    units = sum(units for _, _, units in _lines(facts, "gw-e-1002-01"))
    assert units == 6


def test_exactly_one_claim_per_billable_patient_day(facts: dict[str, Any]) -> None:
    billable = {key for key, day in facts["ready_days"].items() if day["lines"]}
    assert billable
    assert facts["claims_by_day"] == dict.fromkeys(billable, 1)


def test_every_837p_file_passes_pyx12(facts: dict[str, Any]) -> None:
    assert facts["files"]
    assert all(ok for _, ok in facts["files"])
    assert Counter(facts["final"].values())["submitted"] + Counter(facts["final"].values())["accepted"] > 0
