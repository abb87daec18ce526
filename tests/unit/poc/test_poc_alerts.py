"""Alerts with stable condition ids: recertification due within N days (default 10), a progress report due
within 2 treatment days, an authorization nearly used up, a certification late (30 days passed).

Sources: Pub. 100-02 Ch. 15 §220.1.3 (intervals, 30-day timeliness), §220.3 (10 treatment days).
Dates by hand: evaluation 2025-03-03, 90-day plan ends 2025-05-31; 10 days before is 2025-05-21;
the certification deadline is 2025-04-02.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from otrcm_poc.domain import (
    CURRENT_POLICY_DATES,
    DEFAULT_NEARLY_USED_UP,
    AlertKind,
    Authorization,
    LateReasonRecorded,
    NearlyUsedUpThreshold,
    PlanDiscontinued,
    PlanOfCare,
    PlanRecertified,
    TreatmentDayRecorded,
    alerts_on,
    count_encounter,
)
from tests.unit.poc.builders import NPI, PLAN, plan_of, signed, visits

pytestmark = pytest.mark.unit

EVALUATION = date(2025, 3, 3)


def ids(
    today: date,
    *,
    plans: Sequence[PlanOfCare] = (),
    authorizations: Sequence[Authorization] = (),
    recertification_notice_days: int = 10,
    nearly_used_up: NearlyUsedUpThreshold = DEFAULT_NEARLY_USED_UP,
) -> list[str]:
    alerts = alerts_on(
        today,
        plans=plans,
        authorizations=authorizations,
        policy=CURRENT_POLICY_DATES,
        recertification_notice_days=recertification_notice_days,
        nearly_used_up=nearly_used_up,
    )
    return [alert.condition_id for alert in alerts]


def test_recertification_due_alert_opens_10_days_before_the_interval_ends() -> None:
    """Interval ends 2025-05-31: on 05-21 (10 days left) and 05-31 (0 left) alert; 05-20 (11) and 06-01
    (expired) do not. The id is the same each day, so the service raises it once."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)))
    expected = ["P-1:recert-due:2025-05-31"]
    assert ids(date(2025, 5, 21), plans=[plan]) == expected
    assert ids(date(2025, 5, 31), plans=[plan]) == expected
    assert ids(date(2025, 5, 20), plans=[plan]) == []
    assert ids(date(2025, 6, 1), plans=[plan]) == []


def test_the_notice_period_is_a_parameter_and_a_recertification_moves_the_due_date() -> None:
    """With 20 days' notice 05-11 alerts; once recertified (06-01..08-29) the next due date is 08-29."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)))
    assert ids(date(2025, 5, 11), plans=[plan], recertification_notice_days=20) == ["P-1:recert-due:2025-05-31"]
    recertified = plan_of(
        EVALUATION, signed(date(2025, 3, 10)), PlanRecertified(PLAN, date(2025, 5, 25), NPI, "MD", 90)
    )
    assert ids(date(2025, 5, 25), plans=[recertified]) == []
    assert ids(date(2025, 8, 20), plans=[recertified]) == ["P-1:recert-due:2025-08-29"]


def test_a_discontinued_plan_raises_no_recertification_alert() -> None:
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)), PlanDiscontinued(PLAN, date(2025, 5, 20)))
    assert ids(date(2025, 5, 25), plans=[plan]) == []


def test_progress_report_alert_after_the_8th_treatment_day() -> None:
    """Eight treatment days (03-03 .. 03-19) since the evaluation: due within 2 more; id keyed by the
    period's first treatment day."""
    days = [date(2025, 3, d) for d in (5, 7, 10, 12, 14, 17, 19)]
    plan = plan_of(EVALUATION, signed(date(2025, 3, 4)), *(TreatmentDayRecorded(PLAN, d) for d in days))
    alerts = alerts_on(date(2025, 3, 19), plans=[plan], policy=CURRENT_POLICY_DATES)
    assert [(a.condition_id, a.kind) for a in alerts] == [
        ("P-1:progress-report-due:2025-03-03", AlertKind.PROGRESS_REPORT_DUE)
    ]
    assert "8 treatment days" in alerts[0].message


def test_certification_late_alert_after_30_days_without_certification() -> None:
    """Deadline 2025-04-02: nothing that day; on 04-03 "not certified"; signed late the same id stays
    until a reason is recorded."""
    plan = plan_of(EVALUATION)
    assert ids(date(2025, 4, 2), plans=[plan]) == []
    assert ids(date(2025, 4, 3), plans=[plan]) == ["P-1:certification-late:2025-04-02"]
    late = plan_of(EVALUATION, signed(date(2025, 4, 10)))
    assert ids(date(2025, 4, 10), plans=[late]) == ["P-1:certification-late:2025-04-02"]
    excused = plan_of(EVALUATION, signed(date(2025, 4, 10)), LateReasonRecorded(PLAN, "reason"))
    assert ids(date(2025, 4, 10), plans=[excused]) == []


def test_authorization_nearly_used_up_alert_and_its_parameter() -> None:
    """6 visits with 5 counted: 1 left -> alert id "A-1:auth-nearly-used-up:6"; with 4 counted, only
    a threshold of 2 raises it; an authorization that has ended raises nothing."""
    authorization = visits(6, date(2025, 3, 1), date(2025, 5, 31))
    for number in range(1, 5):
        authorization = count_encounter(authorization, f"E-{number}", date(2025, 3, number + 2), 1)
    assert ids(date(2025, 3, 20), authorizations=[authorization]) == []
    two_left = NearlyUsedUpThreshold(remaining_at_most=2)
    assert ids(date(2025, 3, 20), authorizations=[authorization], nearly_used_up=two_left) == [
        "A-1:auth-nearly-used-up:6"
    ]
    five = count_encounter(authorization, "E-5", date(2025, 3, 20), 1)
    assert ids(date(2025, 3, 20), authorizations=[five]) == ["A-1:auth-nearly-used-up:6"]
    assert ids(date(2025, 6, 1), authorizations=[five]) == []
