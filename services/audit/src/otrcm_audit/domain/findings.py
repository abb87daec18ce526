"""What the audit reports: one finding per problem, in dollars, with the rule and its source.

Sign of ``amount``: positive when the practice was (or will be) paid less than it is owed, negative when it
billed more than the rules allow (money a payer may take back). ``exposure`` says which total it counts
toward: ``recoverable`` (a corrected or first claim can still collect it) or ``at_risk`` (a denial or a
recoupment is likely unless the practice acts). No finding carries a name, birth date or member id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    UNITS_UNDERBILLED = "units_underbilled"
    UNITS_OVERBILLED = "units_overbilled"
    MODIFIER_MISSING_GO = "modifier_missing_go"
    MODIFIER_MISSING_KX = "modifier_missing_kx"
    MODIFIER_MISSING_CO = "modifier_missing_co"
    NCCI_UNMODIFIED_PAIR = "ncci_unmodified_pair"
    POC_MISSING_OR_EXPIRED = "poc_missing_or_expired"
    PROGRESS_REPORT_LAPSED = "progress_report_lapsed"
    AUTHORIZATION_EXCEEDED = "authorization_exceeded"
    ENCOUNTER_UNBILLED = "encounter_unbilled"
    CLAIM_UNACKNOWLEDGED = "claim_unacknowledged"
    TIMELY_FILING_RISK = "timely_filing_risk"
    UNDERPAID = "underpaid"
    DENIAL_UNWORKED = "denial_unworked"


class Exposure(StrEnum):
    RECOVERABLE = "recoverable"
    AT_RISK = "at_risk"


EXPOSURE_OF: dict[Category, Exposure] = {
    Category.UNITS_UNDERBILLED: Exposure.RECOVERABLE,
    Category.UNITS_OVERBILLED: Exposure.AT_RISK,
    Category.MODIFIER_MISSING_GO: Exposure.AT_RISK,
    Category.MODIFIER_MISSING_KX: Exposure.AT_RISK,
    Category.MODIFIER_MISSING_CO: Exposure.AT_RISK,
    Category.NCCI_UNMODIFIED_PAIR: Exposure.AT_RISK,
    Category.POC_MISSING_OR_EXPIRED: Exposure.AT_RISK,
    Category.PROGRESS_REPORT_LAPSED: Exposure.AT_RISK,
    Category.AUTHORIZATION_EXCEEDED: Exposure.AT_RISK,
    Category.ENCOUNTER_UNBILLED: Exposure.RECOVERABLE,
    Category.CLAIM_UNACKNOWLEDGED: Exposure.AT_RISK,
    Category.TIMELY_FILING_RISK: Exposure.AT_RISK,
    Category.UNDERPAID: Exposure.RECOVERABLE,
    Category.DENIAL_UNWORKED: Exposure.RECOVERABLE,
}

COLUMNS = (
    "category",
    "encounter_id",
    "claim_id",
    "date_of_service",
    "payer",
    "code",
    "billed_units",
    "expected_units",
    "amount",
    "rule",
    "source",
    "exposure",
    "provisional",
    "evidence",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: ``encounter_id`` or ``claim_id`` (or both) name where it is; ``evidence`` says what was
    compared (codes, units, modifiers, amounts, file names: never a patient's identity)."""

    category: Category
    date_of_service: date | None
    payer: str
    amount: Decimal
    rule: str
    source: str
    encounter_id: str | None = None
    claim_id: str | None = None
    code: str | None = None
    billed_units: int | None = None
    expected_units: int | None = None
    provisional: bool = False
    evidence: str = ""

    @property
    def exposure(self) -> Exposure:
        return EXPOSURE_OF[self.category]

    def as_plain_data(self) -> dict[str, Any]:
        """The finding as JSON-ready values, in :data:`COLUMNS` order (amount as a string of dollars)."""
        return {
            "category": self.category.value,
            "encounter_id": self.encounter_id,
            "claim_id": self.claim_id,
            "date_of_service": self.date_of_service.isoformat() if self.date_of_service else None,
            "payer": self.payer,
            "code": self.code,
            "billed_units": self.billed_units,
            "expected_units": self.expected_units,
            "amount": str(self.amount),
            "rule": self.rule,
            "source": self.source,
            "exposure": self.exposure.value,
            "provisional": self.provisional,
            "evidence": self.evidence,
        }


def finding_order(finding: Finding) -> tuple[object, ...]:
    """Largest amounts first, then date, category and ids: the same input always lists the same way."""
    return (
        -abs(finding.amount),
        finding.date_of_service or date.min,
        finding.category.value,
        finding.encounter_id or "",
        finding.claim_id or "",
        finding.code or "",
    )
