"""The authorization-side reason to hold an encounter, and which authorization it will be counted on.

Choice, when several authorizations are on file: one that already counted the encounter (a recount uses
nothing more); else, among those whose dates include the date of service and that have enough left, the
one ending first (then by id), so the earliest-expiring approval is used before it lapses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from otrcm_poc.domain.authorization import Authorization, amount_an_encounter_uses
from otrcm_poc.domain.reasons import HoldReason, ReasonCode


@dataclass(frozen=True, slots=True)
class AuthorizationCheck:
    """The reasons found (none or one) and the authorization the encounter is or will be counted on."""

    reasons: tuple[HoldReason, ...]
    authorization_id: str | None = None
    already_counted: bool = False


def check_authorizations(
    authorizations: Sequence[Authorization], encounter_id: str, day: date, units: int
) -> AuthorizationCheck:
    """AUTH_MISSING with none on file; AUTH_EXPIRED when none includes ``day`` (ended, or not yet
    started: the message says which); AUTH_EXHAUSTED when those that include it have too little left."""
    for authorization in authorizations:
        if authorization.has_counted(encounter_id):
            return AuthorizationCheck((), authorization.authorization_id, already_counted=True)
    if not authorizations:
        return AuthorizationCheck((HoldReason(ReasonCode.AUTH_MISSING, f"no authorization on file for {day}"),))
    in_dates = [a for a in authorizations if a.valid.covers(day)]
    if not in_dates:
        return AuthorizationCheck((HoldReason(ReasonCode.AUTH_EXPIRED, _outside_message(authorizations, day)),))
    with_room = [a for a in in_dates if amount_an_encounter_uses(a, units) <= a.remaining]
    if not with_room:
        used = ", ".join(f"{a.authorization_id} ({a.used} of {a.authorized} {a.unit.value} used)" for a in in_dates)
        message = f"encounter {encounter_id} on {day} goes beyond its authorization: {used}"
        return AuthorizationCheck((HoldReason(ReasonCode.AUTH_EXHAUSTED, message),))
    chosen = min(with_room, key=lambda a: (a.valid.last, a.authorization_id))
    return AuthorizationCheck((), chosen.authorization_id)


def _outside_message(authorizations: Sequence[Authorization], day: date) -> str:
    if all(a.valid.first > day for a in authorizations):
        upcoming = min(authorizations, key=lambda a: a.valid.first)
        return (
            f"authorization {upcoming.authorization_id} is not yet in effect on {day} (starts {upcoming.valid.first})"
        )
    ended = max((a for a in authorizations if a.valid.last < day), key=lambda a: a.valid.last)
    return f"authorization {ended.authorization_id} ended on {ended.valid.last}, before the date of service {day}"
