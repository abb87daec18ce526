"""The status service's read models on the real broker and PostgreSQL: plan steps, authorizations, the gate's
verdicts, claim steps and alerts published out of order on their topics, read back through the front door with
an API key; another tenant's key gets the 404 of an id that does not exist."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from otrcm_shared.events import Envelope, EventPayload
from otrcm_shared.events.alerts import AlertRaised
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.claims import Adjustment, Balance, LinePosting, PaymentPosting
from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.gate import HoldReason
from otrcm_shared.events.plans import AuthorizationRecorded, PlanEventKind, PlanOfCareRecorded
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.topics import (
    ALERTS,
    AUTHORIZATIONS,
    CLAIM_STATUS,
    DAY_VERDICTS,
    ENCOUNTERS_UNITS_CALCULATED,
    PLANS_OF_CARE,
    partition_key,
    tenant_key,
)
from tests.integration.status.conftest import Door
from tests.support.days import units_day
from tests.support.services import publish

pytestmark = pytest.mark.integration
K = PlanEventKind
NPI = "1234567893"
T0 = datetime(2026, 6, 1, 9, tzinfo=UTC)


def _event(tenant: str, payload: EventPayload, minutes: int = 0) -> str:
    envelope = Envelope.root(payload, tenant_id=tenant, subject="read-models", natural_key=str(uuid4()),
                             stage="test", occurred_at=T0 + timedelta(minutes=minutes))  # fmt: skip
    return envelope.model_dump_json()


def _step(patient_key: str, plan_id: str, kind: PlanEventKind, on: date, **fields: Any) -> PlanOfCareRecorded:
    return PlanOfCareRecorded(plan_id=plan_id, patient_key=patient_key, kind=kind, event_date=on, **fields)


def _day(tenant: str, patient_key: str, encounter_id: str, on: date, payer: str, location: str | None = None) -> Any:
    day = units_day(encounter_id, tenant_id=tenant, patient_key=patient_key, on=on, payer_id=payer,
                    lines=(("97530", 38),)).payload  # fmt: skip
    return day.model_copy(update={"encounters": tuple(e.model_copy(update={"location_id": location})
                                                      for e in day.encounters)})  # fmt: skip


def _verdict(day: UnitsCalculated, revision: int, *reasons: tuple[str, str]) -> DayJudged:
    held = tuple(HoldReason(code=code, message=message) for code, message in reasons)
    return DayJudged(
        day_key=day.day_key, revision=revision, verdict=Verdict.HELD if held else Verdict.CLEARED,
        patient_key=day.patient_key, encounter_ids=tuple(e.encounter_id for e in day.encounters),
        units_revision=day.revision, day=day, reasons=held,
    )  # fmt: skip


async def _eventually(door: Door, url: str, ready: Any, timeout_s: float = 30.0) -> Any:
    """The front door's answer at ``url`` once ``ready(answer)`` holds (the consumer catches up)."""
    seen: Any = None
    for _ in range(int(timeout_s / 0.2)):
        response = await door.client.get(url, headers=door.headers)
        seen = response.json()
        if response.status_code == 200 and ready(seen):
            return seen
        await asyncio.sleep(0.2)
    raise AssertionError(f"{url} never got there: {seen}")


OVERDUE = ("PROGRESS_REPORT_OVERDUE", "treatment day 11 under plan plan-rm-1 without a progress report")


