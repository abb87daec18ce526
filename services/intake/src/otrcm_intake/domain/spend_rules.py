"""Validation of prior therapy spend (each rule with an id)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from otrcm_intake.domain.submissions import TherapySpendSubmission
from otrcm_intake.domain.violations import Violation

DISCIPLINES = ("ot", "pt_slp")
SOURCES = ("eligibility_271", "manual_entry")
FIRST_YEAR = 2019  # the first year with a recorded therapy threshold (CY 2019 PFS final rule)


def validate_therapy_spend(spend: TherapySpendSubmission, today: date) -> list[Violation]:
    found = []
    if spend.discipline not in DISCIPLINES:
        found.append(Violation("discipline", "discipline.known", "the discipline is 'ot' or 'pt_slp'"))
    if spend.source not in SOURCES:
        found.append(Violation("source", "source.known", "the source is 'eligibility_271' or 'manual_entry'"))
    if not FIRST_YEAR <= spend.year <= today.year:
        found.append(
            Violation("year", "year.in_range", f"the year is between {FIRST_YEAR} and the business year {today.year}")
        )
    if spend.amount < 0:
        found.append(Violation("amount", "amount.not_negative", "the amount must not be negative"))
    elif spend.amount != spend.amount.quantize(Decimal("0.01")) or spend.amount > Decimal("1000000"):
        found.append(Violation("amount", "amount.dollars_and_cents", "dollars and cents, at most 1,000,000.00"))
    if spend.as_of > today:
        found.append(Violation("as_of", "as_of.not_future", "the as-of date is after the business date"))
    return found
