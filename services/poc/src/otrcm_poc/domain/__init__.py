"""Plan-of-care domain: is an OT encounter billable under its plan (or IEP), authorization and referral?

Pure: the standard library and ``otrcm_shared.events`` only; no I/O, no framework (an import contract
checks it). Every value is a frozen dataclass; events change a plan through :func:`apply_plan_event`, and
plans, authorizations and IEPs round-trip through plain data for storage. Sources: CMS Pub. 100-02 Ch. 15
§220.1.2-220.1.3 and §220.3, 42 CFR 424.24(c) and 424.11(d), the CY 2025 PFS final rule (89 FR 97912-97918),
docs/billing-rules.md#5-plan-of-care and §9.

Public API
----------
Plan of care
    ``start_plan(PlanCreated) -> PlanOfCare``; ``apply_plan_event(plan, event) -> PlanOfCare``;
    ``replay_plan(events) -> PlanOfCare``. Events: ``PlanCreated``, ``PlanSent``, ``WrittenOrderFiled``,
    ``PlanSigned``, ``VerbalOrderReceived``, ``VerbalOrderSigned``, ``PlanRecertified``,
    ``LateReasonRecorded``, ``ProgressReportFiled``, ``TreatmentDayRecorded``, ``PlanDiscontinued``.
    ``certification_intervals(plan)``, ``interval_covering(plan, day)``, ``last_certified_day(plan)``;
    ``initial_certification_status(plan, *, policy, today) -> InitialCertificationStatus``;
    ``written_order_exception_applies(plan, policy)``; ``recertification_is_timely(first_day, signed_on)``;
    ``plan_status_on(plan, day, *, policy) -> PlanStatus``;
    ``certifier_may_certify_the_plan(plan_id, credential, *, low_vision) -> CertifierCredential``.
Progress reports
    ``treatment_day_number(plan, day)``, ``progress_report_overdue_on(plan, day)``,
    ``open_progress_period(plan, today) -> ProgressPeriod | None``, ``progress_report_due_within(period, n)``.
Authorizations
    ``Authorization``, ``count_encounter(auth, encounter_id, date_of_service, units) -> Authorization``
    (idempotent by encounter id), ``authorization_nearly_used_up(auth, threshold)``.
Gate and release
    ``gate_encounter(requirements, encounter, records, *, policy, decided_on) -> GateDecision`` with
    ``PayerRequirements``, ``EncounterFacts``, ``BillingRecords``; ``plan_for_date_of_service(plans, day)``;
    ``check_release(held_reasons, requirements, encounter, records, *, policy, decided_on) -> ReleaseCheck``;
    ``worth_rechecking(held_reasons, StateChange)``.
Alerts
    ``alerts_on(today, *, plans, authorizations, policy, ...) -> tuple[Alert, ...]`` and one function per kind.
Plain data
    ``plan_as_plain_data`` / ``plan_from_plain_data``, the same for ``authorization`` and ``iep``.

Glossary
--------
**POC**: plan of care, established by the therapist from the evaluation. **Certification**: the
physician/NPP's signature (or verbal order, then signature) approving it; **recertification** approves a
further interval. **Certification interval**: the days a certification covers, the plan's duration or 90
calendar days whichever is less, the first day included. **NPP**: non-physician practitioner (NP, PA,
CNS). **Written-order exception**: from 2025, an initial certification without signature (order on
file, plan sent within 30 days). **Delayed certification**: a late certification, accepted with a
recorded reason. **Treatment day**: a distinct date of service under the plan. **Progress report**: the
OT's report due at least every 10 treatment days. **Authorization**: visits or units a payer approved for
a date range. **IEP**: a school's individualized education program, serving as the plan. **Held**: an
encounter the gate keeps from billing, with reason codes; **released** once a fresh decision clears it.
"""

