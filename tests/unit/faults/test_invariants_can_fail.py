"""Each invariant of the fault suite, fed a run where it is broken on purpose, reports it; fed a sound run,
stays silent. Without this, a suite that prints lost = 0 could be a suite that cannot count."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from tests.faults import invariants
from tests.faults.observe import Observations
from tests.faults.phi import scan_texts
from tests.faults.workload import build

pytestmark = pytest.mark.unit

DAY = "pk-1/2025-11-04/OT/medicare-wps-j5"
THRESHOLD_PAYERS = frozenset({"medicare-wps-j5"})


def _ready(lines: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "day_key": DAY, "version": 1, "patient_key": "pk-1", "payer_id": "medicare-wps-j5", "held_lines": [],
        "billing_provider_npi": "1234567893",
        "lines": [{"line_key": key, "encounter_id": "e1", "expected_allowed": amount} for key, amount in lines],
    }  # fmt: skip


def sound() -> Observations:
    """One encounter, one day, one claim in one file, an accrual equal to the day's line."""
    return Observations(
        accepted={"e1"},
        final_status={"e1": "submitted"},
        day_of_encounter_in_workload={"e1": ("p1", "2025-11-04")},
        units_revisions={DAY: [(1, ("e1",))]},
        ready_newest={DAY: _ready([("e1#1#97110", "31.20")])},
        claims={"C1": (DAY,)},
        clm_segments=Counter({"C1": 1}),
        accruals={"pk-1": {"e1#1#97110": Decimal("31.20")}},
        payload_digests={"ev-1": {"a"}},
        deliveries=Counter({"ev-1": 2}),
        submitted_encounter_ids=Counter({"e1": 1}),
        claim_status_changes=[
            _change(1, "validated", "submitted", "batch", None),
            _change(2, "submitted", "accepted", "277ca", "a" * 64),
        ],
        acknowledgments_ours={("a" * 64, "t1")},
        claim_billed_as={"C1": {("1234567893", "431234567")}},
        registered_identities={("1234567893", "431234567")},
    )


def _change(step: int, before: str, after: str, source: str, digest: str | None) -> dict[str, Any]:
    return {
        "tenant_id": "t1", "claim_id": "C1", "step": step, "from_status": before, "to_status": after,
        "source": source, "acknowledgment_digest": digest,
    }  # fmt: skip


def _all_findings(obs: Observations) -> list[str]:
    lost, twice = invariants.billable_days_without_exactly_one_claim(obs)
    return (
        invariants.encounters_not_final(obs)
        + invariants.encounters_received_other_than_once(obs)
        + invariants.units_days_counted_twice(obs)
        + invariants.units_days_missing_encounters(obs)
        + lost
        + twice
        + invariants.accruals_not_equal_to_billed_lines(obs, THRESHOLD_PAYERS)
        + invariants.events_with_conflicting_copies(obs)
        + invariants.claims_moved_by_acknowledgments_not_addressed_to_them(obs)
        + invariants.claims_with_two_billing_providers(obs)
        + invariants.claims_billed_under_another_identity(obs)
    )


def test_a_sound_run_has_no_findings_and_counts_redeliveries() -> None:
    assert _all_findings(sound()) == []
    assert invariants.redelivered_copies(sound()) == 1


def test_an_encounter_stuck_before_a_final_state_is_lost() -> None:
    obs = sound()
    obs.final_status["e1"] = "ready"
    assert invariants.encounters_not_final(obs) == ["encounter e1 ended ready"]


def test_an_encounter_that_never_entered_or_entered_twice_is_reported() -> None:
    obs = sound()
    obs.submitted_encounter_ids = Counter()
    assert invariants.encounters_received_other_than_once(obs) == ["encounter e1 never entered the pipeline"]
    obs.submitted_encounter_ids = Counter({"e1": 2})
    assert invariants.encounters_received_other_than_once(obs) == [
        "encounter e1 entered the pipeline as 2 distinct events"
    ]


def test_a_day_that_counts_an_encounter_twice_is_a_duplicate() -> None:
    obs = sound()
    obs.units_revisions = {DAY: [(1, ("e1",)), (2, ("e1", "e1"))]}
    found = invariants.units_days_counted_twice(obs)
    assert f"day {DAY} counts an encounter twice" in found
    assert f"day {DAY} is revision 2 of 1 encounters" in found


def test_a_day_missing_one_of_its_encounters_is_lost() -> None:
    obs = sound()
    obs.accepted.add("e2")
    obs.day_of_encounter_in_workload["e2"] = ("p1", "2025-11-04")
    assert invariants.units_days_missing_encounters(obs) == [
        "encounter e1's day does not pool exactly its 2 encounters",
        "encounter e2's day does not pool exactly its 2 encounters",
    ]


def test_a_day_on_two_claims_or_a_claim_in_two_files_is_billed_twice() -> None:
    obs = sound()
    obs.claims["C2"] = (DAY,)
    obs.clm_segments["C2"] = 1
    obs.clm_segments["C1"] = 2
    lost, twice = invariants.billable_days_without_exactly_one_claim(obs)
    assert lost == []
    assert twice == [f"day {DAY} is on claims ['C1', 'C2']", "claim C1 is in the 837P files 2 times"]


