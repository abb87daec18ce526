"""The main job end to end on the real broker and PostgreSQL: the five services as processes, the sample
practice through the intake API, and every outcome checked against the rules by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from tests.support import medicare_2026 as m26
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
    """Both neuro patients pass the 2026 OT threshold ($2,480) in October."""
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


# --- 2026: the figures below are computed from the cited sources (tests/support/medicare_2026.py) ---


def _neuro_day(locality: str) -> list[tuple[str, int, Decimal]]:
    """97530 38 + 97110 23 + 97535 23 min = 6 units, allocated 3 / 2 / 1 (see above); 97530 holds the day's
    highest-PE unit (PE 0.60 against 0.41 and 0.51), so its first unit is paid in full, every other at 50% PE."""
    return [
        ("97530", 3, m26.line("97530", 3, locality, full_pe_unit=True)),
        ("97110", 2, m26.line("97110", 2, locality, full_pe_unit=False)),
        ("97535", 1, m26.line("97535", 1, locality, full_pe_unit=False)),
    ]


def _first_kx_line(locality: str) -> tuple[int, str]:
    """(treatment day, code) of the first line decided KX: the evaluation (97167) and then daily neuro days
    accrue; the total is provisional (GPCIs carried forward), so a total within 5% below $2,480 counts as
    crossing (kx_provisional_margin): the first line whose running total reaches $2,356.00."""
    margin_floor = m26.OT_THRESHOLD_2026 * (1 - m26.KX_MARGIN)
    total = m26.line("97167", 1, locality, full_pe_unit=True)
    for day in range(1, 35):
        for code, _, amount in _neuro_day(locality):
            total += amount
            if total >= margin_floor:
                return day, code
    raise AssertionError("the sample never reaches the threshold")


def test_2026_neuro_days_are_priced_from_rvu26c_and_the_2025_gpcis(facts: dict[str, Any]) -> None:
    """St. Louis (MO-01): 97530 (0.44 + 0.60 x 0.952 + 0.01 x 0.994) x 33.4009 in full, then two units at
    half PE; 97110 and 97535 at half PE. Rolla (MO-99) with 0.859 / 0.974."""
    for encounter_id, locality in (("gw-e-1002-01", "MO-01"), ("gw-e-1003-01", "MO-99")):
        priced = sorted(
            (line["code"], line["units"], Decimal(line["expected_allowed"]))
            for day in facts["ready_days"].values()
            for line in day["lines"]
            if line["encounter_id"] == encounter_id
        )
        assert priced == sorted(_neuro_day(locality))
    assert _neuro_day("MO-01")[0][2] == Decimal("83.24")  # 2.49222 x 33.4009 = 83.2424...


def test_kx_starts_on_the_day_the_2026_total_reaches_the_threshold_margin(facts: dict[str, Any]) -> None:
    """Attested (MO-01): the first KX line is where the hand-computed running total first reaches $2,356;
    before it no line of that patient carries KX. Not attested (MO-99): from that line on, lines are held."""
    day, code = _first_kx_line("MO-01")
    assert (day, code) == (16, "97530")  # 98.19 + 15 x 150.47 = 2,355.24, just under; + 83.24 crosses
    for n in range(1, 35):
        modifiers = {c: m for c, m, _ in _lines(facts, f"gw-e-1002-{n:02d}")}
        assert ("KX" in modifiers["97530"]) is (n >= day), n
    held_day, held_code = _first_kx_line("MO-99")
    assert (held_day, held_code) == (16, "97110")  # 93.65 + 15 x 144.63 + 79.49 = 2,342.59; + 42.47 reaches it
    assert _lines(facts, "gw-e-1003-16") == [("97530", ("GO",), 3)]
    assert sorted(code for code, _ in _held(facts, "gw-e-1003-16")) == ["97110", "97535"]
    held = sorted(eid for eid in facts["held_codes"] if eid.startswith("gw-e-1003-"))
    assert held == [f"gw-e-1003-{n:02d}" for n in range(held_day + 1, 35)]


def test_the_assistant_visit_is_priced_at_85_percent_with_mppr(facts: dict[str, Any]) -> None:
    """97110 2 units CO and 97535 1 unit CO at MO-01: 97535 holds the day's highest PE (0.51 > 0.41)."""
    priced = {
        line["code"]: Decimal(line["expected_allowed"])
        for day in facts["ready_days"].values()
        for line in day["lines"]
        if line["encounter_id"] == "gw-e-1006-01"
    }
    share = Decimal("0.85")
    assert priced == {
        "97110": m26.line("97110", 2, "MO-01", full_pe_unit=False, share=share),
        "97535": m26.line("97535", 1, "MO-01", full_pe_unit=True, share=share),
    }


def test_medicare_estimates_are_provisional_on_the_2025_gpcis_and_the_report_says_so(facts: dict[str, Any]) -> None:
    medicare, other = [], []
    for day in facts["ready_days"].values():
        for line in day["lines"]:
            (medicare if day["payer_id"] == "medicare-wps-j5" else other).append(line)
    assert medicare
    assert all(line["expected_provisional"] for line in medicare)
    for line in medicare:
        carried = [(u["dataset"], u["version"], u["year"]) for u in line["expected_basis"] if u["provisional"]]
        assert carried == [("medicare_gpci", "2025", 2026)]
    assert not any(line["expected_provisional"] for line in other)
    assert facts["provisional_lines"] == [["medicare_gpci", "2025", 2026, len(medicare)]]
    assert facts["missing_datasets"] == [["medicare_gpci", 2026, "2025"]]
    assert "reference data missing for the dates billed" in facts["stdout"]
    assert f"{len(medicare)} lines priced with medicare_gpci 2025, carried forward to 2026" in facts["stdout"]
    alerts = [a for a in facts["alerts"] if a[0] == "REFERENCE_DATA_PROVISIONAL"]
    assert [subject for _, subject, _ in alerts] == ["reference-data/medicare_gpci/2026"]
