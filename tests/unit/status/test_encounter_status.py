"""The status rules, table-driven: every transition of the table, and the late and out-of-order reads the
one-stream-per-entity contracts exist for (docs/adr/010, 011)."""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce

import pytest

from otrcm_status.domain.day_facts import ClaimFact, DayFacts, GateFact, LinesFact, Reason, UnitsFact
from otrcm_status.domain.encounter_status import (
    BEFORE_CLAIM,
    LEFT,
    TRANSITIONS,
    Derived,
    Status,
    derive,
    may_move,
    next_status,
)

pytestmark = pytest.mark.unit

S = Status
DAY = DayFacts(day_key="pk/2026-03-02/ot/medicare", patient_key="pk")
POC_MISSING = Reason(code="POC_MISSING", message="no plan of care covers the date of service")
KX = Reason(code="KX_NEEDS_ATTESTATION", message="above the threshold", rule_id="kx", action="attest", line="e1#1")


def units(revision: int, *ids: str) -> UnitsFact:
    return UnitsFact(revision=revision, encounter_ids=ids or ("e1",), total_units=3)


def gate(revision: int, units_revision: int = 1, *, cleared: bool, ids: tuple[str, ...] = ("e1",)) -> GateFact:
    reasons = () if cleared else (POC_MISSING,)
    return GateFact(
        revision=revision, units_revision=units_revision, cleared=cleared, released=cleared and revision > 1,
        encounter_ids=ids, reasons=reasons,
    )  # fmt: skip


def lines(version: int, *, ready: tuple[str, ...] = ("e1",), held: dict[str, tuple[Reason, ...]] | None = None,
          ids: tuple[str, ...] = ("e1",), units_revision: int = 1, gate_revision: int = 1) -> LinesFact:  # fmt: skip
    keys = tuple(r.line or "" for rs in (held or {}).values() for r in rs)
    return LinesFact(
        version=version, units_revision=units_revision, gate_revision=gate_revision, encounter_ids=ids,
        ready_ids=ready, held=held or {}, held_line_keys=keys,
    )  # fmt: skip


def claim(revision: int, status: str, claim_id: str = "C1", ids: tuple[str, ...] = ("e1",)) -> ClaimFact:
    return ClaimFact(claim_id=claim_id, revision=revision, status=status, encounter_ids=ids, reasons=())


Step = Callable[[DayFacts], DayFacts | None]


def read(*steps: Step) -> DayFacts:
    """The day after reading ``steps`` in this order (a step that is not newer leaves the day as it was)."""
    return reduce(lambda day, step: step(day) or day, steps, DAY)


def status_of(day: DayFacts, encounter_id: str = "e1") -> Status:
    return derive(day)[encounter_id].status


# ---- the transition table, every pair ----------------------------------------------------------------------

ALLOWED = [(a, b) for a in Status for b in Status if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a in Status for b in Status if b not in TRANSITIONS[a] and a is not b]


@pytest.mark.parametrize(("current", "derived"), ALLOWED)
def test_every_move_the_table_allows_is_taken(current: Status, derived: Status) -> None:
    assert may_move(current, derived)
    assert next_status(current, Derived(derived)) == Derived(derived)


@pytest.mark.parametrize(("current", "derived"), REFUSED)
def test_every_move_the_table_refuses_is_not_taken(current: Status, derived: Status) -> None:
    assert not may_move(current, derived)
    assert next_status(current, Derived(derived)) is None


def test_the_table_never_takes_a_claim_that_left_back_to_a_stage_of_the_day() -> None:
    assert all(TRANSITIONS[status] <= LEFT for status in LEFT)
    assert all(S.RECEIVED not in TRANSITIONS[status] for status in Status)
    assert not TRANSITIONS[S.CLAIM_HELD] & (BEFORE_CLAIM - {S.READY})
    assert set(TRANSITIONS) == set(Status), "every status has a row"


# ---- the rules, in order --------------------------------------------------------------------------------

RULES = [
    ("units only", [lambda d: d.with_units(units(1))], S.UNITS_CALCULATED),
    ("held by the gate", [lambda d: d.with_units(units(1)), lambda d: d.with_gate(gate(1, cleared=False))], S.HELD),
    ("cleared by the gate", [lambda d: d.with_units(units(1)), lambda d: d.with_gate(gate(1, cleared=True))],
     S.CLEARED),
    ("ready lines", [lambda d: d.with_gate(gate(1, cleared=True)), lambda d: d.with_lines(lines(1))], S.READY),
    ("every line held", [lambda d: d.with_lines(lines(1, ready=(), held={"e1": (KX,)}))], S.HELD),
    ("claim built reads ready", [lambda d: d.with_lines(lines(1)), lambda d: d.with_claim(claim(1, "built"))],
     S.READY),
    ("claim held", [lambda d: d.with_lines(lines(1)), lambda d: d.with_claim(claim(1, "held"))], S.CLAIM_HELD),
    ("claim paid", [lambda d: d.with_claim(claim(1, "submitted")), lambda d: d.with_claim(claim(2, "paid"))], S.PAID),
    ("a new units revision re-opens a cleared day",
     [lambda d: d.with_gate(gate(1, cleared=True)), lambda d: d.with_units(units(2, "e1", "e2"))],
     S.UNITS_CALCULATED),
    ("a verdict read before its units", [lambda d: d.with_gate(gate(1, cleared=False))], S.HELD),
]  # fmt: skip


