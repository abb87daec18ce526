"""The claim's state machine: which status may follow which (applied by the ``Claim`` aggregate, in
:mod:`otrcm_claims.domain.claim_aggregate`), refused with a clear error otherwise.

built -> validated | held; held -> built (rebuilt after a newer version of a day or patient record);
validated -> submitted; submitted -> accepted | rejected (999/277CA) or straight to an 835 outcome;
accepted -> paid | partially_paid | denied (835, X221A1 CLP02 1-4); an 835 reversal (CLP02 22) moves
a paid, partially paid or denied claim back to accepted (X221A1 section 1.10.2.8, reversals and corrections).

Corrections: a rejection made by an acknowledgment may be undone by a later acknowledgment of ours from
a later stage of the loop (999, then 277CA, then 835): a 277CA accepting a claim a 999 rejected moves it
rejected -> accepted (``may_correct``). A second 277CA contradicting the first is still refused. An
administrator can undo the latest acknowledgment-made change with ``otrcm-claims reverse`` (``reversals``).
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
# The statuses only an acknowledgment (or an administrator undoing one) sets.
ACKNOWLEDGED = ADJUDICATED | {ClaimState.ACCEPTED, ClaimState.REJECTED}

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

    def __init__(self, claim_id: str, current: ClaimState | None, wanted: ClaimState) -> None:
        if current is None:
            super().__init__(f"claim {claim_id}: cannot go to {wanted} before it is built")
        else:
            allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[current])) or "none"
            super().__init__(
                f"claim {claim_id}: cannot go from {current} to {wanted} (allowed from {current}: {allowed})"
            )
        self.claim_id = claim_id
        self.current = current
        self.wanted = wanted


def require_transition(claim_id: str, current: ClaimState, wanted: ClaimState) -> None:
    """Raise :class:`InvalidTransition` unless ``current -> wanted`` is allowed."""
    if wanted not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransition(claim_id, current, wanted)


# The order in which acknowledgments answer a claim (the ``source`` of a status change).
ACKNOWLEDGMENT_STAGE: dict[str, int] = {"999": 1, "277ca": 2, "835": 3}
CORRECTABLE: frozenset[tuple[ClaimState, ClaimState]] = frozenset({(ClaimState.REJECTED, ClaimState.ACCEPTED)})


def is_acknowledgment(source: str | None) -> bool:
    return source in ACKNOWLEDGMENT_STAGE


def may_correct(current: ClaimState, wanted: ClaimState, earlier_source: str | None, later_source: str) -> bool:
    """Rule: rejected -> accepted only when the rejection came from an acknowledgment and the acceptance
    from an acknowledgment of a later stage (e.g. a 277CA accepting what a 999 rejected)."""
    if (current, wanted) not in CORRECTABLE or earlier_source is None:
        return False
    if not (is_acknowledgment(earlier_source) and is_acknowledgment(later_source)):
        return False
    return ACKNOWLEDGMENT_STAGE[later_source] > ACKNOWLEDGMENT_STAGE[earlier_source]