async def test_plans_and_authorizations_from_out_of_order_events_through_the_front_door(door: Door) -> None:
    tenant, settings = door.tenant, door.settings
    patient_key = await door.patient("mrn-rm-1")
    key = partition_key(tenant, patient_key)
    steps = [  # published latest first: the plan folds its steps in date order whatever order they arrive in
        _step(patient_key, "plan-rm-1", K.RECERTIFIED, date(2026, 5, 25), duration_days=60, certifier_npi=NPI,
              certifier_credential="DO"),
        _step(patient_key, "plan-rm-1", K.PROGRESS_REPORT_FILED, date(2026, 3, 20)),
        _step(patient_key, "plan-rm-1", K.CERTIFIED, date(2026, 3, 10), certifier_npi=NPI, certifier_credential="MD"),
        _step(patient_key, "plan-rm-1", K.CREATED, date(2026, 3, 2), evaluation_date=date(2026, 3, 2),
              duration_days=120),
    ]  # fmt: skip
    await publish(settings, PLANS_OF_CARE.name, [_event(tenant, s) for s in steps], key)
    auth = AuthorizationRecorded(authorization_id="auth-rm-1", patient_key=patient_key, payer_id="mo-healthnet-ffs",
                                 authorized=12, start_date=date(2026, 3, 1), end_date=date(2026, 5, 31))  # fmt: skip
    await publish(settings, AUTHORIZATIONS.name, [_event(tenant, auth)], key)
    a = _day(tenant, patient_key, "e-rm-a", date(2026, 3, 5), "mo-healthnet-ffs")
    b = _day(tenant, patient_key, "e-rm-b", date(2026, 3, 12), "mo-healthnet-ffs")
    c = _day(tenant, patient_key, "e-rm-c", date(2026, 4, 1), "medicare-wps-j5", location="LOC-A")
    await publish(settings, ENCOUNTERS_UNITS_CALCULATED.name, [_event(tenant, d) for d in (a, b, c)], key)
    # day b: the release (verdict 2) is read before the hold (verdict 1) it replaced
    verdicts = [_verdict(a, 1), _verdict(b, 2), _verdict(b, 1, ("AUTH_MISSING", "no authorization on file")),
                _verdict(c, 1, OVERDUE)]  # fmt: skip
    await publish(settings, DAY_VERDICTS.name, [_event(tenant, v) for v in verdicts], key)

    plan = await _eventually(door, "/v1/plans-of-care/plan-rm-1",
                             lambda p: p["holds"]["days_held"] == 1 and len(p["certification_periods"]) == 2
                             and p["treatment_days"] == 4)  # fmt: skip
    certifier = {"certifier_npi": NPI}
    assert plan == {
        "plan_id": "plan-rm-1", "patient_id": "mrn-rm-1", "discipline": "OT", "is_iep": False,
        "evaluation_date": "2026-03-02", "duration_days": 120, "iep_end": None, "sent_on": None,
        "written_order_on_file": False, "late_reason_recorded": False, "discontinued_on": None,
        "certification_periods": [
            {"number": 0, "kind": "initial", "start": "2026-03-02", "end": "2026-05-30", "method": "signature",
             "certified_on": "2026-03-10", "signed_on": "2026-03-10", "certifier_credential": "MD", **certifier},
            {"number": 1, "kind": "recertification", "start": "2026-05-31", "end": "2026-07-29",
             "method": "recertification", "certified_on": "2026-05-25", "signed_on": "2026-05-25",
             "certifier_credential": "DO", **certifier},
        ],
        "certified_through": "2026-07-29", "recertification_due_on": "2026-07-30", "treatment_days": 4,
        "progress_reports": {
            "filed": 1, "last_filed_on": "2026-03-20", "period_started_on": "2026-04-01",
            "treatment_days_in_period": 1, "treatment_days_left": 9, "due_every_treatment_days": 10, "overdue": False,
        },
        "holds": {"days_held": 1, "days": [{"date_of_service": "2026-04-01", "encounter_ids": ["e-rm-c"],
                                            "reason_codes": [OVERDUE[0]], "messages": [OVERDUE[1]]}]},
        "steps_not_applied": [],
    }  # fmt: skip
    assert await door.get("/v1/plans-of-care?patient_id=mrn-rm-1") == {"plans_of_care": [plan]}

    authorization = await _eventually(door, "/v1/authorizations/auth-rm-1", lambda found: found["used"] == 2)
    assert authorization == {
        "authorization_id": "auth-rm-1", "patient_id": "mrn-rm-1", "payer_id": "mo-healthnet-ffs", "unit": "visits",
        "authorized": 12, "used": 2, "left": 10, "start_date": "2026-03-01", "end_date": "2026-05-31",
        "uses": [{"encounter_id": "e-rm-a", "date_of_service": "2026-03-05", "amount": 1},
                 {"encounter_id": "e-rm-b", "date_of_service": "2026-03-12", "amount": 1}],
        "holds": {"days_held": 0, "days": []},
    }  # fmt: skip
    assert await door.get("/v1/authorizations?patient_id=mrn-rm-1") == {"authorizations": [authorization]}

    at_a = await door.get("/v1/worklist?location_id=LOC-A")
    assert [(i["encounter_id"], i["location_id"], i["reason_codes"]) for i in at_a["items"]] == [
        ("e-rm-c", "LOC-A", [OVERDUE[0]])]  # fmt: skip
    assert (await door.get("/v1/worklist?location_id=LOC-B"))["total"] == 0

    other = await door.another_tenant()
    pairs = [("plans-of-care/plan-rm-1", "plans-of-care/plan-never"),
             ("authorizations/auth-rm-1", "authorizations/auth-never"),
             ("plans-of-care?patient_id=mrn-rm-1", "plans-of-care?patient_id=mrn-never"),
             ("authorizations?patient_id=mrn-rm-1", "authorizations?patient_id=mrn-never")]  # fmt: skip
    for ours, unknown in pairs:
        assert await door.get(f"/v1/{ours}", other, 404) == await door.get(f"/v1/{unknown}", door.headers, 404)


