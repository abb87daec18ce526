"""Is the plan certified, and in time? The initial certification, the 2025 exception, recertifications.

Sources: Pub. 100-02 Ch. 15 §220.1.3 B (timely initial certification: signature or verbal order dated
in the 30 days following the first day of treatment, the evaluation included; a verbal order followed
within 14 days by a signature), §220.1.3 D and 42 CFR 424.11(d)(3) (delayed certification is accepted
with a reason for the delay; needed therapy is not denied only because certification is late), CY 2025
PFS final rule (89 FR 97912-97918) and 42 CFR 424.24(c) as amended from 2025-01-01 (the written-order
exception for the initial certification only).

Day counting: deadlines count the days *after* the event (see :mod:`day_counting`). With the
evaluation on day 0, a certification dated on day 30 is timely and one dated on day 31 is late; a
signature 14 days after the verbal order is in time and 15 days after is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from otrcm_poc.domain.day_counting import deadline_after
from otrcm_poc.domain.plan import CertificationMethod, InitialCertification, PlanOfCare
from otrcm_poc.domain.policy import (
    INITIAL_CERTIFICATION_DAYS,
    PLAN_SENT_DAYS,
    RECERTIFICATION_GRACE_DAYS,
    VERBAL_ORDER_SIGNATURE_DAYS,
    PolicyDates,
)


class InitialCertificationState(StrEnum):
    """Where the initial certification stands; ``billable`` says which states let treatment be billed."""

    NOT_CERTIFIED = "not_certified"
    VERBAL_ORDER_LAPSED = "verbal_order_lapsed"
    AWAITING_VERBAL_ORDER_SIGNATURE = "awaiting_verbal_order_signature"
    TIMELY = "timely"
    WRITTEN_ORDER_EXCEPTION = "written_order_exception"
    LATE_WITH_REASON = "late_with_reason"
    LATE_WITHOUT_REASON = "late_without_reason"

    @property
    def billable(self) -> bool:
        return self in _BILLABLE

    @property
    def certified(self) -> bool:
        """A certification is documented (in time or not); the plan is past "sent"."""
        return self not in (InitialCertificationState.NOT_CERTIFIED, InitialCertificationState.VERBAL_ORDER_LAPSED)


_BILLABLE = frozenset(
    {
        InitialCertificationState.AWAITING_VERBAL_ORDER_SIGNATURE,
        InitialCertificationState.TIMELY,
        InitialCertificationState.WRITTEN_ORDER_EXCEPTION,
        InitialCertificationState.LATE_WITH_REASON,
    }
)


@dataclass(frozen=True, slots=True)
class InitialCertificationStatus:
    """The initial certification's state, how it was met, the date it counts from, and its deadline."""

    state: InitialCertificationState
    method: CertificationMethod | None
    certified_on: date | None
    deadline: date

    @property
    def billable(self) -> bool:
        return self.state.billable


def initial_certification_deadline(evaluation_date: date) -> date:
    """Rule: the initial certification is timely when dated in the 30 days following the first treatment.

    Source: Pub. 100-02 Ch. 15 §220.1.3 B. Returns the last timely date, ``evaluation + 30``.
    """
    return deadline_after(evaluation_date, INITIAL_CERTIFICATION_DAYS)


def verbal_order_signed_within_fourteen_days(ordered_on: date, signed_on: date) -> bool:
    """Rule: a verbal order to certify must be followed within 14 days by a signature to be timely.

    Source: Pub. 100-02 Ch. 15 §220.1.3 B. Signed 14 days after the order: in time; 15 days: not.
    """
    return signed_on <= deadline_after(ordered_on, VERBAL_ORDER_SIGNATURE_DAYS)


