"""A payer's authorization: visits or units for an inclusive date range, and the encounters counted on it.

Counting is idempotent by encounter id: counting an encounter that is already counted changes nothing.
Source: payer contracts and payer-profile data (docs/billing-rules.md#9-missouri-payers: authorization and visit
limits are per plan and per payer, never code).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from otrcm_poc.domain.day_counting import DateRange
from otrcm_poc.domain.errors import InvalidAuthorization, PocRule


class AuthorizationUnit(StrEnum):
    """What the authorization counts: whole visits (one per encounter) or billed units."""

    VISITS = "visits"
    UNITS = "units"


@dataclass(frozen=True, slots=True)
class AuthorizationUse:
    """One encounter counted on the authorization, and how many visits or units it used."""

    encounter_id: str
    date_of_service: date
    amount: int


@dataclass(frozen=True, slots=True)
class Authorization:
    """Visits or units a payer approved for ``valid`` (both ends included).

    ``used_before_tracking`` is what the payer reports as already used when the authorization was
    recorded (visits elsewhere, or before this system); ``uses`` are the encounters counted here.
    """

    authorization_id: str
    payer_id: str
    patient_key: str
    unit: AuthorizationUnit
    authorized: int
    valid: DateRange
    used_before_tracking: int = 0
    uses: tuple[AuthorizationUse, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.authorized < 1:
            at_least = f"authorizes at least 1 (got {self.authorized})"
            raise InvalidAuthorization(self.authorization_id, at_least, PocRule.AUTHORIZES_AT_LEAST_ONE)
        if self.used_before_tracking < 0:
            negative = "used so far cannot be negative"
            raise InvalidAuthorization(self.authorization_id, negative, PocRule.AUTHORIZATION_USED_NOT_NEGATIVE)

    @property
    def used(self) -> int:
        return self.used_before_tracking + sum(use.amount for use in self.uses)

    @property
    def remaining(self) -> int:
        """What is left (never below zero)."""
        return max(self.authorized - self.used, 0)

    def has_counted(self, encounter_id: str) -> bool:
        return any(use.encounter_id == encounter_id for use in self.uses)


def amount_an_encounter_uses(authorization: Authorization, units: int) -> int:
    """Rule: an encounter uses one visit of a visit authorization, or its billed units of a unit one."""
    return 1 if authorization.unit is AuthorizationUnit.VISITS else units


def count_encounter(
    authorization: Authorization, encounter_id: str, date_of_service: date, units: int
) -> Authorization:
    """The authorization with the encounter counted; unchanged when that encounter is already counted.

    Raises :class:`InvalidAuthorization` when the date of service is outside the authorized dates or
    the encounter needs more than what remains (the gate holds such an encounter before it gets here).
    """
    if authorization.has_counted(encounter_id):
        return authorization
    if not authorization.valid.covers(date_of_service):
        raise InvalidAuthorization(
            authorization.authorization_id,
            f"date of service {date_of_service} is outside {authorization.valid.first}..{authorization.valid.last}",
            PocRule.AUTHORIZATION_COVERS_THE_DATE,
        )
    if units < 0:
        negative = f"units cannot be negative (got {units})"
        raise InvalidAuthorization(authorization.authorization_id, negative, PocRule.AUTHORIZATION_UNITS_NOT_NEGATIVE)
    amount = amount_an_encounter_uses(authorization, units)
    if amount > authorization.remaining:
        raise InvalidAuthorization(
            authorization.authorization_id,
            f"encounter {encounter_id} needs {amount} {authorization.unit.value}, {authorization.remaining} left",
            PocRule.AUTHORIZATION_HAS_ENOUGH_LEFT,
        )
    use = AuthorizationUse(encounter_id, date_of_service, amount)
    return replace(authorization, uses=(*authorization.uses, use))


@dataclass(frozen=True, slots=True)
class NearlyUsedUpThreshold:
    """When an authorization counts as nearly used up: at most ``remaining_at_most`` left, or at most
    ``percent_left_at_most`` percent of what was authorized (whichever triggers first)."""

    remaining_at_most: int = 1
    percent_left_at_most: int = 10


DEFAULT_NEARLY_USED_UP = NearlyUsedUpThreshold()


def authorization_nearly_used_up(
    authorization: Authorization, threshold: NearlyUsedUpThreshold = DEFAULT_NEARLY_USED_UP
) -> bool:
    """True when what remains is within the threshold (a used-up authorization is nearly used up too)."""
    left = authorization.remaining
    by_percent = left * 100 <= threshold.percent_left_at_most * authorization.authorized
    return left <= threshold.remaining_at_most or by_percent