def _claim_step(patient_key: str, revision: int, status: ClaimStatus, source: str, **fields: Any) -> ClaimStatusChanged:
    return ClaimStatusChanged(
        claim_id="C-RM-1", revision=revision, status=status, source=source, patient_key=patient_key,
        payer_id="medicare-wps-j5", day_keys=(f"{patient_key}/2026-04-01/OT/medicare-wps-j5/{NPI}",),
        encounter_ids=("e-rm-claimed",), **fields,
    )  # fmt: skip


_POSTING = PaymentPosting(
    trace_number="EFT-RM-1", payment_date=date(2026, 4, 20), payment_method="ACH", claim_status_code="1",
    balance=Balance(charged=Decimal("300.00"), allowed=Decimal("189.00"), paid=Decimal("151.20"),
                    adjusted=Decimal("148.80"), patient_responsibility=Decimal("37.80"), balanced=True),
    lines=(LinePosting(line_key="e1#1", procedure_code="97530", units=Decimal(2), balance=Balance(
        charged=Decimal("225.00"), allowed=Decimal("189.00"), paid=Decimal("151.20"), adjusted=Decimal("73.80"),
        patient_responsibility=Decimal("37.80"), balanced=True),
        adjustments=(Adjustment(group="CO", carc="45", amount=Decimal("36.00")),
                     Adjustment(group="PR", carc="2", amount=Decimal("37.80"))),
        expected_allowed=Decimal("192.00"), expected_paid=Decimal("153.60"), variance=Decimal("-2.40")),),
)  # fmt: skip


