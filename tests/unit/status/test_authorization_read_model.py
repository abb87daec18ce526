"""The authorization read model: visits (or units) used and left, counted from the encounters the gate cleared,
the same whatever order the verdicts arrived in, and the days held because the authorizations ran out."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import pytest

from otrcm_shared.events.day_verdict import DayJudged
from otrcm_status.domain.authorizations import Authorization, authorization_views
from otrcm_status.domain.billing_days import BillingDay
from otrcm_status.usecases.queries import payer_requires_authorization
from tests.unit.status.read_model_samples import PATIENT, day, judged

pytestmark = pytest.mark.unit

MARCH = Authorization("auth-march", PATIENT, "mo-healthnet-ffs", "visits", 2, date(2026, 3, 1), date(2026, 3, 31))
SPRING = Authorization("auth-spring", PATIENT, "mo-healthnet-ffs", "visits", 10, date(2026, 3, 1), date(2026, 5, 31))


def days_after(*verdicts: DayJudged) -> list[BillingDay]:
    """The billing days after these verdicts, applied in the order given."""
    found: dict[str, BillingDay] = {}
    for verdict in verdicts:
        known = found.get(verdict.day_key) or BillingDay.of(verdict.day)
        found[verdict.day_key] = known.with_verdict(verdict) or known
    return list(found.values())


def _requires(payer_id: str, on: date) -> bool:
    return payer_requires_authorization(payer_id, on)


A, B, C = (day(e, on) for e, on in (("e-a", date(2026, 3, 5)), ("e-b", date(2026, 3, 12)), ("e-c", date(2026, 3, 19))))
MEDICARE = day("e-medicare", date(2026, 3, 6), "medicare-wps-j5")
VERDICTS = (
    judged(A, 1),
    judged(B, 1, ("AUTH_MISSING", "none on file")),
    judged(B, 2),
    judged(C, 1),
    judged(MEDICARE, 1),
)


def test_used_and_left_count_the_cleared_encounters_whatever_order_the_verdicts_came_in() -> None:
    answers = set()
    for order in permutations(VERDICTS):
        views = authorization_views([MARCH, SPRING], days_after(*order), _requires)
        answers.add(tuple((v.used, v.left, tuple(u.encounter_id for u in v.uses)) for v in views.values()))
    # the March authorization ends first: it takes the first two encounters; the third goes on the spring one.
    # The Medicare day is not counted: Medicare requires no authorization (payer profile).
    assert answers == {((2, 0, ("e-a", "e-b")), (1, 9, ("e-c",)))}


def test_a_unit_authorization_uses_the_billed_units_and_a_held_day_is_not_counted() -> None:
    units = Authorization("auth-units", PATIENT, "mo-healthnet-ffs", "units", 8, date(2026, 3, 1), date(2026, 3, 31))
    held = judged(C, 1, ("AUTH_EXHAUSTED", "encounter e-c goes beyond its authorization"))
    views = authorization_views([units], days_after(judged(A, 1), held), _requires)
    view = views["auth-units"]
    assert (view.used, view.left) == (3, 5), "38 minutes of 97530: 3 units"
    assert [(h.date_of_service, h.reason_codes) for h in view.holds] == [(date(2026, 3, 19), ("AUTH_EXHAUSTED",))]


def test_a_later_hold_of_a_counted_day_does_not_give_the_visit_back() -> None:
    views = authorization_views([SPRING], days_after(judged(A, 1), judged(A, 2, ("POC_EXPIRED", "expired"))), _requires)
    assert views["auth-spring"].used == 1, "the gate never takes a count back (poc's count_encounter)"
