"""The values the modifier rules take and give: one billing day in, per-line results out.

Every rule is pure and named; each decision it makes is recorded as a :class:`RuleResult` naming the rule
and its source, so an auditor can read why a line carries a modifier, was split, priced or held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from otrcm_shared.events.encounters import Discipline
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicy


class HeldReason(StrEnum):
    """Why a line is not sent: each names what a person must do before it can be billed.

    Billing reasons only: an expected amount is advisory and never holds a line (EXPECTED_AMOUNT_UNKNOWN
    is kept so stored events still read; no rule produces it any more).
    """

    KX_NEEDS_ATTESTATION = "KX_NEEDS_ATTESTATION"
    NCCI_PAIR_NOT_DISTINCT = "NCCI_PAIR_NOT_DISTINCT"
    NCCI_PAIR_NOT_BYPASSABLE = "NCCI_PAIR_NOT_BYPASSABLE"
    TWO_EVALUATIONS_SAME_DAY = "TWO_EVALUATIONS_SAME_DAY"
    MUE_EXCEEDED = "MUE_EXCEEDED"
    CODE_NOT_OF_PLAN_DISCIPLINE = "CODE_NOT_OF_PLAN_DISCIPLINE"
    EXPECTED_AMOUNT_UNKNOWN = "EXPECTED_AMOUNT_UNKNOWN"
    THRESHOLD_UNKNOWN = "THRESHOLD_UNKNOWN"


class LinePart(StrEnum):
    """A documented line is billed whole, or split into a part furnished with an assistant and one without."""

    WHOLE = "whole"
    WITH_ASSISTANT = "with_assistant"
    WITHOUT_ASSISTANT = "without_assistant"


@dataclass(frozen=True, slots=True)
class Attestations:
    """What the clinician documented on the line's encounter; rules read these, never assume them."""

    medical_necessity_documented: bool = False
    distinct_time_blocks: bool = False


@dataclass(frozen=True, slots=True)
class DayLine:
    """One documented service line of the day, with the units the units service gave it.

    ``assistant_minutes`` are the minutes the assistant (OTA/PTA) furnished and are part of ``minutes``.
    ``modifiers`` are the ones the clinician or the source system entered; the rules own GO/GP/GN, CO/CQ,
    KX, 59 and X{EPSU} and re-derive them, passing any other modifier through.
    """

    line_id: str
    code: str
    units: int
    minutes: int
    assistant_minutes: int = 0
    modifiers: tuple[str, ...] = ()
    discipline: Discipline = Discipline.OT
    attestations: Attestations = Attestations()


@dataclass(frozen=True, slots=True)
class BillingDay:
    """Every line of one beneficiary's billing day for one payer, with where and under what policy it bills.

    ``locality`` is the Medicare payment locality of the billing location ('MO-01', 'MO-02', 'MO-99').
    """

    beneficiary_key: str
    date_of_service: date
    payer_id: str
    policy: PayerModifierPolicy
    locality: str
    lines: tuple[DayLine, ...]


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One decision of one rule: the rule's id, the source it follows, the line it touched and what it did."""

    rule_id: str
    source: str
    outcome: str
    detail: str
    line_key: str | None = None
    flag: bool = False


@dataclass(frozen=True, slots=True)
class LineResult:
    """A claim line as the rules leave it: final modifiers, units, expected amount, holds and the why.

    ``line_key`` is ``line_id`` for a whole line and ``line_id:with-assistant``/``line_id:without-assistant``
    for the two parts of a line split by the assistant rule; the threshold accrual is keyed the same way.
    ``expected_amount`` is an estimate in dollars, rounded to cents (None when it could not be priced);
    ``basis`` names the dataset versions it was priced from, and which of them were carried forward.
    """

    line_id: str
    part: LinePart
    code: str
    units: int
    modifiers: tuple[str, ...]
    expected_amount: Decimal | None
    held: tuple[HeldReason, ...]
    rules: tuple[RuleResult, ...] = field(default=())
    basis: tuple[DatasetUsed, ...] = field(default=())

    @property
    def provisional(self) -> tuple[DatasetUsed, ...]:
        """The datasets of the estimate that were carried forward from an earlier year (empty: none)."""
        return tuple(used for used in self.basis if used.provisional)

    @property
    def line_key(self) -> str:
        return line_key_of(self.line_id, self.part)

    @property
    def billable(self) -> bool:
        return not self.held and self.units > 0

    @property
    def flags(self) -> tuple[RuleResult, ...]:
        """Decisions a person should look at even though they did not hold the line."""
        return tuple(result for result in self.rules if result.flag)


def line_key_of(line_id: str, part: LinePart) -> str:
    """The key of one claim line: the line id, plus ':<part>' for the two parts of a split line."""
    if part is LinePart.WHOLE:
        return line_id
    return f"{line_id}:{part.value.replace('_', '-')}"