async def test_a_claims_history_and_the_alerts_through_the_front_door(door: Door) -> None:
    tenant, settings = door.tenant, door.settings
    patient_key = await door.patient("mrn-rm-2")
    key = partition_key(tenant, patient_key)
    paid = _claim_step(
        patient_key, 5, ClaimStatus.PARTIALLY_PAID, "835", charge=Decimal("300.00"), paid=Decimal("151.20"),
        patient_responsibility=Decimal("37.80"), payer_claim_control_number="22126000123456", line_keys=("e1#2",),
        denial_category="bundled", adjustments=(
            Adjustment(group="CO", carc="45", amount=Decimal("36.00")),
            Adjustment(group="CO", carc="97", amount=Decimal("75.00"), rarcs=("N20", "N999"), category="bundled"),
        ), posting=_POSTING,
    )  # fmt: skip
    claim_steps = [paid, _claim_step(patient_key, 2, ClaimStatus.VALIDATED, "batch"),
                   _claim_step(patient_key, 4, ClaimStatus.ACCEPTED, "277ca", reasons=("277CA A2:20",)),
                   _claim_step(patient_key, 1, ClaimStatus.BUILT, "batch"),
                   _claim_step(patient_key, 3, ClaimStatus.SUBMITTED, "batch")]  # fmt: skip
    await publish(settings, CLAIM_STATUS.name, [_event(tenant, s, s.revision) for s in claim_steps], key)

    claim = await _eventually(door, "/v1/claims/C-RM-1", lambda found: len(found["history"]) == 5)
    assert claim["status"] == "partially_paid"
    assert [(s["revision"], s["status"], s["acknowledgment"]) for s in claim["history"]] == [
        (1, "built", None), (2, "validated", None), (3, "submitted", None), (4, "accepted", "277CA"),
        (5, "partially_paid", "835")]  # fmt: skip
    assert claim["history"][3]["at"] == (T0 + timedelta(minutes=4)).isoformat()
    remittance = claim["remittance"]
    assert remittance == claim["history"][4]["remittance"]
    assert (remittance["paid"], remittance["patient_responsibility"], remittance["payer_claim_control_number"]) == (
        "151.20", "37.80", "22126000123456")  # fmt: skip
    (denial,) = remittance["denials"]
    assert (denial["group"]["code"], denial["reason"]["code"], denial["amount"]) == ("CO", "97", "75.00")
    assert "bundled" in denial["reason"]["description"]
    assert [(r["code"], r["description"]) for r in denial["remarks"]] == [
        ("N20", "not payable with another service on the same date"), ("N999", None)]  # fmt: skip
    posting = remittance["posting"]  # the payment line by line, through the front door
    assert (posting["trace_number"], posting["payment_date"], posting["claim_status"]) == (
        "EFT-RM-1", "2026-04-20", "processed as primary")  # fmt: skip
    assert posting["balance"]["paid"] == "151.20"
    assert posting["balance"]["balanced"] is True
    [line] = posting["lines"]
    assert (line["line_key"], line["variance"], line["adjustments"][0]["reason"]["code"]) == ("e1#1", "-2.40", "45")

    plan = [_step(patient_key, "plan-rm-2", K.CREATED, date(2026, 3, 2), evaluation_date=date(2026, 3, 2),
                  duration_days=60),
            _step(patient_key, "plan-rm-2", K.CERTIFIED, date(2026, 3, 5), certifier_npi=NPI,
                  certifier_credential="NP"),
            _step(patient_key, "plan-rm-2", K.PROGRESS_REPORT_FILED, date(2026, 3, 20))]  # fmt: skip
    await publish(settings, PLANS_OF_CARE.name, [_event(tenant, s) for s in plan], key)
    recert = AlertRaised(
        condition_id="plan-rm-2:recert-due:2026-04-30",
        kind="recert-due",
        patient_key=patient_key,
        subject_id="plan-rm-2",
        message="plan plan-rm-2 is certified through 2026-04-30",
    )
    report = AlertRaised(
        condition_id="plan-rm-2:progress-report-due:2026-03-02",
        kind="progress-report-due",
        patient_key=patient_key,
        subject_id="plan-rm-2",
        message="progress report due",
    )
    dataset = AlertRaised(condition_id="medicare_pfs:2027", kind="REFERENCE_DATA_PROVISIONAL",
                          subject_id="medicare_pfs", message="medicare_pfs has no 2027 version", dataset="medicare_pfs",
                          year=2027)  # fmt: skip
    await publish(settings, ALERTS.name, [_event(tenant, recert, 1), _event(tenant, report, 2)], key)
    await publish(settings, ALERTS.name, [_event(tenant, dataset, 3)], tenant_key(tenant, "reference-data"))

    everything = await _eventually(door, "/v1/alerts", lambda page: page["total"] == 3)
    assert [(a["kind"], a["patient_id"], a["open"]) for a in everything["items"]] == [
        ("recert-due", "mrn-rm-2", True),  # certified through 2026-04-30, never recertified
        ("progress-report-due", "mrn-rm-2", False),  # a report was filed on 2026-03-20
        ("REFERENCE_DATA_PROVISIONAL", None, True),
    ]  # fmt: skip
    assert [a["condition_id"] for a in (await door.get("/v1/alerts?open=false"))["items"]] == [report.condition_id]
    assert [a["kind"] for a in (await door.get("/v1/alerts?kind=recert-due&open=true"))["items"]] == ["recert-due"]
    page = await door.get("/v1/alerts?limit=2")
    assert (len(page["items"]), page["next_offset"]) == (2, 2)

    other = await door.another_tenant()
    assert await door.get("/v1/claims/C-RM-1", other, 404) == await door.get("/v1/claims/C-NEVER", door.headers, 404)
    assert await door.get("/v1/alerts", other) == {"total": 0, "items": [], "next_offset": None}
