"""What the read models keep of a billing day: the newest units and verdict whatever order they arrive in, and
every encounter a cleared verdict counted (a union: a later hold never takes a count back)."""

from __future__ import annotations

from datetime import date
from functools import reduce
from itertools import permutations

import pytest

from otrcm_status.domain.billing_days import BillingDay
from tests.unit.status.read_model_samples import day, judged

pytestmark = pytest.mark.unit

UNITS = day("enc-1", date(2026, 3, 5))
HELD_1 = judged(UNITS, 1, ("AUTH_MISSING", "no authorization on file"))
CLEARED_2 = judged(UNITS, 2)
HELD_3 = judged(UNITS, 3, ("AUTH_EXHAUSTED", "no visits left"))


def _apply(start: BillingDay, verdicts: tuple[object, ...]) -> BillingDay:
    return reduce(lambda d, v: d.with_verdict(v) or d, verdicts, start)  # type: ignore[arg-type]


def test_the_newest_verdict_stands_and_the_cleared_encounter_stays_counted_in_any_order() -> None:
    results = [_apply(BillingDay.of(UNITS), order) for order in permutations((HELD_1, CLEARED_2, HELD_3))]
    final = results[0]
    assert all(result == final for result in results), "the same day whatever order the verdicts arrived in"
    assert final.verdict is not None
    assert final.verdict.revision == 3
    assert final.held
    assert final.verdict.reason_codes == ("AUTH_EXHAUSTED",)
    assert set(final.counted) == {"enc-1"}, "verdict 2 cleared it: counted, and a later hold does not uncount"
    assert final.counted["enc-1"].gate_revision == 2
    assert final.counted["enc-1"].units == 3, "38 minutes of 97530 bill 3 units"


def test_a_redelivered_or_older_fact_changes_nothing() -> None:
    current = BillingDay.of(UNITS).with_verdict(HELD_3)
    assert current is not None
    assert current.with_verdict(HELD_3) is None, "redelivery"
    assert current.with_verdict(HELD_1) is None, "an older hold"
    assert current.with_units(UNITS) is None, "the verdict already brought these units"


def test_newer_units_bring_the_days_encounters_and_their_locations() -> None:
    second = UNITS.model_copy(update={
        "revision": 2,
        "encounters": tuple(e.model_copy(update={"location_id": "LOC-A"}) for e in UNITS.encounters),
    })  # fmt: skip
    first = BillingDay.of(UNITS).with_units(UNITS)
    assert first is not None
    assert first.locations == {"enc-1": None}
    newer = first.with_units(second)
    assert newer is not None
    assert (newer.units_revision, newer.locations) == (2, {"enc-1": "LOC-A"})
    assert newer.with_units(UNITS) is None, "a late revision 1 is not newer"
