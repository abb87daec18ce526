"""The fault suite reads claims from ``otrcm.claims.status-changed.v2`` (the ``.v1`` claims topics are retired,
docs/adr/010): a claim is on the books once submitted or held, held claims are told apart, other steps and
other tenants' claims are not counted, and every topic it reads back is a registered one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from otrcm_shared.topics import CLAIM_STATUS, DAY_VERDICTS, REGISTRY, RETIRED
from tests.faults.observe import WATCHED, Observations, record_events

pytestmark = pytest.mark.unit


@dataclass(frozen=True)
class Record:
    topic: str
    value: bytes


def _step(event_id: str, claim_id: str, status: str, tenant: str = "t1") -> Record:
    payload: dict[str, Any] = {
        "claim_id": claim_id, "status": status, "day_keys": [f"{claim_id}-day"], "payer_id": "medicare-wps-j5",
    }  # fmt: skip
    envelope = {"event_id": event_id, "tenant_id": tenant, "payload": payload}
    return Record(CLAIM_STATUS.name, json.dumps(envelope).encode())


def test_claims_are_read_from_the_claim_stream() -> None:
    observations = Observations()
    records = [
        _step("e1", "C1", "built"),
        _step("e2", "C1", "validated"),
        _step("e3", "C1", "submitted"),
        _step("e4", "C1", "accepted"),
        _step("e5", "C2", "built"),
        _step("e6", "C2", "held"),
        _step("e7", "C3", "built"),
        _step("e8", "C9", "submitted", tenant="t2"),
    ]
    record_events(observations, records, "t1", set())
    assert observations.claims == {"C1": ("C1-day",), "C2": ("C2-day",)}
    assert observations.claims_held == {"C2"}
    assert observations.claim_payers == {"C1": "medicare-wps-j5", "C2": "medicare-wps-j5"}
    assert sum(observations.deliveries.values()) == 7, "every copy of the tenant's events is counted"


def test_the_topics_read_back_are_registered_and_none_is_retired() -> None:
    assert set(WATCHED) <= set(REGISTRY)
    assert not set(WATCHED) & set(RETIRED)
    assert {CLAIM_STATUS.name, DAY_VERDICTS.name} <= set(WATCHED)