def test_a_day_billed_once_per_payer_position_is_not_billed_twice() -> None:
    """The secondary claim (another payer) and a replacement (CLM05-3 7) to the same payer are not duplicates;
    a second original to the same payer is."""
    obs = sound()
    obs.claim_payers = {"C1": "medicare-wps-j5", "C2": "mo-healthnet-ffs", "C3": "medicare-wps-j5"}
    obs.claims["C2"] = (DAY,)
    obs.clm_segments["C2"] = 1
    assert invariants.billable_days_without_exactly_one_claim(obs) == ([], [])
    obs.claims["C3"] = (DAY,)
    obs.clm_segments["C3"] = 1
    obs.claim_frequencies = {"C3": "7"}
    assert invariants.billable_days_without_exactly_one_claim(obs) == ([], [])
    obs.claim_frequencies = {"C3": "1"}
    _, twice = invariants.billable_days_without_exactly_one_claim(obs)
    assert twice == [f"day {DAY} is on claims ['C1', 'C3'] to payer medicare-wps-j5"]


def test_the_frequency_code_and_payer_are_read_from_the_files_and_events(tmp_path: Any) -> None:
    from tests.faults.observe import record_claim_files

    isa = "ISA*00*          *00*          *ZZ*SUB123         *ZZ*CH01           *251104*0900*^*00501*000000001*0*T*:~"
    (tmp_path / "837P-000000001.x12").write_text(isa + "CLM*C3*120***11:B:7*Y*A*Y*Y~CLM*C1*120***11:B:1*Y*A*Y*Y~")
    obs = Observations()
    record_claim_files(obs, tmp_path)
    assert obs.claim_frequencies == {"C3": "7", "C1": "1"}


def test_a_billable_day_without_a_claim_or_a_claim_without_a_file_is_lost() -> None:
    obs = sound()
    obs.clm_segments = Counter()
    lost, _ = invariants.billable_days_without_exactly_one_claim(obs)
    assert lost == ["claim C1 is in no 837P file"]
    obs.claims = {}
    lost, _ = invariants.billable_days_without_exactly_one_claim(obs)
    assert lost == [f"billable day {DAY} has no claim"]


def test_a_held_claim_is_the_days_one_claim_and_needs_no_file() -> None:
    obs = sound()
    obs.claims_held = {"C1"}
    obs.clm_segments = Counter()
    assert invariants.billable_days_without_exactly_one_claim(obs) == ([], [])


def test_a_held_correction_beside_the_sent_claim_bills_nothing_twice() -> None:
    obs = sound()
    obs.claims["C1-correction"] = (DAY,)
    obs.claims_held = {"C1-correction"}
    assert invariants.billable_days_without_exactly_one_claim(obs) == ([], [])


def test_an_accrual_that_counted_a_line_twice_is_a_duplicate() -> None:
    obs = sound()
    obs.accruals["pk-1"] = {"e1#1#97110": Decimal("62.40")}
    assert invariants.accruals_not_equal_to_billed_lines(obs, THRESHOLD_PAYERS) == [
        "beneficiary pk-1 accrued 62.40 for lines billing 31.20"
    ]


def test_two_different_events_under_one_id_mean_work_done_twice() -> None:
    obs = sound()
    obs.payload_digests["ev-1"].add("b")
    assert invariants.events_with_conflicting_copies(obs) == ["event ev-1 exists in 2 different versions"]


def test_a_poison_record_without_its_letter_is_reported() -> None:
    obs = sound()
    at = ("otrcm.encounters.submitted.v1", 3, 41)
    poison = [("malformed JSON", at)]
    assert invariants.poison_without_letter(obs, poison) == [f"malformed JSON at {at} has no dead letter"]
    obs.dead_letters = [{"source_topic": at[0], "source_partition": 3, "source_offset": 41, "reason_code": "X"}]
    assert invariants.poison_without_letter(obs, poison) == []


def test_the_phi_scan_finds_a_generated_name_date_or_member_id_and_nothing_else() -> None:
    workload = build("t", 30)
    patient = workload.patients[0]
    member_id = patient["coverages"][0]["member_id"]
    compact_birth = patient["birth_date"].replace("-", "")
    logs = {
        "clean.log": "units: day pk-1 revision 2 (4 units)",
        "leaky.log": f"name={patient['last_name']} dob={compact_birth} member={member_id}",
    }
    assert scan_texts(logs, workload.phi_sentinels()) == {"leaky.log": 3}


def test_a_claim_moved_by_an_acknowledgment_addressed_to_another_tenant_is_reported() -> None:
    obs = sound()
    obs.claim_status_changes.append(_change(3, "accepted", "rejected", "999", "b" * 64))
    obs.acknowledgments_ours.add(("b" * 64, "t2"))  # that 999 was ours, but for another tenant
    assert invariants.claims_moved_by_acknowledgments_not_addressed_to_them(obs) == [
        f"claim C1 step 3 (accepted -> rejected) by 999 {'b' * 16}, not addressed to tenant t1"
    ]
    obs.claim_status_changes.append(_change(4, "rejected", "accepted", "277ca", None))
    assert "claim C1 step 4 (rejected -> accepted) by a 277ca that names no acknowledgment file" in (
        invariants.claims_moved_by_acknowledgments_not_addressed_to_them(obs)
    )


def test_a_claim_with_two_billing_providers_is_reported() -> None:
    obs = sound()
    obs.claim_billed_as["C1"].add(("1245319599", "437777777"))
    assert invariants.claims_with_two_billing_providers(obs) == ["claim C1 bills under 2 billing providers"]
    obs = sound()
    obs.claims["C1"] = (DAY, "other-day")
    obs.ready_newest["other-day"] = {**_ready([]), "billing_provider_npi": "1245319599"}
    assert invariants.claims_with_two_billing_providers(obs) == ["claim C1 bills under 2 billing providers"]


def test_a_claim_under_another_tenants_npi_or_tax_id_is_reported() -> None:
    obs = sound()
    obs.claim_billed_as["C1"] = {("1234567893", "439999999")}  # the right NPI under someone else's EIN
    assert invariants.claims_billed_under_another_identity(obs) == [
        "claim C1 went out under a billing NPI or tax id not registered to its tenant"
    ]