def written_order_exception_applies(plan: PlanOfCare, policy: PolicyDates) -> bool:
    """Rule: from 2025-01-01 the initial certification needs no signature when a signed, dated written
    order or referral is on file and the plan was sent to the physician/NPP within 30 days of the
    evaluation.

    Source: CY 2025 PFS final rule, 89 FR 97710 at 97912-97918; 42 CFR 424.24(c); Pub. 100-02 Ch. 15
    §220.1.3. Effective date from ``policy``. Interpretation: the date compared with the effective date
    is the plan's evaluation (its first treatment), because the exception replaces the signature of the
    plan's initial certification, whose 30-day window opens at the evaluation; a plan evaluated in 2024
    keeps needing a signature for all its dates of service. Never applies to a recertification.
    """
    if not policy.written_order_exception_in_effect_for(plan.evaluation_date):
        return False
    return (
        plan.written_order_on_file
        and plan.sent_on is not None
        and plan.sent_on <= deadline_after(plan.evaluation_date, PLAN_SENT_DAYS)
    )


def documented_certification_date(certification: InitialCertification, today: date) -> date | None:
    """The date the certification counts from, or ``None`` when a verbal order lapsed unsigned.

    A signature counts from its date. A verbal order counts from the order's date when its signature
    came within 14 days, or while that window is still open on ``today``; a signature later than that
    stands on its own date; an order unsigned after 14 days certifies nothing.
    """
    if certification.method is CertificationMethod.SIGNATURE:
        return certification.dated_on
    signed_on = certification.signed_on
    if signed_on is not None:
        if verbal_order_signed_within_fourteen_days(certification.dated_on, signed_on):
            return certification.dated_on
        return signed_on
    if verbal_order_signed_within_fourteen_days(certification.dated_on, today):
        return certification.dated_on
    return None


def initial_certification_status(plan: PlanOfCare, *, policy: PolicyDates, today: date) -> InitialCertificationStatus:
    """Where the plan's initial certification stands on ``today``.

    Order of the checks: a certification documented by the deadline is timely (a verbal order still
    within its 14 days awaits its signature); otherwise the 2025 exception, when it applies, meets the
    requirement; otherwise a documented certification is late, billable once a reason is recorded
    (delayed certification, §220.1.3 D); otherwise the plan is not certified (or its verbal order lapsed).
    """
    deadline = initial_certification_deadline(plan.evaluation_date)
    certification = plan.certification
    certified_on = documented_certification_date(certification, today) if certification is not None else None
    method = None
    if certification is not None and certified_on is not None:
        verbal_kept = (
            certification.method is CertificationMethod.VERBAL_ORDER and certified_on == certification.dated_on
        )
        method = CertificationMethod.VERBAL_ORDER if verbal_kept else CertificationMethod.SIGNATURE
    state: InitialCertificationState
    if certified_on is not None and certified_on <= deadline:
        awaiting = certification is not None and certification.signed_on is None
        state = (
            InitialCertificationState.AWAITING_VERBAL_ORDER_SIGNATURE if awaiting else InitialCertificationState.TIMELY
        )
    elif written_order_exception_applies(plan, policy):
        return InitialCertificationStatus(
            InitialCertificationState.WRITTEN_ORDER_EXCEPTION,
            CertificationMethod.WRITTEN_ORDER_EXCEPTION,
            plan.sent_on,
            deadline,
        )
    elif certified_on is not None:
        state = (
            InitialCertificationState.LATE_WITH_REASON
            if plan.late_reason
            else InitialCertificationState.LATE_WITHOUT_REASON
        )
    elif certification is not None:
        state = InitialCertificationState.VERBAL_ORDER_LAPSED
    else:
        state = InitialCertificationState.NOT_CERTIFIED
    return InitialCertificationStatus(state, method, certified_on, deadline)


def recertification_is_timely(interval_first_day: date, signed_on: date) -> bool:
    """Rule: a recertification needs no reason for delay when signed within 30 days after it was due.

    Source: Pub. 100-02 Ch. 15 §220.1.3 D, delayed certification: a certification needs no justification
    during the 30 days after it is due, and a later one is accepted with the reason for the delay
    (42 CFR 424.11(d)(3)). Confidence: medium; the 30-day grace is from the manual's delayed-certification
    text as we read it and should be checked against the current revision. Interpretation: a
    recertification is due on the first day of the interval it certifies (treatment beyond the previous
    interval needs it, §220.1.3 C), so it is timely when signed on or before ``interval_first_day + 30``.
    A recertification signed early is timely.
    """
    return signed_on <= deadline_after(interval_first_day, RECERTIFICATION_GRACE_DAYS)
