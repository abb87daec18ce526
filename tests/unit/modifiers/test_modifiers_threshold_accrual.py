"""The threshold accrual: contributions keyed by billing day, seeds, revisions, removals, year boundary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otrcm_modifiers.domain import (
    ESTIMATE_NOTE,
    DayContribution,
    LineAmount,
    SeededAmount,
    SeedOrigin,
    accrual_as_plain_data,
    accrual_from_plain_data,
    accrued,
    accrued_before,
    apply_day_contribution,
    empty_accrual,
    later_days,
    remove_lines,
    seed,
)
from otrcm_shared.refdata.therapy_limits import ThresholdBucket

pytestmark = pytest.mark.unit

OT = ThresholdBucket.OT


def day(on: date, *amounts: tuple[str, str], bucket: ThresholdBucket = OT) -> DayContribution:
    return DayContribution(on, bucket, tuple(LineAmount(key, Decimal(amount)) for key, amount in amounts))


def test_a_units_revision_replaces_the_days_amount_instead_of_adding() -> None:
    first = apply_day_contribution(empty_accrual("pk"), day(date(2025, 3, 3), ("a", "80.00")))
    revised = apply_day_contribution(first, day(date(2025, 3, 3), ("a", "120.00")))
    assert accrued(revised, 2025, OT).total == Decimal("120.00")  # not 200.00


def test_a_revision_without_lines_removes_the_day() -> None:
    accrual = apply_day_contribution(empty_accrual("pk"), day(date(2025, 3, 3), ("a", "80.00")))
    assert apply_day_contribution(accrual, day(date(2025, 3, 3))).days == ()


def test_a_denied_claim_reduces_the_accrual() -> None:
    accrual = empty_accrual("pk")
    accrual = apply_day_contribution(accrual, day(date(2025, 3, 3), ("enc1:1", "40.00"), ("enc1:2", "35.00")))
    accrual = apply_day_contribution(accrual, day(date(2025, 3, 5), ("enc2:1", "40.00")))
    after = remove_lines(accrual, ["enc1:2"])
    # 40.00 + 35.00 + 40.00 = 115.00; without the denied 35.00 line: 80.00
    assert accrued(after, 2025, OT).total == Decimal("80.00")
    assert later_days(after, date(2025, 3, 3)) == (date(2025, 3, 5),)


def test_removing_a_line_id_removes_both_parts_of_a_split_line() -> None:
    accrual = apply_day_contribution(
        empty_accrual("pk"),
        day(date(2025, 3, 3), ("a:without-assistant", "33.65"), ("a:with-assistant", "20.49"), ("b", "1.00")),
    )
    assert accrued(remove_lines(accrual, ["a"]), 2025, OT).total == Decimal("1.00")


def test_dec_31_and_jan_1_count_in_different_years() -> None:
    accrual = apply_day_contribution(empty_accrual("pk"), day(date(2025, 12, 31), ("a", "40.00")))
    accrual = apply_day_contribution(accrual, day(date(2026, 1, 1), ("b", "35.00")))
    assert accrued(accrual, 2025, OT).total == Decimal("40.00")
    assert accrued(accrual, 2026, OT).total == Decimal("35.00")
    assert accrued_before(accrual, date(2026, 1, 1), OT).total == Decimal("0.00")


def test_seeds_count_as_earlier_than_any_day_and_reseeding_replaces() -> None:
    accrual = seed(
        empty_accrual("pk"), SeededAmount("271-jan", 2025, OT, Decimal("500.00"), SeedOrigin.ELIGIBILITY_271)
    )
    accrual = seed(accrual, SeededAmount("271-jan", 2025, OT, Decimal("650.00"), SeedOrigin.ELIGIBILITY_271))
    accrual = seed(accrual, SeededAmount("typed", 2025, OT, Decimal("100.00"), SeedOrigin.MANUAL_ENTRY, "clinic B"))
    estimate = accrued_before(accrual, date(2025, 1, 2), OT)
    assert (estimate.seeded, estimate.own, estimate.total) == (Decimal("750.00"), Decimal("0.00"), Decimal("750.00"))


def test_every_figure_says_it_is_an_estimate() -> None:
    estimate = accrued(empty_accrual("pk"), 2025, OT)
    assert estimate.is_estimate
    assert estimate.note == ESTIMATE_NOTE
    assert "Other providers" in estimate.note


def test_buckets_are_separate() -> None:
    accrual = apply_day_contribution(empty_accrual("pk"), day(date(2025, 3, 3), ("a", "40.00")))
    accrual = apply_day_contribution(accrual, day(date(2025, 3, 3), ("p", "35.00"), bucket=ThresholdBucket.PT_SLP))
    assert accrued(accrual, 2025, OT).total == Decimal("40.00")
    assert accrued(accrual, 2025, ThresholdBucket.PT_SLP).total == Decimal("35.00")


def test_the_accrual_round_trips_through_plain_data() -> None:
    accrual = apply_day_contribution(empty_accrual("pk"), day(date(2025, 3, 3), ("a", "33.65")))
    accrual = seed(accrual, SeededAmount("s", 2025, OT, Decimal("10.10"), SeedOrigin.MANUAL_ENTRY, "typed in"))
    plain = accrual_as_plain_data(accrual)
    assert plain["is_estimate"] is True
    assert plain["days"][0]["lines"] == [{"line_key": "a", "amount": "33.65"}]
    assert accrual_from_plain_data(plain) == accrual
