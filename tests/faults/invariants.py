"""The invariants the fault suite holds the pipeline to, as pure functions of the run's observations.

Each returns its findings (empty when the invariant holds), one short line each, naming ids only.
Findings are sorted into the table's columns: *lost* (something accepted never arrived), *duplicates*
(something was counted, billed or accrued twice) and *identity* (a claim under the wrong billing
provider, or moved by an acknowledgment that was not addressed to its tenant).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from tests.faults.observe import Observations

ACKNOWLEDGMENT_SOURCES = frozenset({"999", "277ca", "835"})
FINAL = frozenset({"held", "claim_held", "submitted", "accepted", "rejected", "paid", "partially_paid", "denied"})


def encounters_not_final(obs: Observations) -> list[str]:
    """Lost: every accepted encounter reaches a final state."""
    return sorted(
        f"encounter {eid} ended {obs.final_status.get(eid, 'unseen')}"
        for eid in obs.accepted
        if obs.final_status.get(eid) not in FINAL
    )


def encounters_received_other_than_once(obs: Observations) -> list[str]:
    """Lost when 0, duplicated when >1: each accepted encounter enters the pipeline as exactly one event."""
    found = [
        f"encounter {eid} never entered the pipeline" for eid in obs.accepted if eid not in obs.submitted_encounter_ids
    ]
    found += [
        f"encounter {eid} entered the pipeline as {count} distinct events"
        for eid, count in obs.submitted_encounter_ids.items()
        if count > 1
    ]
    return sorted(found)


def units_days_counted_twice(obs: Observations) -> list[str]:
    """Duplicates: a day's revisions are 1..n, one per distinct encounter, and no encounter counts twice."""
    found = []
    for day_key, revisions in obs.units_revisions.items():
        numbers = [number for number, _ in revisions]
        newest = revisions[-1][1]
        if numbers != list(range(1, len(numbers) + 1)):
            found.append(f"day {day_key} has revisions {numbers}")
        if len(newest) != len(set(newest)):
            found.append(f"day {day_key} counts an encounter twice")
        if len(set(newest)) != revisions[-1][0]:
            found.append(f"day {day_key} is revision {revisions[-1][0]} of {len(set(newest))} encounters")
    return found


def units_days_missing_encounters(obs: Observations) -> list[str]:
    """Lost: the newest revision of each day holds every accepted encounter of that patient and date."""
    expected: dict[tuple[str, str], set[str]] = defaultdict(set)
    for eid in obs.accepted:
        if eid in obs.day_of_encounter_in_workload:
            expected[obs.day_of_encounter_in_workload[eid]].add(eid)
    seen: dict[str, set[str]] = {}
    for revisions in obs.units_revisions.values():
        newest = set(revisions[-1][1])
        for eid in newest:
            seen[eid] = newest
    found = []
    for encounters in expected.values():
        for eid in encounters:
            if seen.get(eid) != encounters:
                found.append(f"encounter {eid}'s day does not pool exactly its {len(encounters)} encounters")
    return sorted(found)


def billable_days_without_exactly_one_claim(obs: Observations) -> tuple[list[str], list[str]]:
    """(lost, duplicates): every billable patient-day is on a claim, sent as an original at most once per payer
    position (a secondary claim to the next payer is not a duplicate; a replacement or void, CLM05-3 7 or 8, is
    not a second original; a held claim, such as a correction waiting for a biller, bills nothing), and each
    sent claim's CLM is in exactly one 837P file once."""
    claims_of_day: dict[str, list[str]] = defaultdict(list)
    for claim_id, day_keys in obs.claims.items():
        for day_key in day_keys:
            claims_of_day[day_key].append(claim_id)
    billable = {day_key for day_key, day in obs.ready_newest.items() if day["lines"]}
    lost = [f"billable day {d} has no claim" for d in sorted(billable) if not claims_of_day.get(d)]
    twice = []
    for day_key, claim_ids in sorted(claims_of_day.items()):
        originals: dict[str, list[str]] = defaultdict(list)  # payer (or "" when unknown) -> original claims
        for claim_id in sorted(set(claim_ids) - obs.claims_held):
            if obs.claim_frequencies.get(claim_id, "1") not in ("7", "8"):
                originals[obs.claim_payers.get(claim_id, "")].append(claim_id)
        for payer, sent in sorted(originals.items()):
            if len(sent) > 1:
                twice.append(f"day {day_key} is on claims {sent}" + (f" to payer {payer}" if payer else ""))
    twice += [f"claim {c} is in the 837P files {n} times" for c, n in sorted(obs.clm_segments.items()) if n > 1]
    submitted = set(obs.claims) - obs.claims_held
    lost += [f"claim {c} is in no 837P file" for c in sorted(submitted) if obs.clm_segments[c] == 0]
    return lost, twice


