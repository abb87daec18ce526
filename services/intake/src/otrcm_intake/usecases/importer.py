"""``otrcm-intake import FILE``: encounters from JSON Lines or CSV, the same rules as the API.

Accepted rows are stored with their events in the outbox and published before the command ends;
rejected rows go to a report (JSON Lines), one entry per refused record in the API's answer shape plus
``row``: the 1-based position of its row in the file (for CSV the header is row 1, as a spreadsheet
shows it); each error of a CSV record also names the ``row`` and ``column`` it points into.
CSV has one row per service line; rows sharing an ``encounter_id`` make one encounter (``import_csv``).
A JSON Lines row with ``"record_type": "therapy_spend"`` is prior therapy spend instead (``patient_id``
plus the body of ``POST /v1/patients/{patient_id}/therapy-spend``), and one with ``"record_type": "patient"``
a patient (the body of ``POST /v1/patients``), validated by the same rules; with ``"encounter_correction"``
or ``"encounter_void"`` it corrects or voids an encounter, as the API's routes do.
Dates are checked against the business date (``OTRCM_BUSINESS_DATE``), as in the API. The format is
documented in the service README and ``docs/import-file.md``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from otrcm_intake.adapters.import_csv import ImportedRecord, ImportFileRefused, column_of, csv_records
from otrcm_intake.adapters.runtime_tables import kit
from otrcm_intake.domain import stand_ins
from otrcm_intake.domain.reading import Reading, read_record
from otrcm_intake.domain.submissions import PatientSubmission
from otrcm_intake.domain.violations import Violation
from otrcm_intake.usecases.accept import Acceptance, accept_encounter
from otrcm_intake.usecases.admin import intake_database
from otrcm_intake.usecases.encounter_corrections import correct_encounter, void_encounter
from otrcm_intake.usecases.outcomes import Outcome
from otrcm_intake.usecases.records import record_patient
from otrcm_intake.usecases.therapy_spend import accept_spend_row
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.runtime.kafka import ensure_topics, make_producer
from otrcm_shared.runtime.migrations import migrate
from otrcm_shared.runtime.outbox import OutboxRelay, stage
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import all_topics

__all__ = ["ImportFileRefused", "read_records", "report_entry", "run_import"]


def read_records(path: Path) -> Iterator[ImportedRecord]:
    """Each record of the file with the row it starts on (CSV: an encounter, gathered from its rows)."""
    if path.suffix.lower() == ".csv":
        yield from csv_records(path)
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield ImportedRecord(number, json.loads(line))
                except ValueError:
                    yield ImportedRecord(number, None)


def report_entry(record: ImportedRecord, result: Acceptance) -> dict[str, Any]:
    """The report's entry for a refused record: the API's answer, its row, and for CSV each error's row and column."""
    entry: dict[str, Any] = {"row": record.row, **result.as_dict()}
    if record.line_rows:
        for kind in ("errors", "warnings"):
            entry[kind] = [_placed(problem, record) for problem in entry.get(kind, [])]
            if not entry[kind]:
                del entry[kind]
    return entry


def _placed(problem: dict[str, str], record: ImportedRecord) -> dict[str, Any]:
    """A CSV record's problem with the row (the line's own row for a path inside a line) and column it is in."""
    parts = problem["path"].split(".")
    row = record.row
    if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit() and 1 <= int(parts[1]) <= len(record.line_rows):
        row = record.line_rows[int(parts[1]) - 1]
    column = column_of(problem["path"])
    return {"row": row, **({"column": column} if column else {}), **problem}


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


async def run_import(settings: RuntimeSettings, path: Path, tenant_id: str, report: Path | None) -> int:
    try:
        records = list(read_records(path))
    except ImportFileRefused as refused:
        print(f"{path.name}: nothing imported: {refused}", file=sys.stderr)
        return 2
    report_path = report or path.with_suffix(path.suffix + ".errors.jsonl")
    db = intake_database(settings)
    counts = {outcome: 0 for outcome in Outcome}
    try:
        await migrate(db, "intake", kit.metadata)
        with report_path.open("w", encoding="utf-8") as errors:
            for done, record in enumerate(records, start=1):
                result = await _accept(db, tenant_id, record, settings.today())
                counts[result.outcome] += 1
                if result.outcome in (Outcome.REJECTED, Outcome.CONFLICT):
                    errors.write(json.dumps(report_entry(record, result)) + "\n")
                _progress(done, len(records))
        sys.stderr.write("\n")
        published = await publish_staged(settings, db)
    finally:
        await db.dispose()
    summary = ", ".join(f"{count} {outcome.value}" for outcome, count in counts.items())
    print(f"{len(records)} records read from {path.name}: {summary}; {published} events published")
    print(f"error report: {report_path}")
    return 0 if counts[Outcome.REJECTED] + counts[Outcome.CONFLICT] == 0 else 1


