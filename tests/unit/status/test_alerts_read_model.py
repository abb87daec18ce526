"""Alerts stay open until the record they are about shows that what they asked for happened."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from otrcm_shared.events.plans import PlanEventKind
from otrcm_status.domain.alerts import Alert, is_open
from otrcm_status.domain.authorizations import Authorization
from otrcm_status.domain.plan_view import PlanView, plan_view
from tests.unit.status.read_model_samples import MD, PATIENT, created, plan_of, step

pytestmark = pytest.mark.unit

K = PlanEventKind


def alert(kind: str, subject: str, value: str) -> Alert:
    return Alert(f"{subject}:{kind}:{value}", kind, subject, PATIENT, "message", None, None, None,
                 datetime(2026, 5, 20, tzinfo=UTC))  # fmt: skip


def view(*steps: object) -> dict[str, PlanView]:
    plan = plan_of(created(), *steps)  # type: ignore[arg-type]
    return {"plan-1": plan_view(plan, [plan], [], date(2026, 6, 1))}


CERTIFIED = step(K.CERTIFIED, date(2026, 3, 10), **MD)


def test_a_recertification_due_alert_closes_once_the_plan_is_certified_beyond_that_day() -> None:
    due = alert("recert-due", "plan-1", "2026-05-30")
    assert is_open(due, view(CERTIFIED), [])
    recertified = step(K.RECERTIFIED, date(2026, 5, 25), duration_days=60, **MD)
    assert not is_open(due, view(CERTIFIED, recertified), [])
    assert not is_open(due, view(CERTIFIED, step(K.DISCONTINUED, date(2026, 5, 1))), [])


def test_progress_report_and_late_certification_alerts() -> None:
    report_due = alert("progress-report-due", "plan-1", "2026-04-01")
    assert is_open(report_due, view(CERTIFIED, step(K.PROGRESS_REPORT_FILED, date(2026, 3, 20))), [])
    assert not is_open(report_due, view(CERTIFIED, step(K.PROGRESS_REPORT_FILED, date(2026, 4, 9))), [])
    late = alert("certification-late", "plan-1", "2026-04-01")
    assert is_open(late, view(), []), "not certified"
    late_certification = step(K.CERTIFIED, date(2026, 4, 10), **MD)
    assert is_open(late, view(late_certification), []), "certified late, no reason recorded"
    reason = step(K.LATE_REASON_RECORDED, date(2026, 4, 11), reason="physician away")
    assert not is_open(late, view(late_certification, reason), [])


def test_an_authorization_alert_closes_with_a_new_amount_or_a_newer_authorization() -> None:
    old = Authorization("auth-1", PATIENT, "mo-healthnet-ffs", "visits", 12, date(2026, 3, 1), date(2026, 5, 31))
    nearly = alert("auth-nearly-used-up", "auth-1", "12")
    assert is_open(nearly, {}, [old])
    raised = Authorization("auth-1", PATIENT, "mo-healthnet-ffs", "visits", 20, date(2026, 3, 1), date(2026, 5, 31))
    assert not is_open(nearly, {}, [raised])
    newer = Authorization("auth-2", PATIENT, "mo-healthnet-ffs", "visits", 12, date(2026, 6, 1), date(2026, 8, 31))
    assert not is_open(nearly, {}, [old, newer])
    other_payer = Authorization("auth-3", PATIENT, "blue-commercial-ama", "visits", 5, date(2026, 6, 1),
                                date(2026, 8, 31))  # fmt: skip
    assert is_open(nearly, {}, [old, other_payer])


def test_an_alert_whose_subject_is_unknown_or_whose_kind_nothing_closes_stays_open() -> None:
    assert is_open(alert("recert-due", "plan-unknown", "2026-05-30"), {}, [])
    provisional = Alert("ref:provisional", "REFERENCE_DATA_PROVISIONAL", "medicare_pfs", None, "m", None,
                        "medicare_pfs", 2027, datetime(2026, 5, 20, tzinfo=UTC))  # fmt: skip
    assert is_open(provisional, view(CERTIFIED), [])
