"""Authorizations: visits or units for an inclusive date range; each new encounter uses one visit (or its
units); beyond the count is AUTH_EXHAUSTED, outside the dates AUTH_EXPIRED, none on file AUTH_MISSING;
counting the same encounter twice uses nothing more.

Source: payer contracts as payer-profile data (docs/billing-rules.md#9-missouri-payers). Counts below are by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    Authorization,
    AuthorizationUnit,
    BillingRecords,
    DateRange,
    InvalidAuthorization,
    NearlyUsedUpThreshold,
    PayerRequirements,
    ReasonCode,
    authorization_nearly_used_up,
    count_encounter,
)
from tests.unit.poc.builders import decide, visits

pytestmark = pytest.mark.unit

AUTH_ONLY = PayerRequirements(requires_authorization=True)
FIRST, LAST = date(2025, 3, 1), date(2025, 5, 31)
SIX_DATES = [date(2025, 3, d) for d in (3, 5, 7, 10, 12, 14)]


def six_visits_used() -> Authorization:
    authorization = visits(6, FIRST, LAST)
    for number, day in enumerate(SIX_DATES, start=1):
        authorization = count_encounter(authorization, f"E-{number}", day, units=4)
    return authorization


def test_each_encounter_uses_one_visit_whatever_its_units() -> None:
    """A visit authorization counts encounters: six encounters of 4 units each use 6 visits, 0 left."""
    authorization = six_visits_used()
    assert (authorization.used, authorization.remaining) == (6, 0)


def test_the_7th_encounter_on_a_6_visit_authorization_is_held_exhausted() -> None:
    """6 visits authorized, 6 counted: encounter E-7 on 2025-03-17 goes beyond it: AUTH_EXHAUSTED."""
    records = BillingRecords(authorizations=(six_visits_used(),))
    decision = decide(AUTH_ONLY, date(2025, 3, 17), records, encounter_id="E-7")
    assert decision.reason_codes == (ReasonCode.AUTH_EXHAUSTED,)
    assert "A-1 (6 of 6 visits used)" in decision.reasons[0].message


def test_recounting_encounter_3_uses_nothing_more() -> None:
    """Idempotent by encounter id: E-3 again is cleared on A-1 as already counted, and counting it again
    leaves 6 used (not 7)."""
    authorization = six_visits_used()
    decision = decide(AUTH_ONLY, date(2025, 3, 7), BillingRecords(authorizations=(authorization,)), encounter_id="E-3")
    assert decision.cleared
    assert (decision.authorization_id, decision.authorization_already_counted) == ("A-1", True)
    assert count_encounter(authorization, "E-3", date(2025, 3, 7), units=4) == authorization
    assert authorization.used == 6


def test_the_gate_names_the_authorization_to_count_a_cleared_encounter_on() -> None:
    """With 2 of 6 used, E-3 clears and is to be counted on A-1 (not yet counted)."""
    authorization = count_encounter(count_encounter(visits(6, FIRST, LAST), "E-1", FIRST, 1), "E-2", FIRST, 1)
    decision = decide(AUTH_ONLY, date(2025, 3, 7), BillingRecords(authorizations=(authorization,)), encounter_id="E-3")
    assert (decision.cleared, decision.authorization_id, decision.authorization_already_counted) == (True, "A-1", False)


def test_a_date_after_the_range_is_expired_and_the_last_day_is_still_in() -> None:
    """Inclusive range 2025-03-01..2025-05-31: 05-31 clears, 06-01 is AUTH_EXPIRED ("ended")."""
    records = BillingRecords(authorizations=(visits(6, FIRST, LAST),))
    assert decide(AUTH_ONLY, LAST, records).cleared
    expired = decide(AUTH_ONLY, date(2025, 6, 1), records)
    assert expired.reason_codes == (ReasonCode.AUTH_EXPIRED,)
    assert "ended on 2025-05-31" in expired.reasons[0].message


def test_a_date_before_the_range_is_held_expired_as_not_yet_in_effect() -> None:
    """Chosen code for "not yet started": AUTH_EXPIRED (outside the dates), message "not yet in effect"."""
    decision = decide(AUTH_ONLY, date(2025, 2, 28), BillingRecords(authorizations=(visits(6, FIRST, LAST),)))
    assert decision.reason_codes == (ReasonCode.AUTH_EXPIRED,)
    assert "not yet in effect" in decision.reasons[0].message


def test_no_authorization_on_file_is_missing() -> None:
    assert decide(AUTH_ONLY, date(2025, 3, 3), BillingRecords()).reason_codes == (ReasonCode.AUTH_MISSING,)


def test_a_unit_authorization_uses_the_encounter_units() -> None:
    """8 units: 3 + 4 used leaves 1, so an encounter of 2 units is exhausted and one of 1 unit clears."""
    authorization = Authorization("U-1", "payer-x", "k", AuthorizationUnit.UNITS, 8, DateRange(FIRST, LAST))
    authorization = count_encounter(count_encounter(authorization, "E-1", FIRST, 3), "E-2", FIRST, 4)
    assert authorization.remaining == 1
    records = BillingRecords(authorizations=(authorization,))
    assert decide(AUTH_ONLY, FIRST, records, encounter_id="E-3", units=2).reason_codes == (ReasonCode.AUTH_EXHAUSTED,)
    assert decide(AUTH_ONLY, FIRST, records, encounter_id="E-3", units=1).cleared


def test_the_earliest_ending_authorization_with_room_is_used_first() -> None:
    """Two authorizations cover 2025-04-01: A-2 ends 04-30, before A-1 (05-31): A-2 is chosen."""
    records = BillingRecords(
        authorizations=(visits(6, FIRST, LAST), visits(4, date(2025, 4, 1), date(2025, 4, 30), "A-2"))
    )
    assert decide(AUTH_ONLY, date(2025, 4, 1), records).authorization_id == "A-2"


def test_counting_beyond_the_authorization_is_refused() -> None:
    """The gate holds such an encounter; counting it anyway is an error naming the encounter."""
    with pytest.raises(InvalidAuthorization, match="encounter E-7 needs 1 visits, 0 left"):
        count_encounter(six_visits_used(), "E-7", date(2025, 3, 17), 1)
    with pytest.raises(InvalidAuthorization, match=r"outside 2025-03-01\.\.2025-05-31"):
        count_encounter(visits(6, FIRST, LAST), "E-1", date(2025, 6, 1), 1)


def test_nearly_used_up_at_one_visit_left_or_ten_percent() -> None:
    """Default threshold: at most 1 left, or at most 10% left. 6 visits: 1 left yes, 2 left no
    (2 > 1 and 2/6 > 10%). 40 units: 4 left (10%) yes, 5 left no."""
    five_used = Authorization(
        "A-5", "payer-x", "k", AuthorizationUnit.VISITS, 6, DateRange(FIRST, LAST), used_before_tracking=5
    )
    four_used = Authorization("A-4", "payer-x", "k", AuthorizationUnit.VISITS, 6, DateRange(FIRST, LAST), 4)
    assert authorization_nearly_used_up(five_used)
    assert not authorization_nearly_used_up(four_used)
    units_36 = Authorization("U-2", "payer-x", "k", AuthorizationUnit.UNITS, 40, DateRange(FIRST, LAST), 36)
    units_35 = Authorization("U-3", "payer-x", "k", AuthorizationUnit.UNITS, 40, DateRange(FIRST, LAST), 35)
    assert authorization_nearly_used_up(units_36)
    assert not authorization_nearly_used_up(units_35)
    assert authorization_nearly_used_up(four_used, NearlyUsedUpThreshold(remaining_at_most=2))
