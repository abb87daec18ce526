"""Pure rules of the modifiers service: no I/O, no framework imports (checked by the import contract).

One billing day in (:func:`evaluate_billing_day`), every claim line's modifiers (GO, CO, 59/XU, KX),
units, expected amount and holds out, each decision recorded with the rule and source that made it;
the beneficiary's therapy threshold accrual is an immutable value changed by pure functions.
Sources: CMS Pub. 100-04 Ch. 5 §10.3, §10.7, §20.1; NCCI Policy Manual Ch. XI;
docs/billing-rules.md#3-discipline-modifiers to §8.
"""

from otrcm_modifiers.domain.accrual_plain_data import accrual_as_plain_data, accrual_from_plain_data
from otrcm_modifiers.domain.assistant_co import AssistantSplit, split_units_by_who_furnished_them
from otrcm_modifiers.domain.errors import InvalidMinutes, ModifiersError, UnknownCode
from otrcm_modifiers.domain.evaluate_day import DayOutcome, evaluate_billing_day
from otrcm_modifiers.domain.kx_threshold import YearLimits
from otrcm_modifiers.domain.model import (
    Attestations,
    BillingDay,
    DayLine,
    HeldReason,
    LinePart,
    LineResult,
    RuleResult,
    line_key_of,
)
from otrcm_modifiers.domain.payment import to_cents, unit_amount
from otrcm_modifiers.domain.reference import DayReference
from otrcm_modifiers.domain.threshold_accrual import (
    ESTIMATE_NOTE,
    AccrualEstimate,
    DayContribution,
    LineAmount,
    SeededAmount,
    SeedOrigin,
    ThresholdAccrual,
    accrued,
    accrued_before,
    apply_day_contribution,
    empty_accrual,
    later_days,
    remove_lines,
    seed,
)

__all__ = [
    "ESTIMATE_NOTE",
    "AccrualEstimate",
    "AssistantSplit",
    "Attestations",
    "BillingDay",
    "DayContribution",
    "DayLine",
    "DayOutcome",
    "DayReference",
    "HeldReason",
    "InvalidMinutes",
    "LineAmount",
    "LinePart",
    "LineResult",
    "ModifiersError",
    "RuleResult",
    "SeedOrigin",
    "SeededAmount",
    "ThresholdAccrual",
    "UnknownCode",
    "YearLimits",
    "accrual_as_plain_data",
    "accrual_from_plain_data",
    "accrued",
    "accrued_before",
    "apply_day_contribution",
    "empty_accrual",
    "evaluate_billing_day",
    "later_days",
    "line_key_of",
    "remove_lines",
    "seed",
    "split_units_by_who_furnished_them",
    "to_cents",
    "unit_amount",
]
