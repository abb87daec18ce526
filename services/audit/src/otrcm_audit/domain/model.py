"""The values the audit compares: what a day should have billed (from the pipeline's own rules), what the
837P files billed, what the 835 files paid, and what the 999/277CA files acknowledged.

A billing day is matched to claims by :class:`DayMatch`: the member id the claim names (2010BA NM1*IL), the
payer id (2010BB NM1*PR), the billing provider NPI (2010AA) and the service date (DTP*472). The member id
is held in memory only to match; no finding, log line or report shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class DayMatch:
    member_id: str
    payer_id: str
    billing_npi: str
    date_of_service: date


@dataclass(frozen=True, slots=True)
class ExpectedLine:
    """One claim line as the modifiers rules leave it (units by the payer's method; GO, KX, CO, 59/XU)."""

    encounter_id: str
    code: str
    units: int
    modifiers: tuple[str, ...]
    amount: Decimal | None
    provisional: bool
    held: tuple[str, ...] = ()
    line_key: str = ""

    @property
    def billable(self) -> bool:
        """What the pipeline would send: a line no rule holds, with units."""
        return not self.held and self.units > 0


@dataclass(frozen=True, slots=True)
class GateHold:
    """The plan-of-care gate's reason for holding one encounter of the day (``ReasonCode`` value)."""

    encounter_id: str
    reason: str
    message: str


# The pipeline's own pricing of the day with other units per code: code -> amount (the units findings' dollars).
Repricer = Callable[[Mapping[str, int]], Mapping[str, Decimal]]
# The pipeline's own price of a line (by id) less its price were the assistant's minutes the therapist's.
CoRepricer = Callable[[str], Decimal | None]


def _no_reprice(_: Mapping[str, int]) -> Mapping[str, Decimal]:
    return {}


def _no_co_reprice(_: str) -> Decimal | None:
    return None


@dataclass(frozen=True, slots=True)
class ExpectedDay:
    """One documented billing day and what the rules say it should bill.

    ``tied_codes``: codes between which the clinician may move a unit (CMS total time, equal leftover
    minutes): compared by their sum, not one by one. ``timely_filing_days``: the payer's limit.
    """

    match: DayMatch
    payer_id: str
    method: str
    encounter_ids: tuple[str, ...]
    lines: tuple[ExpectedLine, ...]
    holds: tuple[GateHold, ...] = ()
    tied_codes: frozenset[str] = frozenset()
    timely_filing_days: int | None = None
    reprice: Repricer = field(default=_no_reprice, compare=False)
    reprice_without_assistant: CoRepricer = field(default=_no_co_reprice, compare=False)

    @property
    def date_of_service(self) -> date:
        return self.match.date_of_service

    @property
    def provisional(self) -> bool:
        return any(line.provisional for line in self.lines)

    def amount(self, encounter_id: str | None = None) -> Decimal:
        """The expected allowed amount of the day's billable lines (of one encounter when named)."""
        return sum(
            (
                line.amount
                for line in self.lines
                if line.amount is not None and not line.held and (encounter_id in (None, line.encounter_id))
            ),
            Decimal(0),
        )

    def units_of(self, code: str) -> int:
        return sum(line.units for line in self.lines if line.code == code)


@dataclass(frozen=True, slots=True)
class BilledLine:
    line_control_number: str
    code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    date_of_service: date


@dataclass(frozen=True, slots=True)
class BilledClaim:
    """One 2300 claim of an 837P file: where it came from (file name, creation date, GS06, BHT03)."""

    claim_id: str
    payer_id: str
    member_id: str
    billing_npi: str
    frequency: str
    charge: Decimal
    lines: tuple[BilledLine, ...]
    file: str
    created_on: date
    group_control_number: str
    batch_reference: str

    def matches(self) -> tuple[DayMatch, ...]:
        dates = sorted({line.date_of_service for line in self.lines})
        return tuple(DayMatch(self.member_id, self.payer_id, self.billing_npi, on) for on in dates)


@dataclass(frozen=True, slots=True)
class PaidLine:
    """One 835 2110 line as posted: charge, paid, allowed (AMT*B6 or charge less non-patient adjustments)."""

    code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    paid: Decimal
    allowed: Decimal
    line_control_number: str | None
    denial_reasons: tuple[str, ...]  # "CO-50" ... for adjustments the claims service's table calls denials


@dataclass(frozen=True, slots=True)
class Payment:
    """One 835 CLP for one of our claims, with the file and payment date it came in."""

    claim_id: str
    status: str
    paid: Decimal
    payer_claim_control_number: str
    lines: tuple[PaidLine, ...]
    denial_reasons: tuple[str, ...]
    file: str
    paid_on: date | None

    @property
    def denied(self) -> bool:
        return self.status == "4"


@dataclass(frozen=True, slots=True)
class Acknowledgments:
    """What the 999 and 277CA files said: GS06 numbers accepted or rejected, claim ids accepted or rejected."""

    groups_accepted: frozenset[str] = frozenset()
    groups_rejected: frozenset[str] = frozenset()
    claims_accepted: frozenset[str] = frozenset()
    claims_rejected: frozenset[str] = frozenset()
    read: bool = False  # False: no --acks given; acknowledgments are not judged


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """The audit's thresholds: the business date it judges on, the underpayment tolerance, waits."""

    as_of: date
    tolerance_dollars: Decimal = Decimal("1.00")
    tolerance_percent: Decimal = Decimal("2")
    filing_warning_days: int = 90
    billing_lag_days: int = 7
    acknowledgment_wait_days: int = 7


@dataclass(frozen=True, slots=True)
class BilledDay:
    """The claims that billed one day, oldest first, and the payments of those claims."""

    claims: tuple[BilledClaim, ...]
    payments: Mapping[str, tuple[Payment, ...]] = field(default_factory=dict)

    @property
    def latest(self) -> BilledClaim:
        return self.claims[-1]
