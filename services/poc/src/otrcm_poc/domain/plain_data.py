"""Plans, authorizations and IEPs as plain data (dicts of str, int, bool, None, lists; dates as ISO
strings) and back: what the service stores in a JSON column or puts in an event. A round trip gives
back an equal value; reading back re-checks nothing the events already checked, except the types.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from otrcm_poc.domain.authorization import Authorization, AuthorizationUnit, AuthorizationUse
from otrcm_poc.domain.credentials import CertifierCredential
from otrcm_poc.domain.day_counting import DateRange
from otrcm_poc.domain.iep import IepPlan
from otrcm_poc.domain.plan import CertificationMethod, Certifier, InitialCertification, PlanOfCare, Recertification
from otrcm_shared.events.encounters import Discipline

PlainData = dict[str, Any]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_day(value: Any) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _required_day(data: Mapping[str, Any], key: str) -> date:
    return date.fromisoformat(data[key])


def _certifier_data(certifier: Certifier) -> PlainData:
    return {"npi": certifier.npi, "credential": certifier.credential.value}


def _certifier(data: Mapping[str, Any]) -> Certifier:
    return Certifier(str(data["npi"]), CertifierCredential(data["credential"]))


def plan_as_plain_data(plan: PlanOfCare) -> PlainData:
    """The plan as plain data (see :func:`plan_from_plain_data`)."""
    certification = plan.certification
    return {
        "plan_id": plan.plan_id,
        "patient_key": plan.patient_key,
        "evaluation_date": plan.evaluation_date.isoformat(),
        "duration_days": plan.duration_days,
        "discipline": plan.discipline.value,
        "low_vision": plan.low_vision,
        "written_order_on_file": plan.written_order_on_file,
        "sent_on": _day(plan.sent_on),
        "certification": None
        if certification is None
        else {
            "method": certification.method.value,
            "certifier": _certifier_data(certification.certifier),
            "dated_on": certification.dated_on.isoformat(),
            "signed_on": _day(certification.signed_on),
            "duration_days": certification.duration_days,
        },
        "late_reason": plan.late_reason,
        "recertifications": [
            {
                "signed_on": recert.signed_on.isoformat(),
                "certifier": _certifier_data(recert.certifier),
                "duration_days": recert.duration_days,
                "starts_on": _day(recert.starts_on),
                "late_reason": recert.late_reason,
            }
            for recert in plan.recertifications
        ],
        "discontinued_on": _day(plan.discontinued_on),
        "treatment_dates": [day.isoformat() for day in plan.treatment_dates],
        "progress_report_dates": [day.isoformat() for day in plan.progress_report_dates],
    }


def plan_from_plain_data(data: Mapping[str, Any]) -> PlanOfCare:
    """The plan written by :func:`plan_as_plain_data`."""
    certification_data = data.get("certification")
    certification = None
    if certification_data is not None:
        certification = InitialCertification(
            method=CertificationMethod(certification_data["method"]),
            certifier=_certifier(certification_data["certifier"]),
            dated_on=_required_day(certification_data, "dated_on"),
            signed_on=_parse_day(certification_data.get("signed_on")),
            duration_days=certification_data.get("duration_days"),
        )
    recertifications = tuple(
        Recertification(
            signed_on=_required_day(item, "signed_on"),
            certifier=_certifier(item["certifier"]),
            duration_days=int(item["duration_days"]),
            starts_on=_parse_day(item.get("starts_on")),
            late_reason=item.get("late_reason"),
        )
        for item in data.get("recertifications", [])
    )
    return PlanOfCare(
        plan_id=str(data["plan_id"]),
        patient_key=str(data["patient_key"]),
        evaluation_date=_required_day(data, "evaluation_date"),
        duration_days=int(data["duration_days"]),
        discipline=Discipline(data.get("discipline", Discipline.OT.value)),
        low_vision=bool(data.get("low_vision", False)),
        written_order_on_file=bool(data.get("written_order_on_file", False)),
        sent_on=_parse_day(data.get("sent_on")),
        certification=certification,
        late_reason=data.get("late_reason"),
        recertifications=recertifications,
        discontinued_on=_parse_day(data.get("discontinued_on")),
        treatment_dates=tuple(date.fromisoformat(day) for day in data.get("treatment_dates", [])),
        progress_report_dates=tuple(date.fromisoformat(day) for day in data.get("progress_report_dates", [])),
    )


def authorization_as_plain_data(authorization: Authorization) -> PlainData:
    """The authorization as plain data (see :func:`authorization_from_plain_data`)."""
    return {
        "authorization_id": authorization.authorization_id,
        "payer_id": authorization.payer_id,
        "patient_key": authorization.patient_key,
        "unit": authorization.unit.value,
        "authorized": authorization.authorized,
        "start_date": authorization.valid.first.isoformat(),
        "end_date": authorization.valid.last.isoformat(),
        "used_before_tracking": authorization.used_before_tracking,
        "uses": [
            {"encounter_id": use.encounter_id, "date_of_service": use.date_of_service.isoformat(), "amount": use.amount}
            for use in authorization.uses
        ],
    }


def authorization_from_plain_data(data: Mapping[str, Any]) -> Authorization:
    """The authorization written by :func:`authorization_as_plain_data`."""
    return Authorization(
        authorization_id=str(data["authorization_id"]),
        payer_id=str(data["payer_id"]),
        patient_key=str(data["patient_key"]),
        unit=AuthorizationUnit(data.get("unit", AuthorizationUnit.VISITS.value)),
        authorized=int(data["authorized"]),
        valid=DateRange(_required_day(data, "start_date"), _required_day(data, "end_date")),
        used_before_tracking=int(data.get("used_before_tracking", 0)),
        uses=tuple(
            AuthorizationUse(str(use["encounter_id"]), _required_day(use, "date_of_service"), int(use["amount"]))
            for use in data.get("uses", [])
        ),
    )


def iep_as_plain_data(iep: IepPlan) -> PlainData:
    """The IEP as plain data (see :func:`iep_from_plain_data`)."""
    return {
        "plan_id": iep.plan_id,
        "patient_key": iep.patient_key,
        "starts_on": iep.starts_on.isoformat(),
        "ends_on": iep.ends_on.isoformat(),
        "frequency": iep.frequency,
    }


def iep_from_plain_data(data: Mapping[str, Any]) -> IepPlan:
    """The IEP written by :func:`iep_as_plain_data`."""
    return IepPlan(
        plan_id=str(data["plan_id"]),
        patient_key=str(data["patient_key"]),
        starts_on=_required_day(data, "starts_on"),
        ends_on=_required_day(data, "ends_on"),
        frequency=data.get("frequency"),
    )
