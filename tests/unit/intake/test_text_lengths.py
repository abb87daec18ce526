"""Every free-text field of every record the door takes has a length limit, and a text over it is refused at
that field, never cut (issue 17 item 5): each string of each sample record is made 2,000 characters long in
turn, and the door's reading of the record (schema and rules) names that field."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel

from otrcm_intake.adapters.reference import encounter_context
from otrcm_intake.domain import stand_ins
from otrcm_intake.domain.billing_provider_rules import validate_registration
from otrcm_intake.domain.encounter_rules import ALSO_READS, EncounterContext, validate_encounter
from otrcm_intake.domain.reading import read_record
from otrcm_intake.domain.record_rules import ALSO_READS as RECORD_ALSO_READS
from otrcm_intake.domain.record_rules import (
    validate_authorization,
    validate_patient,
    validate_plan,
    validate_plan_event,
)
from otrcm_intake.domain.spend_rules import validate_therapy_spend
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
    TherapySpendSubmission,
)
from otrcm_intake.domain.violations import Violation
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.refdata import PayerProfiles
from otrcm_shared.rules.plan_steps import PlanFacts
from tests.support.intake_samples import BILLING_NPI, billing_provider, encounter, patient

pytestmark = pytest.mark.unit

TODAY = date(2026, 3, 20)
PAYERS = PayerProfiles.builtin(TODAY)
LONG = "A" * 2000


def _encounter_rules(record: Any) -> list[Violation]:
    context = encounter_context(record.date_of_service, TODAY)
    assert isinstance(context, EncounterContext)
    return validate_encounter(record, context)


Rules = Callable[[Any], list[Violation]]
RECORDS: list[tuple[str, type[BaseModel], dict[str, Any], dict[str, Any], Rules]] = [
    ("encounter", EncounterSubmission, encounter(location_id="MO-01"), stand_ins.encounter(TODAY), _encounter_rules),
    ("patient", PatientSubmission,
     patient(address={"line1": "12 Elm St", "line2": "Apt 2", "city": "Saint Louis", "state": "MO",
                      "postal_code": "63101"},
             coverages=[{"payer_id": "mo-healthnet-ffs", "member_id": "12345678", "group_number": "G1"}]),
     stand_ins.patient(TODAY), lambda r: validate_patient(r, PAYERS, TODAY)),
    ("plan", PlanOfCareSubmission, {"plan_id": "p", "patient_id": "mrn-1", "evaluation_date": "2026-03-02",
                                    "duration_days": 60}, stand_ins.plan(TODAY), lambda r: validate_plan(r, TODAY)),
    ("plan step", PlanEventSubmission, {"kind": "late_reason_recorded", "event_date": "2026-03-10", "reason": "fax"},
     stand_ins.plan_event(TODAY), lambda r: validate_plan_event(r, TODAY, PlanFacts(date(2026, 3, 2)))),
    ("authorization", AuthorizationSubmission, {"authorization_id": "a", "patient_id": "mrn-1", "authorized": 6,
     "payer_id": "mo-healthnet-ffs", "start_date": "2026-03-01", "end_date": "2026-04-30"},
     stand_ins.authorization(TODAY), lambda r: validate_authorization(r, PAYERS)),
    ("therapy spend", TherapySpendSubmission, {"year": 2026, "discipline": "ot", "amount": "10.00",
     "source": "manual_entry", "as_of": "2026-03-01"}, stand_ins.therapy_spend(TODAY),
     lambda r: validate_therapy_spend(r, TODAY)),
]  # fmt: skip


def _string_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))


def _with(body: dict[str, Any], path: tuple[str | int, ...], text: str) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = text
    return changed


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(step + 1) if isinstance(step, int) else step for step in path)


CASES = [
    pytest.param(model, body, neutral, rules, path, id=f"{name}:{_dotted(path)}")
    for name, model, body, neutral, rules in RECORDS
    for path in _string_paths(body)
]


@pytest.mark.parametrize(("model", "body", "neutral", "rules", "path"), CASES)
def test_a_text_longer_than_its_limit_is_refused_at_its_field(
    model: type[BaseModel], body: dict[str, Any], neutral: dict[str, Any], rules: Rules, path: tuple[str | int, ...]
) -> None:
    assert read_record(model, body, neutral).whole, "the sample itself is valid"
    reading = read_record(model, _with(body, path, LONG), neutral)
    assert reading.record is not None
    found = reading.with_rules(rules(reading.record), {**ALSO_READS, **RECORD_ALSO_READS})
    assert _dotted(path) in {violation.path for violation in found}


def test_every_text_of_a_billing_provider_registration_has_a_limit() -> None:
    body = billing_provider(BILLING_NPI, location_ids=["MO-01"])
    for path in _string_paths(body):
        changed = _with(body, path, LONG)
        try:
            registration = BillingProviderRegistered.model_validate(changed)
        except ValueError:
            continue  # the schema refuses it (its own length or pattern)
        found = validate_registration(registration, "tenant-a", None, frozenset())
        assert _dotted(path) in {violation.path for violation in found}, _dotted(path)
