"""The claim's persisted state machine: which status may follow which, refused with a clear error otherwise.

built -> validated | held; held -> built (rebuilt after a newer version of a day or patient record);
validated -> submitted; submitted -> accepted | rejected (999/277CA) or straight to an 835 outcome;
accepted -> paid | partially_paid | denied (835, X221A1 CLP02 1-4); an 835 reversal (CLP02 22) moves
a paid, partially paid or denied claim back to accepted (X221A1 section 1.10.2.8, reversals and corrections).
"""

from __future__ import annotations

from enum import StrEnum


class ClaimState(StrEnum):
    BUILT = "built"
    VALIDATED = "validated"
    HELD = "held"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"


ADJUDICATED = frozenset({ClaimState.PAID, ClaimState.PARTIALLY_PAID, ClaimState.DENIED})

ALLOWED_TRANSITIONS: dict[ClaimState, frozenset[ClaimState]] = {
    ClaimState.BUILT: frozenset({ClaimState.VALIDATED, ClaimState.HELD}),
    ClaimState.HELD: frozenset({ClaimState.BUILT}),
    ClaimState.VALIDATED: frozenset({ClaimState.SUBMITTED}),
    ClaimState.SUBMITTED: frozenset({ClaimState.ACCEPTED, ClaimState.REJECTED} | ADJUDICATED),
    ClaimState.ACCEPTED: ADJUDICATED | {ClaimState.REJECTED},
    ClaimState.REJECTED: frozenset(),
    ClaimState.PAID: frozenset({ClaimState.ACCEPTED}),
    ClaimState.PARTIALLY_PAID: frozenset({ClaimState.ACCEPTED}),
    ClaimState.DENIED: frozenset({ClaimState.ACCEPTED}),
}


class InvalidTransition(Exception):
    """A status change the state machine does not allow (the message names claim id and statuses only)."""

    def __init__(self, claim_id: str, current: ClaimState, wanted: ClaimState) -> None:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[current])) or "none"
        super().__init__(f"claim {claim_id}: cannot go from {current} to {wanted} (allowed from {current}: {allowed})")
        self.claim_id = claim_id
        self.current = current
        self.wanted = wanted


def require_transition(claim_id: str, current: ClaimState, wanted: ClaimState) -> None:
    """Raise :class:`InvalidTransition` unless ``current -> wanted`` is allowed."""
    if wanted not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransition(claim_id, current, wanted)
