"""The numbers and dates the plan-of-care rules depend on, each with its source.

Numbers that have not changed since the 2008 rewrite of the manual are named constants; the one date a
test must be able to move (the 2025 written-order exception) lives in :class:`PolicyDates`, passed into
every rule that reads it, so both sides of the date can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The 90-day interval and the 10-treatment-day report period are shared with the status service's read model.
from otrcm_shared.rules.plan_periods import MAX_CERTIFICATION_INTERVAL_DAYS as MAX_CERTIFICATION_INTERVAL_DAYS
from otrcm_shared.rules.plan_periods import PROGRESS_REPORT_TREATMENT_DAYS as PROGRESS_REPORT_TREATMENT_DAYS

INITIAL_CERTIFICATION_DAYS = 30
"""Initial certification is timely when dated in the 30 days following the first treatment.
Source: Pub. 100-02 Ch. 15 §220.1.3 B ("Timely certification of the initial plan ...")."""

VERBAL_ORDER_SIGNATURE_DAYS = 14
"""A verbal order to certify must be followed within 14 days by a signature to be timely.
Source: Pub. 100-02 Ch. 15 §220.1.3 B."""

RECERTIFICATION_GRACE_DAYS = 30
"""A recertification dated within 30 days after its interval begins needs no reason for the delay.
Source: Pub. 100-02 Ch. 15 §220.1.3 D (delayed certification: no justification needed during the 30 days
after a certification is due; medium confidence, verify); 42 CFR 424.11(d)(3). See
:func:`otrcm_poc.domain.recertification_is_timely`."""

PLAN_SENT_DAYS = 30
"""The 2025 exception needs the plan sent to the physician/NPP within 30 days of the evaluation.
Source: CY 2025 PFS final rule, 89 FR 97710 at 97912-97918; 42 CFR 424.24(c) as amended."""

WRITTEN_ORDER_EXCEPTION_EFFECTIVE = date(2025, 1, 1)
"""First day the signature exception for the initial certification applies (CY 2025 PFS final rule,
89 FR 97912-97918, effective 2025-01-01; Pub. 100-02 Ch. 15 §220.1.3 as revised for 2025)."""


@dataclass(frozen=True, slots=True)
class PolicyDates:
    """Effective dates of rules that changed over time (pass a different one in tests or for a replay).

    ``written_order_exception_from``: plans whose evaluation (first treatment) falls on or after this
    date may use the written-order exception for their initial certification; earlier plans need the
    physician/NPP's signature. ``None`` switches the exception off entirely.
    """

    written_order_exception_from: date | None = WRITTEN_ORDER_EXCEPTION_EFFECTIVE

    def written_order_exception_in_effect_for(self, evaluation_date: date) -> bool:
        """True when a plan evaluated on ``evaluation_date`` falls under the 2025 exception."""
        start = self.written_order_exception_from
        return start is not None and evaluation_date >= start


CURRENT_POLICY_DATES = PolicyDates()
"""The policy dates in force today (the 2025 exception from 2025-01-01)."""
