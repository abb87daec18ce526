"""What the run left behind, gathered once at the end: every event of the tenant on the pipeline's topics,
the accruals in the modifiers schema, the CLM segments of every 837P file, each encounter's status."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from otrcm_shared.topics import (
    CLAIM_LINES_READY,
    CLAIM_STATUS,
    DAY_VERDICTS,
    DEAD_LETTERS,
    ENCOUNTERS_RECEIVED,
    ENCOUNTERS_UNITS_CALCULATED,
)

WATCHED = (
    ENCOUNTERS_RECEIVED.name,
    ENCOUNTERS_UNITS_CALCULATED.name,
    DAY_VERDICTS.name,
    CLAIM_LINES_READY.name,
    CLAIM_STATUS.name,
    DEAD_LETTERS.name,
)
# the claim steps that put a claim on the books: sent in an 837P, or held for a biller
CLAIM_ON_THE_BOOKS = frozenset({"submitted", "held"})


@dataclass
class Observations:
    """Plain data the invariant checks read; nothing here talks to a broker or a database."""

    accepted: set[str] = field(default_factory=set)
    final_status: dict[str, str] = field(default_factory=dict)
    day_of_encounter_in_workload: dict[str, tuple[str, str]] = field(default_factory=dict)  # eid -> (patient, date)
    units_revisions: dict[str, list[tuple[int, tuple[str, ...]]]] = field(default_factory=dict)
    ready_newest: dict[str, dict[str, Any]] = field(default_factory=dict)
    claims: dict[str, tuple[str, ...]] = field(default_factory=dict)  # claim id -> day keys (submitted or held)
    claims_held: set[str] = field(default_factory=set)
    claim_payers: dict[str, str] = field(default_factory=dict)  # claim id -> the payer it bills (its events')
    claim_frequencies: dict[str, str] = field(default_factory=dict)  # CLM01 -> CLM05-3 (1 original, 7, 8)
    clm_segments: Counter[str] = field(default_factory=Counter)  # CLM01 -> times seen in 837P files
    accruals: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # patient key -> line key -> amount
    dead_letters: list[dict[str, Any]] = field(default_factory=list)
    payload_digests: dict[str, set[str]] = field(default_factory=dict)  # event id -> digests of its copies
    deliveries: Counter[str] = field(default_factory=Counter)  # event id -> copies on its topic
    submitted_encounter_ids: Counter[str] = field(default_factory=Counter)  # encounters.received, distinct ids
    # claims.claim_status_changes of the tenant: claim_id, step, from/to status, source, acknowledgment_digest
    claim_status_changes: list[dict[str, Any]] = field(default_factory=list)
    acknowledgments_ours: set[tuple[str, str]] = field(default_factory=set)  # (digest, tenant) matched as ours
    # CLM01 -> every (billing NPI, EIN) of the 2010AA loop it sat under, over all 837P files
    claim_billed_as: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    registered_identities: set[tuple[str, str]] = field(default_factory=set)  # the tenant's (NPI, EIN)


def record_events(observations: Observations, records: list[Any], tenant: str, poison_positions: set[Any]) -> None:
    """Fold raw Kafka records of the watched topics into ``observations`` (only this tenant's, plus the dead
    letters of the poison records, which carry no tenant when the bytes were not even JSON)."""
    newest_ready: dict[str, dict[str, Any]] = {}
    revisions: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    for record in records:
        envelope = json.loads(record.value)
        payload = envelope["payload"]
        if record.topic == DEAD_LETTERS.name:
            source = (payload["source_topic"], payload["source_partition"], payload["source_offset"])
            if envelope["tenant_id"] == tenant or source in poison_positions:
                observations.dead_letters.append(payload)
            continue
        if envelope["tenant_id"] != tenant:
            continue
        event_id = envelope["event_id"]
        observations.deliveries[event_id] += 1
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        observations.payload_digests.setdefault(event_id, set()).add(digest)
        if record.topic == ENCOUNTERS_RECEIVED.name and observations.deliveries[event_id] == 1:
            observations.submitted_encounter_ids[payload["encounter_id"]] += 1
        elif record.topic == ENCOUNTERS_UNITS_CALCULATED.name:
            revisions[payload["day_key"]][payload["revision"]] = tuple(e["encounter_id"] for e in payload["encounters"])
        elif record.topic == CLAIM_LINES_READY.name:
            if payload["version"] >= newest_ready.get(payload["day_key"], {}).get("version", 0):
                newest_ready[payload["day_key"]] = payload
        elif record.topic == CLAIM_STATUS.name and payload["status"] in CLAIM_ON_THE_BOOKS:
            observations.claims[payload["claim_id"]] = tuple(payload["day_keys"])
            observations.claim_payers[payload["claim_id"]] = payload["payer_id"]
            if payload["status"] == "held":
                observations.claims_held.add(payload["claim_id"])
    observations.ready_newest = newest_ready
    observations.units_revisions = {day: sorted(found.items()) for day, found in revisions.items()}


def record_claim_files(observations: Observations, outbox: Path) -> None:
    """Count each claim's CLM segment over every interchange file written (a claim in two files is billed
    twice), and note the billing provider (2010AA NM1*85 NPI, REF*EI) each claim sat under."""
    for path in sorted(outbox.glob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        terminator = text[105] if len(text) > 105 else "~"  # ISA is fixed width: its last character ends segments
        separator = text[3] if len(text) > 3 else "*"
        component = text[104] if len(text) > 104 else ":"  # ISA16
        npi = ein = ""
        for segment in text.split(terminator):
            elements = segment.strip().split(separator)
            if elements[:2] == ["NM1", "85"] and len(elements) > 9:
                npi, ein = elements[9], ""
            elif elements[:2] == ["REF", "EI"] and len(elements) > 2:
                ein = elements[2]
            elif elements[0] == "CLM" and len(elements) > 1:
                observations.clm_segments[elements[1]] += 1
                facility = elements[5].split(component) if len(elements) > 5 else []
                if len(facility) > 2:
                    observations.claim_frequencies[elements[1]] = facility[2]
                observations.claim_billed_as.setdefault(elements[1], set()).add((npi, ein))


def record_accruals(observations: Observations, rows: list[tuple[str, dict[str, Any]]]) -> None:
    """(beneficiary key, stored state) rows of the tenant's accruals."""
    for beneficiary, state in rows:
        amounts: dict[str, Decimal] = {}
        for day in state.get("days", ()):
            for line in day["lines"]:
                amounts[line["line_key"]] = amounts.get(line["line_key"], Decimal(0)) + Decimal(line["amount"])
        observations.accruals[beneficiary] = amounts


def record_acknowledgments(
    observations: Observations, changes: list[dict[str, Any]], ours: list[tuple[str, str]]
) -> None:
    """The claims' status history and which acknowledgment files were matched to which tenant
    (``tests.faults.foreign_acks.acknowledgment_rows``)."""
    observations.claim_status_changes = list(changes)
    observations.acknowledgments_ours = set(ours)