from otrcm_poc.domain.alerts import (
    Alert,
    AlertKind,
    alerts_on,
    authorization_nearly_used_up_alert,
    certification_late_alert,
    progress_report_due_alert,
    recertification_due_alert,
)
from otrcm_poc.domain.authorization import (
    DEFAULT_NEARLY_USED_UP,
    Authorization,
    AuthorizationUnit,
    AuthorizationUse,
    NearlyUsedUpThreshold,
    amount_an_encounter_uses,
    authorization_nearly_used_up,
    count_encounter,
)
from otrcm_poc.domain.certification_intervals import (
    CertificationInterval,
    certification_intervals,
    interval_covering,
    last_certified_day,
)
from otrcm_poc.domain.certification_timeliness import (
    InitialCertificationState,
    InitialCertificationStatus,
    initial_certification_status,
    recertification_is_timely,
    verbal_order_signed_within_fourteen_days,
    written_order_exception_applies,
)
from otrcm_poc.domain.credentials import CertifierCredential, certifier_may_certify_the_plan
from otrcm_poc.domain.day_counting import DateRange, deadline_after, period_of_days
from otrcm_poc.domain.errors import (
    DisallowedCertifier,
    InvalidAuthorization,
    InvalidIep,
    InvalidPlanEvent,
    PocDomainError,
)
from otrcm_poc.domain.gate import (
    BillingRecords,
    EncounterFacts,
    GateDecision,
    gate_encounter,
    plan_for_date_of_service,
)
from otrcm_poc.domain.iep import IepPlan
from otrcm_poc.domain.payer_requirements import PayerRequirements, PlanSource
from otrcm_poc.domain.plain_data import (
    authorization_as_plain_data,
    authorization_from_plain_data,
    iep_as_plain_data,
    iep_from_plain_data,
    plan_as_plain_data,
    plan_from_plain_data,
)
from otrcm_poc.domain.plan import (
    CertificationMethod,
    Certifier,
    InitialCertification,
    PlanOfCare,
    Recertification,
)
from otrcm_poc.domain.plan_events import (
    LateReasonRecorded,
    PlanCreated,
    PlanDiscontinued,
    PlanEvent,
    PlanRecertified,
    PlanSent,
    PlanSigned,
    ProgressReportFiled,
    TreatmentDayRecorded,
    VerbalOrderReceived,
    VerbalOrderSigned,
    WrittenOrderFiled,
)
from otrcm_poc.domain.plan_status import PlanStatus, plan_status_on
from otrcm_poc.domain.plan_transitions import apply_plan_event, replay_plan, start_plan
from otrcm_poc.domain.policy import CURRENT_POLICY_DATES, WRITTEN_ORDER_EXCEPTION_EFFECTIVE, PolicyDates
from otrcm_poc.domain.progress_reports import (
    ProgressPeriod,
    open_progress_period,
    progress_report_due_within,
    progress_report_overdue_on,
    treatment_day_number,
)
from otrcm_poc.domain.reasons import HoldReason, ReasonCode
from otrcm_poc.domain.release import (
    REASONS_A_CHANGE_CAN_RESOLVE,
    ReleaseCheck,
    StateChange,
    check_release,
    worth_rechecking,
)

__all__ = [
    "CURRENT_POLICY_DATES",
    "DEFAULT_NEARLY_USED_UP",
    "REASONS_A_CHANGE_CAN_RESOLVE",
    "WRITTEN_ORDER_EXCEPTION_EFFECTIVE",
    "Alert",
    "AlertKind",
    "Authorization",
    "AuthorizationUnit",
    "AuthorizationUse",
    "BillingRecords",
    "CertificationInterval",
    "CertificationMethod",
    "Certifier",
    "CertifierCredential",
    "DateRange",
    "DisallowedCertifier",
    "EncounterFacts",
    "GateDecision",
    "HoldReason",
    "IepPlan",
    "InitialCertification",
    "InitialCertificationState",
    "InitialCertificationStatus",
    "InvalidAuthorization",
    "InvalidIep",
    "InvalidPlanEvent",
    "LateReasonRecorded",
    "NearlyUsedUpThreshold",
    "PayerRequirements",
    "PlanCreated",
    "PlanDiscontinued",
    "PlanEvent",
    "PlanOfCare",
    "PlanRecertified",
    "PlanSent",
    "PlanSigned",
    "PlanSource",
    "PlanStatus",
    "PocDomainError",
    "PolicyDates",
    "ProgressPeriod",
    "ProgressReportFiled",
    "ReasonCode",
    "Recertification",
    "ReleaseCheck",
    "StateChange",
    "TreatmentDayRecorded",
    "VerbalOrderReceived",
    "VerbalOrderSigned",
    "WrittenOrderFiled",
    "alerts_on",
    "amount_an_encounter_uses",
    "apply_plan_event",
    "authorization_as_plain_data",
    "authorization_from_plain_data",
    "authorization_nearly_used_up",
    "authorization_nearly_used_up_alert",
    "certification_intervals",
    "certification_late_alert",
    "certifier_may_certify_the_plan",
    "check_release",
    "count_encounter",
    "deadline_after",
    "gate_encounter",
    "iep_as_plain_data",
    "iep_from_plain_data",
    "initial_certification_status",
    "interval_covering",
    "last_certified_day",
    "open_progress_period",
    "period_of_days",
    "plan_as_plain_data",
    "plan_for_date_of_service",
    "plan_from_plain_data",
    "plan_status_on",
    "progress_report_due_alert",
    "progress_report_due_within",
    "progress_report_overdue_on",
    "recertification_due_alert",
    "recertification_is_timely",
    "replay_plan",
    "start_plan",
    "treatment_day_number",
    "verbal_order_signed_within_fourteen_days",
    "worth_rechecking",
    "written_order_exception_applies",
]
