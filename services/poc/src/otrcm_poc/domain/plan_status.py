"""The life-cycle state of a plan on a given day: created, sent, certified, recertified, expired or
discontinued. A summary for people and alerts; the gate reads the detailed rules directly.

Sources: Pub. 100-02 Ch. 15 §220.1.3 (certification and recertification intervals).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from otrcm_poc.domain.certification_intervals import interval_covering
from otrcm_poc.domain.certification_timeliness import initial_certification_status
from otrcm_poc.domain.plan import PlanOfCare
from otrcm_poc.domain.policy import PolicyDates


class PlanStatus(StrEnum):
    CREATED = "created"
    SENT = "sent"
    CERTIFIED = "certified"
    RECERTIFIED = "recertified"
    EXPIRED = "expired"
    DISCONTINUED = "discontinued"


def plan_status_on(plan: PlanOfCare, day: date, *, policy: PolicyDates) -> PlanStatus:
    """The plan's state on ``day`` (which is also "today" for a verbal order's 14-day window).

    Discontinued from its discontinuation date on; expired after its last certification interval (or in a
    gap between intervals); recertified inside a recertification's interval; certified once a
    certification is documented or the 2025 exception applies (in time or not: late is still certified,
    the gate decides billability); sent once sent; created otherwise.
    """
    if plan.discontinued_on is not None and day >= plan.discontinued_on:
        return PlanStatus.DISCONTINUED
    interval = interval_covering(plan, day)
    if interval is None and day >= plan.evaluation_date:
        return PlanStatus.EXPIRED
    if interval is not None and not interval.is_initial:
        return PlanStatus.RECERTIFIED
    if initial_certification_status(plan, policy=policy, today=day).state.certified:
        return PlanStatus.CERTIFIED
    if plan.sent_on is not None and plan.sent_on <= day:
        return PlanStatus.SENT
    return PlanStatus.CREATED