async def _accept(db: Any, tenant_id: str, record: ImportedRecord, today: date) -> Acceptance:
    item = record.item
    if not isinstance(item, dict):
        problem = Violation("<row>", "schema.json_invalid", "not a JSON object")
        return Acceptance(Outcome.REJECTED, "", violations=[problem])
    if item.get("record_type") == "therapy_spend":
        return await accept_spend_row(db, tenant_id, item, today)
    if item.get("record_type") in ("encounter_correction", "encounter_void"):
        return await _correction_row(db, tenant_id, item, today)
    if item.get("record_type") == "patient":
        return await _accept_patient_row(db, tenant_id, item, today)
    reading = read_record(EncounterSubmission, item, stand_ins.encounter(today))
    if record.row_problems:  # CSV rows that disagree: the encounter cannot be told, whatever else is wrong
        reading = Reading(reading.record, (*record.row_problems, *reading.problems), reading.unreadable)
    async with db.transaction() as session:
        result = await accept_encounter(session, tenant_id, reading, today)
        await stage(session, kit, result.outgoing)
    return result


async def _correction_row(db: Any, tenant_id: str, item: dict[str, Any], today: date) -> Acceptance:
    """A correction (``corrected_by``, ``reason``, ``encounter``) or a void (``encounter_id``, ``voided_by``,
    ``reason``) of an encounter, by the rules of the API's corrections and void routes."""
    correction = item["record_type"] == "encounter_correction"
    encounter = item.get("encounter") if correction else None
    encounter_id = str((encounter if isinstance(encounter, dict) else item).get("encounter_id", ""))
    members = ("record_type", "corrected_by", "reason", "encounter") if correction else (
        "record_type", "encounter_id", "voided_by", "reason")  # fmt: skip
    extra = [Violation(str(name), "schema.extra_forbidden", "not a member of this record")
             for name in item if name not in members]  # fmt: skip
    async with db.transaction() as session:
        if correction:
            reading = read_record(EncounterSubmission, encounter, stand_ins.encounter(today))
            note = (item.get("corrected_by"), item.get("reason"), "import")
            result = await correct_encounter(session, tenant_id, encounter_id, note, reading, today)
        else:
            note = (item.get("voided_by"), item.get("reason"), "import")
            result = await void_encounter(session, tenant_id, encounter_id, note)
        if result is None:
            extra.append(Violation("encounter_id", "encounter.exists", "no such encounter"))
        if extra or result is None:
            found = result.violations if result is not None else []
            return Acceptance(Outcome.REJECTED, encounter_id, violations=[*extra, *found])
        await stage(session, kit, result.outgoing)
    return result


async def _accept_patient_row(db: Any, tenant_id: str, item: dict[str, Any], today: date) -> Acceptance:
    """A patient row: the body of ``POST /v1/patients`` (demographics, coverages and their subscribers)."""
    body = {key: value for key, value in item.items() if key != "record_type"}
    reading = read_record(PatientSubmission, body, stand_ins.patient(today))
    async with db.transaction() as session:
        result = await record_patient(session, tenant_id, reading, today)
    return Acceptance(result.outcome, result.record_id, violations=result.violations)


async def publish_staged(settings: RuntimeSettings, db: Any) -> int:
    """Publish every event waiting in intake's outbox (for commands that run without the service)."""
    await ensure_topics(settings, all_topics(), "otrcm-intake-import-admin")
    producer = make_producer(settings, "otrcm-intake-import")
    await producer.start()
    relay = OutboxRelay(db, kit, producer)
    total = 0
    try:
        while published := await relay.publish_pending():
            total += published
    finally:
        await relay.close()
    return total
