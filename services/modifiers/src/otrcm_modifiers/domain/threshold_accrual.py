"""The beneficiary's therapy threshold accrual: an immutable value, changed only by pure functions.

Source: CMS Pub. 100-04 Ch. 5 §10.3; docs/billing-rules.md#4-threshold-and-kx. The threshold counts allowed amounts per
beneficiary, per calendar year, per bucket (OT; PT with SLP). A practice only sees its own claims, so
the accrual is an ESTIMATE: other providers' spend enters only as seeded amounts (from an eligibility
271 response or typed in), and every total this module gives says so.

Shape: the practice's own amounts are contributions keyed by billing day and bucket, each listing its
claim lines' expected amounts. A units revision of a day REPLACES that day's contribution (it never adds
to it); a denied or voided claim's lines are removed. Seeds are keyed by an id, so re-seeding replaces.
Years are calendar years of the date of service: Dec 31 and Jan 1 are different years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from otrcm_shared.refdata.therapy_limits import ThresholdBucket

ZERO = Decimal("0.00")
ESTIMATE_NOTE = (
    "Estimate: this practice's expected allowed amounts plus amounts seeded from eligibility (271) or manual "
    "entry. Other providers' claims for the same beneficiary are not visible here."
)


class SeedOrigin(StrEnum):
    ELIGIBILITY_271 = "eligibility_271"
    MANUAL_ENTRY = "manual_entry"


@dataclass(frozen=True, slots=True)
class LineAmount:
    """One claim line's expected allowed amount; ``line_key`` as in ``LineResult.line_key``.

    ``provisional``: the amount was priced from a dataset version carried forward from an earlier year.
    """

    line_key: str
    amount: Decimal
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class DayContribution:
    """The practice's expected allowed amounts of one billing day in one bucket."""

    billing_day: date
    bucket: ThresholdBucket
    lines: tuple[LineAmount, ...]

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass(frozen=True, slots=True)
class SeededAmount:
    """Spend from elsewhere (other providers, earlier systems) for one year and bucket, with its origin."""

    seed_id: str
    year: int
    bucket: ThresholdBucket
    amount: Decimal
    origin: SeedOrigin
    note: str = ""


@dataclass(frozen=True, slots=True)
class AccrualEstimate:
    """A year's accrued total for one bucket, split into own and seeded amounts; always an estimate."""

    year: int
    bucket: ThresholdBucket
    own: Decimal
    seeded: Decimal
    note: str = ESTIMATE_NOTE
    provisional: bool = False

    @property
    def total(self) -> Decimal:
        return self.own + self.seeded

    @property
    def is_estimate(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class ThresholdAccrual:
    """One beneficiary's contributions and seeds, across years and buckets (ordered by day, then bucket)."""

    beneficiary_key: str
    days: tuple[DayContribution, ...] = ()
    seeds: tuple[SeededAmount, ...] = ()


def empty_accrual(beneficiary_key: str) -> ThresholdAccrual:
    return ThresholdAccrual(beneficiary_key)


def apply_day_contribution(accrual: ThresholdAccrual, contribution: DayContribution) -> ThresholdAccrual:
    """The accrual with ``contribution`` in place of whatever the same day and bucket held before.

    A contribution without lines removes the day's entry for that bucket.
    """
    kept = [
        day for day in accrual.days if (day.billing_day, day.bucket) != (contribution.billing_day, contribution.bucket)
    ]
    if contribution.lines:
        kept.append(contribution)
    return replace(accrual, days=tuple(sorted(kept, key=lambda day: (day.billing_day, day.bucket.value))))


def remove_lines(accrual: ThresholdAccrual, line_ids: Iterable[str]) -> ThresholdAccrual:
    """The accrual without the given claim lines (a denied or voided claim).

    An id matches its line key exactly, or both parts of a split line (``id:with-assistant``,
    ``id:without-assistant``). Days left without lines are dropped.
    """
    targets = frozenset(line_ids)

    def removed(key: str) -> bool:
        return key in targets or key.split(":", 1)[0] in targets

    days = []
    for day in accrual.days:
        lines = tuple(line for line in day.lines if not removed(line.line_key))
        if lines:
            days.append(replace(day, lines=lines))
    return replace(accrual, days=tuple(days))


def seed(accrual: ThresholdAccrual, seeded: SeededAmount) -> ThresholdAccrual:
    """The accrual with ``seeded`` added, replacing an earlier seed of the same id."""
    others = tuple(existing for existing in accrual.seeds if existing.seed_id != seeded.seed_id)
    return replace(accrual, seeds=(*others, seeded))


def accrued(accrual: ThresholdAccrual, year: int, bucket: ThresholdBucket) -> AccrualEstimate:
    """The year's total for ``bucket``: every own contribution of that year plus every seed."""
    days = [day for day in accrual.days if day.billing_day.year == year and day.bucket is bucket]
    own = sum((day.amount for day in days), ZERO)
    seeded = sum((s.amount for s in accrual.seeds if s.year == year and s.bucket is bucket), ZERO)
    return AccrualEstimate(year, bucket, own, seeded, provisional=_any_provisional(days))


def accrued_before(accrual: ThresholdAccrual, billing_day: date, bucket: ThresholdBucket) -> AccrualEstimate:
    """What the year had accrued before ``billing_day``: seeds and own contributions of earlier days.

    Seeds carry no date, so they count as earlier than any day (the conservative reading for KX).
    """
    year = billing_day.year
    days = [
        day
        for day in accrual.days
        if day.bucket is bucket and day.billing_day.year == year and day.billing_day < billing_day
    ]
    own = sum((day.amount for day in days), ZERO)
    seeded = sum((s.amount for s in accrual.seeds if s.year == year and s.bucket is bucket), ZERO)
    return AccrualEstimate(year, bucket, own, seeded, provisional=_any_provisional(days))


def _any_provisional(days: Iterable[DayContribution]) -> bool:
    return any(line.provisional for day in days for line in day.lines)


def later_days(accrual: ThresholdAccrual, billing_day: date) -> tuple[date, ...]:
    """Days of the same year after ``billing_day``: their KX decisions depend on this day's amounts,
    so a service re-evaluates them after a revision, a removal or a new seed."""
    return tuple(
        sorted(
            {
                day.billing_day
                for day in accrual.days
                if day.billing_day.year == billing_day.year and day.billing_day > billing_day
            }
        )
    )
