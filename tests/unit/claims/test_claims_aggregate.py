"""The ``Claim`` aggregate, table-driven: every transition it allows, every one it refuses, the corrections
of ADR 008 and the administrator's reversal; each step is one ``ClaimStatusChanged`` numbered in order."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from otrcm_claims.adapters.claim_events import events_of
from otrcm_claims.domain.claim_aggregate import Claim, ClaimFacts, LastStep, Remitted, ReversalRefused, StatusStep
from otrcm_claims.domain.lifecycle import ClaimState, InvalidTransition
from otrcm_shared.events.claim_status import ClaimStatus

pytestmark = pytest.mark.unit

S = ClaimState
BILLING_NPI = "1234567893"
FACTS = ClaimFacts(
    "t-1", "C1", "pk-1", "medicare-wps-j5", ("pk-1/2025-03-14/OT",), ("enc-1",), Decimal("100"), 7, BILLING_NPI
)
DIGEST = "ab" * 32

Move = Callable[[Claim], list[StatusStep]]
MOVES: dict[str, Move] = {
    "build": lambda c: c.build(),
    "hold": lambda c: c.hold(["payer-setup: none"], "held/d@1"),
    "validate": lambda c: c.validate(7),
    "submit": lambda c: c.submit(["submitted in interchange 000000007"]),
    "accept 999": lambda c: c.accept("999", DIGEST, "999/x", []),
    "accept 277ca": lambda c: c.accept("277ca", DIGEST, "277ca/x", ["277CA STC A1:20"]),
    "accept 835": lambda c: c.accept("835", DIGEST, "835/x", ["835 reversal"]),
    "reject 999": lambda c: c.reject("999", DIGEST, "999/x", ["999 AK9 R"]),
    "reject 277ca": lambda c: c.reject("277ca", DIGEST, "277ca/x", ["277CA STC A3:21"]),
    "pay": lambda c: c.pay(DIGEST, "835/p", ["paid"], paid=Decimal("80")),
    "pay part": lambda c: c.pay(DIGEST, "835/p", ["part"], paid=Decimal("40"), partially=True, denied_lines=("l2",)),
    "deny": lambda c: c.deny(DIGEST, "835/d", ["denied"], paid=Decimal("0")),
}
WHERE_TO: dict[str, ClaimState] = {
    "build": S.BUILT, "hold": S.HELD, "validate": S.VALIDATED, "submit": S.SUBMITTED,
    "accept 999": S.ACCEPTED, "accept 277ca": S.ACCEPTED, "accept 835": S.ACCEPTED,
    "reject 999": S.REJECTED, "reject 277ca": S.REJECTED, "pay": S.PAID, "pay part": S.PARTIALLY_PAID, "deny": S.DENIED,
}  # fmt: skip

# Every (status, move) the aggregate allows with a plain history (the last step came from the batch).
ALLOWED: set[tuple[ClaimState, str]] = {
    (S.HELD, "build"),
    (S.BUILT, "hold"),
    (S.BUILT, "validate"),
    (S.VALIDATED, "submit"),
    *((S.SUBMITTED, move) for move in MOVES if move.split()[0] in {"accept", "reject", "pay", "deny"}),
    *((S.ACCEPTED, move) for move in ("reject 999", "reject 277ca", "pay", "pay part", "deny")),
    *((status, move) for status in (S.PAID, S.PARTIALLY_PAID, S.DENIED) for move in MOVES if move.startswith("accept")),
}
CASES = [(status, move) for status in ClaimState for move in MOVES]


def _claim(status: ClaimState | None, last_source: str = "batch", last_from: ClaimState | None = None) -> Claim:
    last = None if status is None else LastStep(3, last_from, status, last_source)
    return Claim(FACTS, status, last)


@pytest.mark.parametrize(("status", "move"), CASES, ids=[f"{s.value}-{m}" for s, m in CASES])
def test_every_transition_is_allowed_or_refused_as_the_table_says(status: ClaimState, move: str) -> None:
    claim = _claim(status)
    if (status, move) in ALLOWED:
        [step] = MOVES[move](claim)
        assert claim.status is WHERE_TO[move] is step.status
        assert (step.event.revision, step.event.previous_status) == (4, ClaimStatus(status.value))
        assert (claim.revision, claim.steps) == (4, [step])
    else:
        with pytest.raises(InvalidTransition, match=f"claim C1: cannot go from {status.value}"):
            MOVES[move](claim)
        assert (claim.status, claim.revision, claim.steps) == (status, 3, [])


def test_a_new_claim_is_built_as_step_one_and_nothing_else_can_happen_to_it_first() -> None:
    for move in set(MOVES) - {"build"}:
        with pytest.raises(InvalidTransition, match="before it is built"):
            MOVES[move](_claim(None))
    claim = _claim(None)
    [step] = claim.build()
    assert (step.event.revision, step.event.previous_status, step.event.status) == (1, None, ClaimStatus.BUILT)


@pytest.mark.parametrize(
    ("rejected_by", "move", "corrected"),
    [
        ("999", "accept 277ca", True),  # a later stage of ours corrects the rejection
        ("999", "accept 835", True),
        ("277ca", "accept 835", True),
        ("277ca", "accept 277ca", False),  # the same stage contradicting itself: refused
        ("277ca", "accept 999", False),  # an earlier stage: refused
        ("999", "accept 999", False),
        ("batch", "accept 277ca", False),  # not an acknowledgment's rejection
        ("admin", "accept 835", False),
    ],
)
def test_an_acknowledgments_rejection_is_corrected_only_by_a_later_stage(
    rejected_by: str, move: str, corrected: bool
) -> None:
    claim = _claim(S.REJECTED, last_source=rejected_by, last_from=S.SUBMITTED)
    if corrected:
        MOVES[move](claim)
        assert claim.status is S.ACCEPTED
    else:
        with pytest.raises(InvalidTransition):
            MOVES[move](claim)


@pytest.mark.parametrize(
    ("status", "last_source", "last_from", "to", "refused"),
    [
        (S.REJECTED, "999", S.SUBMITTED, S.SUBMITTED, None),
        (S.DENIED, "835", S.ACCEPTED, S.ACCEPTED, None),
        (S.REJECTED, "999", S.SUBMITTED, S.ACCEPTED, "--to must name that status"),
        (S.SUBMITTED, "batch", S.VALIDATED, S.VALIDATED, "not from an acknowledgment"),
        (S.ACCEPTED, "admin", S.REJECTED, S.REJECTED, "not from an acknowledgment"),
    ],
)
def test_an_administrator_undoes_only_the_latest_acknowledgment_step(
    status: ClaimState, last_source: str, last_from: ClaimState, to: ClaimState, refused: str | None
) -> None:
    claim = _claim(status, last_source, last_from)
    if refused is not None:
        with pytest.raises(ReversalRefused, match=refused):
            claim.reverse(to, "sent in error")
        assert claim.status is status
        return
    [step] = claim.reverse(to, "sent in error")
    assert claim.status is to
    assert (step.reverses_step, step.note, step.event.source, step.natural_key) == (
        3,
        "sent in error",
        "admin",
        "reversed/4",
    )
    assert "sent in error" not in " ".join(step.event.reasons)  # the person's note is not published


def test_a_claim_without_history_may_go_back_only_to_a_status_its_own_follows() -> None:
    claim = Claim(FACTS, S.REJECTED, None)
    claim.reverse(S.SUBMITTED, "legacy")
    assert claim.status is S.SUBMITTED
    with pytest.raises(ReversalRefused, match="does not follow"):
        Claim(FACTS, S.REJECTED, None).reverse(S.VALIDATED, "legacy")


def test_a_life_is_numbered_step_by_step_and_each_step_is_one_event_on_the_claim_stream() -> None:
    claim = _claim(None)
    for move in ("build", "hold", "build", "validate", "submit", "reject 999", "accept 277ca", "pay part"):
        MOVES[move](claim)
    revisions = [step.event.revision for step in claim.steps]
    assert revisions == list(range(1, 9))
    topics = [[out.topic.name for out in events_of("t-1", step)] for step in claim.steps]
    assert topics == [["otrcm.claims.status-changed.v2"]] * 8, "the .v1 claims topics are retired (ADR 010 step 5)"
    ids = [out.event.event_id for step in claim.steps for out in events_of("t-1", step)]
    assert len(set(ids)) == len(ids)
    assert ids == [out.event.event_id for step in claim.steps for out in events_of("t-1", step)]  # deterministic
    [status] = events_of("t-1", claim.steps[-1])
    assert status.key == b"t-1:pk-1"
    assert status.event.payload.line_keys == ("l2",), "a partial payment names the lines the 835 denied"
    npis = {out.event.payload.billing_provider_npi for step in claim.steps for out in events_of("t-1", step)}
    assert npis == {BILLING_NPI}, "every step names the billing provider the claim bills under"


def test_an_835_step_carries_the_patients_share_and_the_payers_claim_number() -> None:
    remitted = Remitted(patient_responsibility=Decimal("16.00"), payer_claim_control_number="22126000123456")
    (paid,) = _claim(S.ACCEPTED).pay(DIGEST, "835/p", ["paid"], paid=Decimal("64"), remitted=remitted)
    (denied,) = _claim(S.ACCEPTED).deny(DIGEST, "835/d", ["denied"], paid=Decimal("0"), remitted=remitted)
    for step in (paid, denied):
        event = step.event
        assert (event.patient_responsibility, event.payer_claim_control_number) == (
            Decimal("16.00"), "22126000123456")  # fmt: skip
    (accepted,) = _claim(S.SUBMITTED).accept("277ca", DIGEST, "277ca/x", [])
    assert (accepted.event.patient_responsibility, accepted.event.payer_claim_control_number) == (None, None)
