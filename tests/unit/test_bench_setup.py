"""The benchmark's set-up is what intake's front door asks for: patients it can record, encounters under
the registered billing NPI for recorded patients with coverage by the encounter's payer, and what each
payer of the mix needs on file (a certified plan covering every Medicare day, an authorization covering
every MO HealthNet day, prior spend near the threshold for some Medicare patients); the group count
attributes groups to services by their members' client ids; ``make bench`` runs issue 18's sizes."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from otrcm_intake.domain.identifiers import is_mbi, npi_check_digit_is_valid
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
    TherapySpendSubmission,
)
from otrcm_shared.refdata import PayerProfiles
from otrcm_shared.runtime.settings import RuntimeSettings
from tests.bench.claims_batch import batch_rows
from tests.bench.common import ROOT
from tests.bench.enroll import patient_ids, topic_of
from tests.bench.groups import groups_by_service
from tests.bench.payer_mix import (
    DEFAULT_MIX,
    OT_THRESHOLD_2025,
    PAYERS,
    PayerMix,
    build_submissions,
    encounter_payloads,
    records_of,
)
from tests.bench.run import parse
from tests.bench.services import Services
from tests.support.intake_samples import fresh_npi

pytestmark = pytest.mark.unit

MIX = PayerMix.parse(DEFAULT_MIX)
BODY = {
    "/v1/patients": PatientSubmission,
    "/v1/plans-of-care": PlanOfCareSubmission,
    "/v1/authorizations": AuthorizationSubmission,
}


def _records(patient: int) -> dict[str, dict]:
    """Patient ``patient``'s records by kind, each read by the model its route reads."""
    found = {}
    for path, body in records_of(patient, MIX.payer_of(patient)):
        if path.endswith("/events"):
            found["event"] = PlanEventSubmission.model_validate(body).model_dump()
        elif path.endswith("/therapy-spend"):
            found["spend"] = TherapySpendSubmission.model_validate(body).model_dump()
        else:
            found[path] = BODY[path].model_validate(body).model_dump()
    return found


def test_every_encounter_names_a_recorded_patient_covered_by_its_payer_under_the_registered_npi() -> None:
    npi = fresh_npi()
    assert npi_check_digit_is_valid(npi)
    patients = patient_ids(601)
    recorded = {p: _records(i)["/v1/patients"] for i, p in enumerate(patients)}
    submissions = build_submissions("bench-t", 601, npi, MIX)
    for key, value, _encounter_id in submissions:
        payload = json.loads(value)["payload"]
        assert payload["billing_provider_npi"] == npi
        assert key == f"bench-t:{payload['patient_id']}".encode()
        patient = recorded[payload["patient_id"]]
        assert payload["payer_id"] in {coverage["payer_id"] for coverage in patient["coverages"]}
    assert {json.loads(v)["payload"]["patient_id"] for _, v, _ in submissions} == set(recorded)


def test_the_mix_spreads_patients_by_its_shares_and_medicare_members_have_mbis() -> None:
    payers = PayerProfiles.builtin(date(2025, 6, 1))
    counts = MIX.patients_per_payer(400)
    expected = {PAYERS["medicare"]: 200, PAYERS["mo-healthnet"]: 100, PAYERS["commercial"]: 100}
    assert set(counts) == set(expected)
    assert all(abs(counts[p] - n) <= 2 for p, n in expected.items()), counts
    assert all(payer in payers for payer in counts)
    for i in range(400):
        (coverage,) = _records(i)["/v1/patients"]["coverages"]
        assert is_mbi(coverage["member_id"]) == (coverage["payer_id"] == PAYERS["medicare"])
    members = {_records(i)["/v1/patients"]["coverages"][0]["member_id"] for i in range(400)}
    assert len(members) == 400
    assert PayerMix.parse("commercial=100").patients_per_payer(10) == {PAYERS["commercial"]: 10}
    for bad in ("medicare=50,commercial=40", "cigna=100", "medicare"):
        with pytest.raises(ValueError, match="payer mix"):
            PayerMix.parse(bad)