def accruals_not_equal_to_billed_lines(obs: Observations, threshold_payers: frozenset[str]) -> list[str]:
    """Duplicates (or losses): each beneficiary's accrual is exactly the expected amounts of the lines its
    newest ready days bill, line for line."""
    expected: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for day in obs.ready_newest.values():
        if day["payer_id"] not in threshold_payers:
            continue
        for line in day["lines"]:
            if line["expected_allowed"] is not None:
                expected[day["patient_key"]][line["line_key"]] = Decimal(str(line["expected_allowed"]))
    found = []
    for patient_key in sorted(set(expected) | {k for k, v in obs.accruals.items() if v}):
        accrued, billed = obs.accruals.get(patient_key, {}), expected.get(patient_key, {})
        if accrued != billed:
            total_a, total_b = sum(accrued.values(), Decimal(0)), sum(billed.values(), Decimal(0))
            found.append(f"beneficiary {patient_key} accrued {total_a} for lines billing {total_b}")
    return found


def events_with_conflicting_copies(obs: Observations) -> list[str]:
    """Duplicates: an event id redelivered is fine, but every copy must carry the same payload (a second,
    different event under one id means a consumer did its work twice)."""
    return sorted(
        f"event {eid} exists in {len(d)} different versions" for eid, d in obs.payload_digests.items() if len(d) > 1
    )


def redelivered_copies(obs: Observations) -> int:
    """How many extra copies of events the topics carry (absorbed by the consumers' inboxes)."""
    return sum(count - 1 for count in obs.deliveries.values() if count > 1)


def poison_without_letter(obs: Observations, poison: list[tuple[str, tuple[str, int, int]]]) -> list[str]:
    """Lost: every poison record has a dead letter with a reason, at its own position."""
    letters = Counter(
        (d["source_topic"], d["source_partition"], d["source_offset"]) for d in obs.dead_letters if d["reason_code"]
    )
    return [f"{kind} at {position} has no dead letter" for kind, position in poison if letters[position] == 0]


def claims_moved_by_acknowledgments_not_addressed_to_them(obs: Observations) -> list[str]:
    """Wrongly moved: every status change made by an acknowledgment names the file (its digest), and that
    file was matched as addressed to the claim's tenant (a 999, 277CA or 835 for another submitter with
    colliding control numbers must change nothing)."""
    found = []
    for change in obs.claim_status_changes:
        if change["source"] not in ACKNOWLEDGMENT_SOURCES:
            continue
        where = f"claim {change['claim_id']} step {change['step']} ({change['from_status']} -> {change['to_status']})"
        digest = change.get("acknowledgment_digest")
        if not digest:
            found.append(f"{where} by a {change['source']} that names no acknowledgment file")
        elif (digest, change["tenant_id"]) not in obs.acknowledgments_ours:
            found.append(f"{where} by {change['source']} {digest[:16]}, not addressed to tenant {change['tenant_id']}")
    return sorted(found)


def claims_with_two_billing_providers(obs: Observations) -> list[str]:
    """Wrong identity: every claim carries the lines of one billing provider (its days' billing NPI, and the
    2010AA loop it was written under in every 837P file)."""
    found = []
    for claim_id, day_keys in sorted(obs.claims.items()):
        npis = {obs.ready_newest[day]["billing_provider_npi"] for day in day_keys if day in obs.ready_newest}
        npis |= {npi for npi, _ in obs.claim_billed_as.get(claim_id, set())}
        if len(npis) > 1:
            found.append(f"claim {claim_id} bills under {len(npis)} billing providers")
    return found


def claims_billed_under_another_identity(obs: Observations) -> list[str]:
    """Wrong identity: every 837P billing provider (NPI and tax id) of the tenant's claims is one the tenant
    registered."""
    return [
        f"claim {claim_id} went out under a billing NPI or tax id not registered to its tenant"
        for claim_id in sorted(obs.claims)
        if obs.claim_billed_as.get(claim_id, set()) - obs.registered_identities
    ]
