"""Small builders for the poc domain tests: a plan from a few facts, Medicare-like requirements, ids.

Not a test module. Dates in the tests are written out by hand; nothing here computes an expected value.
"""

from __future__ import annotations

from datetime import date

from otrcm_poc.domain import (
    CURRENT_POLICY_DATES,
    Authorization,
    AuthorizationUnit,
    BillingRecords,
    DateRange,
    EncounterFacts,
    GateDecision,
    PayerRequirements,
    PlanCreated,
    PlanEvent,
    PlanOfCare,
    PlanSigned,
    PolicyDates,
    gate_encounter,
    replay_plan,
)

PLAN = "P-1"
NPI = "1234567893"

MEDICARE_LIKE = PayerRequirements(requires_certified_plan=True, progress_reports_required=True)
"""What Medicare Part B asks of an OT encounter (Pub. 100-02 Ch. 15 §220.1.3, §220.3), as data."""

CERTIFIED_PLAN = PayerRequirements(requires_certified_plan=True)
"""Only a certified plan (no progress-report counting): isolates the certification rules."""


def created(evaluation: date, *, days: int = 90, low_vision: bool = False, written_order: bool = False) -> PlanCreated:
    return PlanCreated(
        PLAN,
        "patient-key-1",
        evaluation,
        duration_days=days,
        low_vision=low_vision,
        written_order_on_file=written_order,
    )


def plan_of(evaluation: date, *events: PlanEvent, days: int = 90, written_order: bool = False) -> PlanOfCare:
    return replay_plan([created(evaluation, days=days, written_order=written_order), *events])


def signed(on: date, credential: str = "MD") -> PlanSigned:
    return PlanSigned(PLAN, on, NPI, credential)


def visits(authorized: int, first: date, last: date, auth_id: str = "A-1") -> Authorization:
    return Authorization(
        auth_id, "payer-x", "patient-key-1", AuthorizationUnit.VISITS, authorized, DateRange(first, last)
    )


def decide(
    requirements: PayerRequirements,
    day: date,
    records: BillingRecords,
    *,
    encounter_id: str = "E-1",
    is_evaluation: bool = False,
    units: int = 1,
    decided_on: date | None = None,
    policy: PolicyDates = CURRENT_POLICY_DATES,
) -> GateDecision:
    encounter = EncounterFacts(encounter_id, day, is_evaluation, units)
    return gate_encounter(requirements, encounter, records, policy=policy, decided_on=decided_on or day)