def test_each_payers_days_are_covered_by_what_is_on_file() -> None:
    """Medicare: a plan evaluated before the first day, certified within 30 days, every day within its
    duration and 90 days, at most 10 treatment days (no progress report due); MO HealthNet: an
    authorization whose dates and visits cover every day; half the Medicare patients start near the KX
    threshold; every encounter attests medical necessity and, with the NCCI pair, distinct time blocks."""
    days: dict[str, list[date]] = {}
    payloads = encounter_payloads(1200, fresh_npi(), MIX)
    for payload in payloads:
        days.setdefault(payload.patient_id, []).append(payload.date_of_service)
        assert payload.attestations.medical_necessity_documented
        codes = {line.code for line in payload.lines}
        assert payload.attestations.distinct_time_blocks == ({"97140", "97530"} <= codes)
    spends = Counter()
    for i, patient in enumerate(patient_ids(1200)):
        records, payer, dates = _records(i), MIX.payer_of(i), days[patient]
        assert dates == sorted(set(dates))
        assert dates[0].year == dates[-1].year
        if payer == PAYERS["medicare"]:
            plan, event = records["/v1/plans-of-care"], records["event"]
            assert plan["patient_id"] == patient
            assert event["kind"] == "certified"
            assert event["certifier_npi"]
            assert plan["evaluation_date"] < dates[0]
            assert event["event_date"] <= plan["evaluation_date"] + timedelta(days=30)
            assert dates[-1] < plan["evaluation_date"] + timedelta(days=min(plan["duration_days"], 90))
            assert len(dates) + 1 <= 10
            if "spend" in records:
                spend = records["spend"]
                assert spend["year"] == dates[0].year
                assert spend["as_of"] < dates[0]
                assert OT_THRESHOLD_2025 - Decimal(500) < spend["amount"] < OT_THRESHOLD_2025
                spends["seeded"] += 1
            spends["medicare"] += 1
        elif payer == PAYERS["mo-healthnet"]:
            auth = records["/v1/authorizations"]
            assert auth["payer_id"] == payer
            assert auth["patient_id"] == patient
            assert auth["unit"] == "visits"
            assert auth["start_date"] <= dates[0]
            assert dates[-1] <= auth["end_date"]
            assert auth["authorized"] >= len(dates)
        else:
            assert set(records) == {"/v1/patients"}
    assert 0 < spends["seeded"] < spends["medicare"]


def test_each_record_route_names_the_topic_it_publishes_on() -> None:
    assert topic_of("/v1/patients") == "otrcm.patients.recorded.v1"
    assert topic_of("/v1/plans-of-care/poc-1/events") == "otrcm.plans-of-care.recorded.v1"
    assert topic_of("/v1/patients/mrn-1/therapy-spend") == "otrcm.therapy-spend.recorded.v1"
    assert topic_of("/v1/authorizations") == "otrcm.authorizations.recorded.v1"


def test_make_bench_runs_the_issue_sizes_with_a_hook_for_shorter_runs() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^bench:.*\n\t(.*)$", makefile, re.MULTILINE)
    assert recipe is not None
    assert "$(BENCH_ARGS)" in recipe.group(1)
    assert "--encounters" not in recipe.group(1)
    assert re.search(r"^BENCH_ARGS \?=", makefile, re.MULTILINE)
    defaults = parse([])
    assert (defaults.encounters, defaults.rate, defaults.duration) == (20_000, 200.0, 60.0)
    assert str(defaults.payer_mix) == DEFAULT_MIX
    short = parse(["--encounters", "2000", "--payer-mix", "commercial=100"])
    assert short.encounters == 2000
    assert short.payer_mix.describe() == "commercial 100%"


