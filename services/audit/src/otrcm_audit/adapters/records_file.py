"""Read the practice's records: the import file intake reads (CSV or JSON Lines, docs/import-file.md), plus the
records the audit needs beside encounters, as JSON Lines rows with a ``record_type``:

- ``patient`` (the body of ``POST /v1/patients``): its coverages' member ids match claims to days;
- ``plan_of_care`` (``POST /v1/plans-of-care``) and ``plan_event`` (``plan_id`` + ``POST .../events``);
- ``authorization`` (``POST /v1/authorizations``); ``therapy_spend`` (as the import file has it).

Each row is checked by the same schemas as the API (intake's submission models), and an encounter by the front
door's own rules (check digits, catalog, plausible minutes, dates, place of service, payer). A row that fails is skipped
with its file, row, path and rule (never its values); the rest of the file is read. A CSV file whose header
intake refuses is skipped whole.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from otrcm_intake.adapters.import_csv import ImportedRecord, ImportFileRefused
from otrcm_intake.adapters.reference import encounter_context
from otrcm_intake.domain.encounter_rules import EncounterContext, validate_encounter
from otrcm_intake.domain.schema_errors import violations_from
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
    TherapySpendSubmission,
)
from otrcm_intake.domain.violations import Violation, errors_in
from otrcm_intake.usecases.importer import read_records
from otrcm_shared.events.submissions import EncounterSubmission


class PlanEventRow(PlanEventSubmission):
    plan_id: str


class TherapySpendRow(TherapySpendSubmission):
    patient_id: str


MODELS: dict[str, type[BaseModel]] = {
    "encounter": EncounterSubmission,
    "patient": PatientSubmission,
    "plan_of_care": PlanOfCareSubmission,
    "plan_event": PlanEventRow,
    "authorization": AuthorizationSubmission,
    "therapy_spend": TherapySpendRow,
}
IGNORED = frozenset({"encounter_correction", "encounter_void"})  # corrections: the audit reads the file as final


@dataclass
class PracticeRecords:
    """What the files hold, in file order, and what was skipped (file, row, path, rule)."""

    encounters: list[tuple[str, int, EncounterSubmission]] = field(default_factory=list)
    member_ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (patient_id, payer_id) -> member id
    plans: list[PlanOfCareSubmission] = field(default_factory=list)
    plan_events: list[PlanEventRow] = field(default_factory=list)
    authorizations: list[AuthorizationSubmission] = field(default_factory=list)
    spend: list[TherapySpendRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def part(self, index: int, count: int) -> PracticeRecords:
        """The records of the patients whose ``part_of`` is ``index`` (a patient's days, plans, authorizations
        and spend stay together: the rules that span days, KX accrual and authorization counts, see them all)."""
        plan_patients = {plan.plan_id: plan.patient_id for plan in self.plans}

        def mine(patient_id: str | None) -> bool:
            return part_of(patient_id or "", count) == index

        return PracticeRecords(
            encounters=[e for e in self.encounters if mine(e[2].patient_id)],
            member_ids={key: value for key, value in self.member_ids.items() if mine(key[0])},
            plans=[plan for plan in self.plans if mine(plan.patient_id)],
            plan_events=[step for step in self.plan_events if mine(plan_patients.get(step.plan_id))],
            authorizations=[auth for auth in self.authorizations if mine(auth.patient_id)],
            spend=[spend for spend in self.spend if mine(spend.patient_id)],
        )

    def patient_of_member(self) -> dict[tuple[str, str], str]:
        """(member id, payer id) -> patient id: which part a claim's days belong to."""
        return {(member, payer): patient for (patient, payer), member in self.member_ids.items()}


def part_of(patient_id: str, count: int) -> int:
    """A stable share of the patients: the same patient is always in the same part."""
    return zlib.crc32(patient_id.encode()) % count if count > 1 else 0


def read_practice_records(paths: list[Path], as_of: date) -> PracticeRecords:
    """The records of ``paths``; an encounter is held to the front door's rules as intake would judge it on
    ``as_of`` (``otrcm_intake.domain.encounter_rules``): one the door refuses was never billable."""
    records = PracticeRecords()
    door = _Door(as_of)
    for path in paths:
        try:
            for row in read_records(path):
                _take(records, path, row, door)
        except ImportFileRefused as refused:
            records.skipped.append(f"{path.name}: file skipped: {refused}")
        except (OSError, UnicodeDecodeError) as error:
            records.skipped.append(f"{path.name}: file skipped: cannot be read ({type(error).__name__})")
    return records


class _Door:
    """The front door's encounter rules, with their reference data gathered once per date of service."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.contexts: dict[date, EncounterContext | Violation] = {}

    def problems(self, encounter: EncounterSubmission) -> list[Violation]:
        on = encounter.date_of_service
        if on not in self.contexts:
            self.contexts[on] = encounter_context(on, self.as_of)
        context = self.contexts[on]
        return [context] if isinstance(context, Violation) else errors_in(validate_encounter(encounter, context))


def _take(records: PracticeRecords, path: Path, row: ImportedRecord, door: _Door) -> None:
    where = f"{path.name} row {row.row}"
    item: Any = row.item
    if not isinstance(item, dict):
        records.skipped.append(f"{where}: record skipped: not a JSON object (json.object)")
        return
    kind = str(item.get("record_type", "encounter"))
    if kind in IGNORED:
        records.skipped.append(f"{where}: record skipped: {kind} is not audited (record_type.audited)")
        return
    model = MODELS.get(kind)
    if model is None:
        records.skipped.append(f"{where}: record skipped: unknown record_type (record_type.known)")
        return
    body = {key: value for key, value in item.items() if key != "record_type"}
    try:
        record = model.model_validate(body)
    except ValidationError as error:
        problems = "; ".join(f"{v.path}: {v.rule}" for v in violations_from(error)[:5])
        records.skipped.append(f"{where}: {kind} skipped: {problems}")
        return
    broken = list(row.row_problems)
    if isinstance(record, EncounterSubmission):
        broken += door.problems(record)
    if broken:
        problems = "; ".join(f"{v.path}: {v.rule}" for v in broken[:5])
        records.skipped.append(f"{where}: {kind} skipped: {problems}")
        return
    _keep(records, path, row.row, record)


def _keep(records: PracticeRecords, path: Path, row: int, record: BaseModel) -> None:
    if isinstance(record, EncounterSubmission):
        records.encounters.append((path.name, row, record))
    elif isinstance(record, PatientSubmission):
        for coverage in record.coverages:
            records.member_ids[(record.patient_id, coverage.payer_id)] = coverage.member_id
    elif isinstance(record, PlanOfCareSubmission):
        records.plans.append(record)
    elif isinstance(record, PlanEventRow):
        records.plan_events.append(record)
    elif isinstance(record, AuthorizationSubmission):
        records.authorizations.append(record)
    elif isinstance(record, TherapySpendRow):
        records.spend.append(record)
