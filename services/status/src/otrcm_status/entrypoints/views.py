"""The read API's answers as plain JSON data: the domain's views, field by field (dates ISO, amounts as decimal
strings). Ids, codes, dates, counts and the rules' sentences; the opaque patient key only for the front door,
which answers with the client's patient id instead."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from otrcm_shared.events.claims import Balance
from otrcm_shared.rules.plan_periods import PROGRESS_REPORT_TREATMENT_DAYS
from otrcm_status.domain.alerts import Alert
from otrcm_status.domain.authorizations import AuthorizationView
from otrcm_status.domain.billing_days import HeldDay
from otrcm_status.domain.claim_history import AdjustmentLine, Code, HistoryStep, Remittance
from otrcm_status.domain.payment_posting import PostingView
from otrcm_status.domain.plan_view import PlanView


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _holds(days: tuple[HeldDay, ...]) -> dict[str, Any]:
    return {
        "days_held": len(days),
        "days": [
            {"date_of_service": _iso(day.date_of_service), "encounter_ids": list(day.encounter_ids),
             "reason_codes": list(day.reason_codes), "messages": list(day.messages)}
            for day in days
        ],
    }  # fmt: skip


def plan_json(view: PlanView) -> dict[str, Any]:
    plan, reports = view.plan, view.progress_reports
    return {
        "plan_id": plan.plan_id,
        "patient_key": plan.patient_key,
        "discipline": plan.discipline,
        "is_iep": plan.is_iep,
        "evaluation_date": _iso(plan.evaluation_date),
        "duration_days": plan.duration_days,
        "iep_end": _iso(plan.iep_end),
        "sent_on": _iso(plan.sent_on),
        "written_order_on_file": plan.written_order_on_file,
        "late_reason_recorded": plan.late_reason_recorded,
        "discontinued_on": _iso(plan.discontinued_on),
        "certification_periods": [
            {
                **asdict(period),
                "start": _iso(period.start),
                "end": _iso(period.end),
                "kind": "initial" if period.number == 0 else "recertification",
                "certified_on": _iso(period.certified_on),
                "signed_on": _iso(period.signed_on),
            }
            for period in view.certification_periods
        ],
        "certified_through": _iso(view.certified_through),
        "recertification_due_on": _iso(view.recertification_due_on),
        "treatment_days": view.treatment_days,
        "progress_reports": None
        if reports is None
        else {
            "filed": reports.filed,
            "last_filed_on": _iso(reports.last_filed_on),
            "period_started_on": _iso(reports.period_started_on),
            "treatment_days_in_period": reports.treatment_days_in_period,
            "treatment_days_left": reports.treatment_days_left,
            "due_every_treatment_days": PROGRESS_REPORT_TREATMENT_DAYS,
            "overdue": reports.overdue,
        },
        "holds": _holds(view.holds),
        "steps_not_applied": list(plan.ignored_steps),
    }


def authorization_json(view: AuthorizationView) -> dict[str, Any]:
    auth = view.authorization
    return {
        "authorization_id": auth.authorization_id,
        "patient_key": auth.patient_key,
        "payer_id": auth.payer_id,
        "unit": auth.unit,
        "authorized": auth.authorized,
        "used": view.used,
        "left": view.left,
        "start_date": _iso(auth.start_date),
        "end_date": _iso(auth.end_date),
        "uses": [
            {"encounter_id": use.encounter_id, "date_of_service": _iso(use.date_of_service), "amount": use.amount}
            for use in view.uses
        ],
        "holds": _holds(view.holds),
    }


def alert_json(alert: Alert, is_open: bool) -> dict[str, Any]:
    return {
        "condition_id": alert.condition_id,
        "kind": alert.kind,
        "subject_id": alert.subject_id,
        "patient_key": alert.patient_key,
        "message": alert.message,
        "due_on": _iso(alert.due_on),
        "dataset": alert.dataset,
        "year": alert.year,
        "raised_at": _iso(alert.raised_at),
        "open": is_open,
    }


def _code(code: Code) -> dict[str, Any]:
    return {"code": code.code, "description": code.description, "source": code.source}


def _adjustment(line: AdjustmentLine) -> dict[str, Any]:
    return {
        "group": _code(line.group),
        "reason": _code(line.reason),
        "amount": _money(line.amount),
        "remarks": [_code(remark) for remark in line.remarks],
        "category": line.category,
        "denial": line.denial,
    }


def remittance_json(remittance: Remittance | None) -> dict[str, Any] | None:
    if remittance is None:
        return None
    return {
        "charge": _money(remittance.charge),
        "paid": _money(remittance.paid),
        "patient_responsibility": _money(remittance.patient_responsibility),
        "payer_claim_control_number": remittance.payer_claim_control_number,
        "denial_category": remittance.denial_category,
        "denied_lines": list(remittance.denied_lines),
        "adjustments": [_adjustment(line) for line in remittance.adjustments],
        "denials": [_adjustment(line) for line in remittance.denials],
        "posting": posting_json(remittance.posting),
    }


def _balance(balance: Balance) -> dict[str, Any]:
    return {
        "charged": _money(balance.charged),
        "allowed": _money(balance.allowed),
        "paid": _money(balance.paid),
        "adjusted": _money(balance.adjusted),
        "patient_responsibility": _money(balance.patient_responsibility),
        "balanced": balance.balanced,
    }


def _shown(adjustments: tuple[AdjustmentLine, ...]) -> list[dict[str, Any]]:
    return [_adjustment(line) for line in adjustments]


def posting_json(posting: PostingView | None) -> dict[str, Any] | None:
    if posting is None:
        return None
    return {
        "trace_number": posting.trace_number,
        "payment_date": _iso(posting.payment_date),
        "payment_method": posting.payment_method,
        "claim_status_code": posting.claim_status_code,
        "claim_status": posting.claim_status,
        "payer_claim_control_number": posting.payer_claim_control_number,
        "forwarded_to": posting.forwarded_to,
        "balance": _balance(posting.balance),
        "expected_paid": _money(posting.expected_paid),
        "variance": _money(posting.variance),
        "claim_adjustments": _shown(posting.claim_adjustments),
        "lines": [
            {
                "line_key": line.line_key,
                "line_control_number": line.line_control_number,
                "procedure_code": line.procedure_code,
                "modifiers": list(line.modifiers),
                "service_date": _iso(line.service_date),
                "units": str(line.units),
                "balance": _balance(line.balance),
                "adjustments": _shown(line.adjustments),
                "expected_allowed": _money(line.expected_allowed),
                "expected_paid": _money(line.expected_paid),
                "variance": _money(line.variance),
            }
            for line in posting.lines
        ],
    }


def history_json(step: HistoryStep) -> dict[str, Any]:
    return {
        "revision": step.revision,
        "status": step.status,
        "previous_status": step.previous_status,
        "source": step.source,
        "acknowledgment": step.acknowledgment,
        "at": _iso(step.at),
        "reasons": list(step.reasons),
        "remittance": remittance_json(step.remittance),
    }