@pytest.mark.parametrize(("steps", "expected"), [(s, e) for _, s, e in RULES], ids=[n for n, _, _ in RULES])
def test_each_rule_gives_its_status(steps: list[Step], expected: Status) -> None:
    assert status_of(read(*steps)) is expected


# ---- late and out-of-order reads -------------------------------------------------------------------------


def test_a_release_read_before_the_hold_it_replaced_stays_cleared() -> None:
    in_order = read(lambda d: d.with_gate(gate(1, cleared=False)), lambda d: d.with_gate(gate(2, cleared=True)))
    reversed_ = read(lambda d: d.with_gate(gate(2, cleared=True)), lambda d: d.with_gate(gate(1, cleared=False)))
    assert status_of(in_order) is status_of(reversed_) is S.CLEARED
    assert derive(reversed_)["e1"].detail == {"gate_revision": 2, "released": True}
    assert DAY.with_gate(gate(2, cleared=True)).with_gate(gate(1, cleared=False)) is None  # type: ignore[union-attr]


def test_a_ready_read_after_the_claim_was_held_leaves_it_claim_held() -> None:
    day = read(lambda d: d.with_claim(claim(1, "held")), lambda d: d.with_lines(lines(1)))
    assert status_of(day) is S.CLAIM_HELD
    assert derive(day)["e1"].claim_id == "C1"


def test_a_submitted_read_after_the_rejected_a_reversal_undid_is_submitted() -> None:
    """Claim C1: 1 submitted, 2 rejected, 3 submitted again (an administrator reversed the rejection)."""
    day = read(lambda d: d.with_claim(claim(3, "submitted")), lambda d: d.with_claim(claim(2, "rejected")),
               lambda d: d.with_claim(claim(1, "submitted")))  # fmt: skip
    assert status_of(day) is S.SUBMITTED
    assert day.claims["C1"].revision == 3
    assert next_status(S.REJECTED, derive(day)["e1"]) is not None, "the table lets a reversal through"


def test_a_late_submitted_does_not_undo_a_rejection() -> None:
    day = read(lambda d: d.with_claim(claim(2, "rejected")), lambda d: d.with_claim(claim(1, "submitted")))
    assert status_of(day) is S.REJECTED


def test_an_encounter_pooled_into_a_day_whose_every_line_is_held_is_held_with_the_days_reasons() -> None:
    day = read(lambda d: d.with_lines(lines(1, ready=(), held={"e1": (KX,)}, ids=("e1", "e2"))))
    pooled = derive(day)["e2"]
    assert pooled.status is S.HELD
    assert [r["code"] for r in pooled.detail["reasons"]] == ["KX_NEEDS_ATTESTATION"]  # type: ignore[attr-defined]
    assert pooled.reason_codes == ("KX_NEEDS_ATTESTATION",)


def test_an_encounter_pooled_into_a_billable_day_is_ready() -> None:
    day = read(lambda d: d.with_lines(lines(1, ready=("e1",), ids=("e1", "e2"))))
    assert status_of(day, "e2") is S.READY


def test_a_day_that_changes_after_its_claim_left_keeps_the_claims_encounters_and_opens_the_new_one() -> None:
    day = read(lambda d: d.with_units(units(1, "e1")), lambda d: d.with_gate(gate(1, cleared=True)),
               lambda d: d.with_lines(lines(1)), lambda d: d.with_claim(claim(1, "submitted")),
               lambda d: d.with_units(units(2, "e1", "e2")), lambda d: d.with_gate(gate(2, 2, cleared=False,
                                                                                    ids=("e1", "e2"))))  # fmt: skip
    statuses = {eid: d.status for eid, d in derive(day).items()}
    assert statuses == {"e1": S.SUBMITTED, "e2": S.HELD}
    assert next_status(S.SUBMITTED, Derived(S.HELD)) is None, "even a day rule cannot take it back"


def test_lines_of_an_older_verdict_give_way_to_the_newer_hold() -> None:
    day = read(lambda d: d.with_gate(gate(1, cleared=True)), lambda d: d.with_lines(lines(1, gate_revision=1)),
               lambda d: d.with_gate(gate(2, cleared=False)))  # fmt: skip
    assert status_of(day) is S.HELD


def test_a_live_claim_wins_over_a_held_correction_and_a_v2_step_over_one_stored_from_a_retired_v1_topic() -> None:
    """Days stored before ADR 010 step 5 may hold a claim step read from a ``.v1`` claims topic (contract 1):
    it still loads, and the claim's ``.v2`` step replaces it whatever the two revisions."""
    v1_submitted = claim(2, "submitted", "C1").model_copy(update={"contract": 1})
    day = read(lambda d: d.with_claim(v1_submitted), lambda d: d.with_claim(claim(1, "held", "C2")))
    assert derive(day)["e1"].claim_id == "C1"
    stored = DayFacts.model_validate_json(day.model_dump_json())
    v2 = stored.with_claim(claim(1, "accepted", "C1"))
    assert v2 is not None
    assert v2.claims["C1"].status == "accepted"
    v1_late = claim(5, "paid", "C1").model_copy(update={"contract": 1})
    assert v2.with_claim(v1_late) is None, "an older contract never replaces the claim's own stream"


def test_a_redelivered_fact_changes_nothing() -> None:
    day = read(lambda d: d.with_units(units(1)))
    assert day.with_units(units(1)) is None
    assert day.with_lines(lines(1)) is not None
