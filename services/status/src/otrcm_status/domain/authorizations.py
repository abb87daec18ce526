"""A payer's authorizations as a biller reads them: visits (or units) authorized, used and left, for which dates,
and the billing days held because it ran out. Pure: the patient's authorizations and billing days in.

Which days count as a used visit (the gate's rule, poc's ``count_encounter``): an encounter a cleared verdict
counted (``BillingDay.counted``) on a day whose payer requires an authorization uses one visit of a visit
authorization, or its billed units of a unit authorization, of the same patient and payer whose dates include the
date of service. With several such authorizations the encounter goes on the one ending first that still has room
(then the lower id), as the gate chooses. Encounters are counted in date order (then by encounter id), so the
answer does not depend on the order the days' verdicts arrived in; poc counts in arrival order, which gives the
same result unless two authorizations overlap and one of them runs out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from otrcm_status.domain.billing_days import BillingDay, HeldDay

EXHAUSTED = "AUTH_EXHAUSTED"


@dataclass(frozen=True, slots=True)
class Authorization:
    authorization_id: str
    patient_key: str
    payer_id: str
    unit: str  # visits | units
    authorized: int
    start_date: date
    end_date: date

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def amount_for(self, units: int) -> int:
        """Rule: an encounter uses one visit of a visit authorization, or its billed units of a unit one."""
        return 1 if self.unit == "visits" else units


@dataclass(frozen=True, slots=True)
class Use:
    encounter_id: str
    date_of_service: date
    amount: int


@dataclass(frozen=True, slots=True)
class AuthorizationView:
    authorization: Authorization
    uses: tuple[Use, ...]
    holds: tuple[HeldDay, ...]

    @property
    def used(self) -> int:
        return sum(use.amount for use in self.uses)

    @property
    def left(self) -> int:
        return max(self.authorization.authorized - self.used, 0)


RequiresAuthorization = Callable[[str, date], bool]  # (payer id, date of service) -> the payer requires one


def authorization_views(
    authorizations: Sequence[Authorization], days: Sequence[BillingDay], requires: RequiresAuthorization
) -> dict[str, AuthorizationView]:
    """Every authorization of the patient with the encounters counted on it and the days it holds."""
    uses: dict[str, list[Use]] = {a.authorization_id: [] for a in authorizations}
    counted = sorted(
        (day.date_of_service, encounter_id, day, entry.units)
        for day in days
        for encounter_id, entry in day.counted.items()
    )  # fmt: skip
    for on, encounter_id, day, units in counted:
        if not requires(day.payer_id, on):
            continue
        with_room = [
            a for a in authorizations
            if a.payer_id == day.payer_id and a.covers(on) and a.amount_for(units) <= _left(a, uses[a.authorization_id])
        ]  # fmt: skip
        if with_room:
            chosen = min(with_room, key=lambda a: (a.end_date, a.authorization_id))
            uses[chosen.authorization_id].append(Use(encounter_id, on, chosen.amount_for(units)))
    return {
        a.authorization_id: AuthorizationView(a, tuple(uses[a.authorization_id]), _held_on(a, days))
        for a in authorizations
    }


def _left(authorization: Authorization, uses: list[Use]) -> int:
    return authorization.authorized - sum(use.amount for use in uses)


def _held_on(authorization: Authorization, days: Sequence[BillingDay]) -> tuple[HeldDay, ...]:
    """The days held because the payer's authorizations ran out (AUTH_EXHAUSTED) on a date this one covers."""
    found = []
    for day in sorted(days, key=lambda d: (d.date_of_service, d.day_key)):
        verdict = day.verdict
        if verdict is None or verdict.cleared or EXHAUSTED not in verdict.reason_codes:
            continue
        if day.payer_id != authorization.payer_id or not authorization.covers(day.date_of_service):
            continue
        messages = tuple(dict.fromkeys(r.message for r in verdict.reasons if r.code == EXHAUSTED))
        found.append(HeldDay(day.day_key, day.date_of_service, day.encounter_ids, (EXHAUSTED,), messages))
    return tuple(found)
