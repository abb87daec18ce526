"""An encounter's status, derived from its day's facts, and the moves a status may make.

Rules, in order (the first that has something to say about the encounter decides):
1. A claim that bills the encounter decides: its status (built and validated read as ``ready`` on the
   claim, held as ``claim_held``). Of several claims, a live one beats a rejected or held one, then the
   one furthest along, then the higher claim id.
2. The day's ready lines, when they bill the newest units under the newest verdict: an encounter with a
   billable line is ``ready``; one whose every line is held is ``held`` with each line's reasons; one
   pooled into the day's lines (no line of its own) follows the day: ``ready`` when anything is billable,
   else ``held`` with the day's line reasons.
3. The gate's verdict on the newest units: ``cleared`` or ``held`` with the verdict's reasons.
4. Units: ``units_calculated``.

A derived status is taken only when the transition table allows the move: once a claim has left, nothing
about the day (a late encounter, a new verdict) takes its encounters back to a pre-claim status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from otrcm_status.domain.day_facts import ClaimFact, DayFacts, LinesFact, Reason


class Status(StrEnum):
    RECEIVED = "received"
    UNITS_CALCULATED = "units_calculated"
    HELD = "held"
    CLEARED = "cleared"
    READY = "ready"
    CLAIM_HELD = "claim_held"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"


S = Status
BEFORE_CLAIM = frozenset({S.RECEIVED, S.UNITS_CALCULATED, S.HELD, S.CLEARED, S.READY})
LEFT = frozenset({S.SUBMITTED, S.ACCEPTED, S.REJECTED, S.PAID, S.PARTIALLY_PAID, S.DENIED})
# Where each status may go. Before a claim the day moves freely (a new units revision re-opens it, a release
# clears it); a held claim may be rebuilt or sent; a claim that left moves only along its own life (a
# reversal or a resubmission included), never back to a stage of the day.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset(Status) - {S.RECEIVED},
    S.UNITS_CALCULATED: frozenset(Status) - {S.RECEIVED},
    S.HELD: frozenset(Status) - {S.RECEIVED},
    S.CLEARED: frozenset(Status) - {S.RECEIVED},
    S.READY: frozenset(Status) - {S.RECEIVED},
    S.CLAIM_HELD: frozenset({S.READY, S.CLAIM_HELD, *LEFT}),
    **{status: LEFT for status in LEFT},
}
# The claims service's statuses as an encounter shows them.
CLAIM_TO_ENCOUNTER = {
    "built": S.READY,
    "validated": S.READY,
    "held": S.CLAIM_HELD,
    "submitted": S.SUBMITTED,
    "accepted": S.ACCEPTED,
    "rejected": S.REJECTED,
    "paid": S.PAID,
    "partially_paid": S.PARTIALLY_PAID,
    "denied": S.DENIED,
}
_CLAIM_PROGRESS = {"held": 0, "built": 1, "validated": 2, "submitted": 3, "accepted": 4, "rejected": 4}
_DEAD_CLAIM = frozenset({"held", "rejected"})


def may_move(current: Status, derived: Status) -> bool:
    """Rule: a status changes only along the table (staying put, with new detail, is always allowed)."""
    return derived is current or derived in TRANSITIONS[current]


@dataclass(frozen=True)
class Derived:
    status: Status
    detail: dict[str, object] = field(default_factory=dict)
    claim_id: str | None = None
    reason_codes: tuple[str, ...] = ()


def _claim_order(claim: ClaimFact) -> tuple[bool, int, str]:
    return (claim.status not in _DEAD_CLAIM, _CLAIM_PROGRESS.get(claim.status, 5), claim.claim_id)


def _from_claim(claim: ClaimFact) -> Derived:
    detail: dict[str, object] = {"claim_id": claim.claim_id, "reasons": list(claim.reasons)}
    if claim.denial_category:
        detail["denial_category"] = claim.denial_category
    codes = tuple(reason.split(":", 1)[0] for reason in claim.reasons)
    return Derived(CLAIM_TO_ENCOUNTER.get(claim.status, S.READY), detail, claim.claim_id, codes)


def _held(reasons: list[Reason], detail: dict[str, object]) -> Derived:
    shown = [reason.shown() for reason in reasons]
    return Derived(S.HELD, {**detail, "reasons": shown}, None, tuple(dict.fromkeys(r.code for r in reasons)))


def _pooled_reasons(lines: LinesFact) -> list[Reason]:
    """A pooled encounter on a day with nothing billable: each of the day's line reasons once, saying why."""
    by_code = {reason.code: reason for reasons in lines.held.values() for reason in reasons}
    return [
        reason.model_copy(update={"message": f"its minutes were pooled into the day's held lines: {reason.message}"})
        for _, reason in sorted(by_code.items())
    ]


def _from_lines(lines: LinesFact, encounter_id: str) -> Derived | None:
    detail: dict[str, object] = {"version": lines.version}
    if encounter_id in lines.ready_ids:
        return Derived(S.READY, {**detail, "held_lines": list(lines.held_line_keys)})
    if encounter_id in lines.held:
        return _held(list(lines.held[encounter_id]), detail)
    if encounter_id not in lines.encounter_ids:
        return None
    if lines.ready_ids:  # pooled into the day's billable lines: billed with the day
        return Derived(S.READY, {**detail, "held_lines": list(lines.held_line_keys)})
    pooled = _pooled_reasons(lines)
    return _held(pooled, detail) if pooled else None


def _lines_are_current(day: DayFacts) -> LinesFact | None:
    lines = day.lines
    if lines is None or (lines.units_revision or day.units_revision) < day.units_revision:
        return None
    if day.gate is not None and (lines.gate_revision or day.gate.revision) < day.gate.revision:
        return None  # the day was judged again since these lines (held again, or released anew)
    return lines


def _from_day(day: DayFacts, encounter_id: str) -> Derived:
    lines = _lines_are_current(day)
    if lines is not None:
        found = _from_lines(lines, encounter_id)
        if found is not None:
            return found
    gate = day.gate
    if gate is not None and gate.units_revision >= day.units_revision and encounter_id in gate.encounter_ids:
        if gate.cleared:
            return Derived(S.CLEARED, {"gate_revision": gate.revision, "released": gate.released})
        return _held(list(gate.reasons), {"gate_revision": gate.revision})
    if day.units is not None:
        units = day.units
        return Derived(S.UNITS_CALCULATED, {"day_revision": units.revision, "day_total_units": units.total_units})
    return Derived(S.RECEIVED)


def derive(day: DayFacts) -> dict[str, Derived]:
    """Every known encounter of the day and the status its day's facts give it (rules 1 to 4)."""
    derived: dict[str, Derived] = {}
    for encounter_id in day.encounter_ids:
        claims = [claim for claim in day.claims.values() if encounter_id in claim.encounter_ids]
        if claims:
            derived[encounter_id] = _from_claim(max(claims, key=_claim_order))
        else:
            derived[encounter_id] = _from_day(day, encounter_id)
    return derived


def next_status(current: Status | None, derived: Derived) -> Derived | None:
    """What to record for an encounter now showing ``current``: ``derived`` when the table allows the move
    and it changes something, else None."""
    if current is None:
        return derived
    return derived if may_move(current, derived.status) else None
