"""The threshold accrual as plain JSON-ready data and back, so a service can store it as it is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from otrcm_modifiers.domain.threshold_accrual import (
    DayContribution,
    LineAmount,
    SeededAmount,
    SeedOrigin,
    ThresholdAccrual,
)
from otrcm_shared.refdata.therapy_limits import ThresholdBucket


def accrual_as_plain_data(accrual: ThresholdAccrual) -> dict[str, Any]:
    """Dates as ISO strings and amounts as decimal strings (nothing is lost to floats)."""
    return {
        "beneficiary_key": accrual.beneficiary_key,
        "is_estimate": True,
        "days": [
            {
                "billing_day": day.billing_day.isoformat(),
                "bucket": day.bucket.value,
                "lines": [_line(line) for line in day.lines],
            }
            for day in accrual.days
        ],
        "seeds": [
            {
                "seed_id": s.seed_id,
                "year": s.year,
                "bucket": s.bucket.value,
                "amount": str(s.amount),
                "origin": s.origin.value,
                "note": s.note,
            }
            for s in accrual.seeds
        ],
    }


def _line(line: LineAmount) -> dict[str, Any]:
    plain: dict[str, Any] = {"line_key": line.line_key, "amount": str(line.amount)}
    if line.provisional:
        plain["provisional"] = True
    return plain


def accrual_from_plain_data(data: dict[str, Any]) -> ThresholdAccrual:
    """The inverse of :func:`accrual_as_plain_data`."""
    return ThresholdAccrual(
        beneficiary_key=str(data["beneficiary_key"]),
        days=tuple(
            DayContribution(
                date.fromisoformat(day["billing_day"]),
                ThresholdBucket(day["bucket"]),
                tuple(
                    LineAmount(str(line["line_key"]), Decimal(line["amount"]), bool(line.get("provisional", False)))
                    for line in day["lines"]
                ),
            )
            for day in data.get("days", ())
        ),
        seeds=tuple(
            SeededAmount(
                str(s["seed_id"]),
                int(s["year"]),
                ThresholdBucket(s["bucket"]),
                Decimal(s["amount"]),
                SeedOrigin(s["origin"]),
                str(s.get("note", "")),
            )
            for s in data.get("seeds", ())
        ),
    )