def test_groups_are_counted_per_service_only_when_they_have_members() -> None:
    described = [
        ("otrcm.intake", "Stable", ["otrcm-intake"]),
        ("otrcm.intake_status_held", "Empty", []),
        ("otrcm.claims", "Stable", ["otrcm-claims"]),
        ("otrcm.claims_billing_providers", "Stable", ["otrcm-claims", "otrcm-claims"]),
        ("someone-else", "Stable", ["otrcm-units"]),
    ]
    assert groups_by_service(described) == {
        "claims": ["otrcm.claims", "otrcm.claims_billing_providers"],
        "intake": ["otrcm.intake"],
    }


def test_service_settings_reach_every_process_and_bad_ones_are_refused() -> None:
    args = parse(["--service-env", "OTRCM_CONSUMER_FETCH_MIN_BYTES=1", "--service-env", "OTRCM_LOG_LEVEL=INFO"])
    services = Services(ROOT / "var" / "unused", settings=dict(args.service_env))
    env = services.env()
    assert env["OTRCM_CONSUMER_FETCH_MIN_BYTES"] == "1"
    assert env["OTRCM_LOG_LEVEL"] == "INFO"  # a run's own setting wins over the bench's default
    assert services.env(extra_instance=True)["OTRCM_CONSUMER_FETCH_MIN_BYTES"] == "1"
    for bad in ("CONSUMER_FETCH_MIN_BYTES=1", "OTRCM_LOG_LEVEL"):
        with pytest.raises(SystemExit):
            parse(["--service-env", bad])


def test_the_services_own_claims_batch_stays_out_of_a_run_and_part_10_reports_it() -> None:
    env = Services(ROOT / "var" / "unused").env()
    assert float(env["OTRCM_CLAIMS_BATCH_INTERVAL_S"]) >= 3600  # longer than any timed window of the bench
    assert "batch" in parse(["--skip", "batch"]).skip
    measured = {"exit_code": 0, "claims_validated": 2000, "claims_submitted": 2000, "claims_held": 0,
                "interchanges": 3, "seconds": 20.0, "cpu_seconds": 18.0, "cpu_ms_per_claim": 9.0,
                "claims_per_second": 100.0, "peak_rss_mb": 300.0, "rss_under_target": False}  # fmt: skip
    first, second = batch_rows(measured)
    assert first[2] == "2,000: 20.0 / 100.0"
    assert second[2] == "18.0 / 9.0 / 300"
    assert second[3] == "RSS <250 MISSED"
    assert batch_rows(None) == []


def test_a_postgresql_run_has_schemas_of_its_own_and_a_sqlite_run_its_own_files() -> None:
    first = Services(ROOT / "var" / "bench" / "run-20261201-034912-postgres", database_url="postgresql+asyncpg://x/y")
    second = Services(ROOT / "var" / "bench" / "run-20261201-041500-postgres", database_url="postgresql+asyncpg://x/y")
    suffixes = {s.env()["OTRCM_DATABASE_SCHEMA_SUFFIX"] for s in (first, second)}
    assert suffixes == {"bench_run_20261201_034912_postgres", "bench_run_20261201_041500_postgres"}
    assert all(RuntimeSettings(database_schema_suffix=suffix) for suffix in suffixes)  # the setting's pattern
    assert first.env(extra_instance=True)["OTRCM_DATABASE_SCHEMA_SUFFIX"] == "bench_run_20261201_034912_postgres"
    assert "OTRCM_DATABASE_SCHEMA_SUFFIX" not in Services(ROOT / "var" / "unused").env()


def test_the_scale_out_part_names_where_its_batch_ran() -> None:
    measured = {"exit_code": 0, "claims_validated": 10, "claims_submitted": 10, "claims_held": 0,
                "interchanges": 1, "seconds": 1.0, "cpu_seconds": 1.0, "cpu_ms_per_claim": 100.0,
                "claims_per_second": 10.0, "peak_rss_mb": 100.0, "rss_under_target": True}  # fmt: skip
    first, second = batch_rows(measured, part="", after="the 1-instance run (PostgreSQL)")
    assert first[0] == ""
    assert "after the 1-instance run (PostgreSQL)" in first[1]
    assert second[3] == "RSS <250 met"
