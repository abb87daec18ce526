"""``otrcm-intake import FILE``: encounters from JSON Lines or CSV, the same rules as the API.

Accepted rows are stored with their events in the outbox and published before the command ends;
rejected rows go to a report (JSON Lines: line number, encounter id, rule ids, messages).
CSV has one row per service line; rows sharing an ``encounter_id`` make one encounter.
A JSON Lines row with ``"record_type": "therapy_spend"`` is prior therapy spend instead (``patient_id``
plus the body of ``POST /v1/patients/{patient_id}/therapy-spend``), validated by the same rules.
Dates are checked against the business date (``OTRCM_BUSINESS_DATE``), as in the API.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from otrcm_intake.adapters.runtime_tables import kit
from otrcm_intake.domain.schema_errors import violations_from
from otrcm_intake.domain.violations import Violation
from otrcm_intake.usecases.accept import Acceptance, accept_encounter
from otrcm_intake.usecases.admin import intake_database
from otrcm_intake.usecases.outcomes import Outcome
from otrcm_intake.usecases.therapy_spend import accept_spend_row
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.runtime.kafka import ensure_topics, make_producer
from otrcm_shared.runtime.outbox import OutboxRelay, stage
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import all_topics

CSV_LIST_SEPARATOR = ";"
# One row per service line; the encounter's columns repeat on each of its lines. Lists use ";".
CSV_COLUMNS = (
    "encounter_id", "patient_id", "payer_id", "date_of_service", "place_of_service", "discipline",
    "billing_provider_npi", "rendering_npi", "rendering_role", "location_id", "diagnoses",
    "line_number", "code", "minutes", "assistant_minutes", "diagnosis_pointers", "modifiers",
    "medical_necessity_documented", "distinct_time_blocks",
)  # fmt: skip
OPTIONAL_COLUMNS = frozenset(
    {"discipline", "location_id", "assistant_minutes", "modifiers", "medical_necessity_documented",
     "distinct_time_blocks"}
)  # fmt: skip


class ImportFileRefused(Exception):
    """The file as a whole cannot be read (unknown or missing columns); nothing of it is imported."""


def read_items(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, the encounter as plain data) for each encounter in the file."""
    if path.suffix.lower() == ".csv":
        yield from _csv_items(path)
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except ValueError:
                    yield number, None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(CSV_LIST_SEPARATOR) if part.strip()]


def _csv_items(path: Path) -> Iterator[tuple[int, Any]]:
    encounters: dict[str, tuple[int, dict[str, Any]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        _columns_are_known(list(reader.fieldnames or ()))
        for number, row in enumerate(reader, start=2):  # line 1 is the header
            key = row.get("encounter_id", "")
            if key not in encounters:
                encounters[key] = (
                    number,
                    {
                        "encounter_id": key,
                        "patient_id": row.get("patient_id"),
                        "payer_id": row.get("payer_id"),
                        "date_of_service": row.get("date_of_service"),
                        "place_of_service": row.get("place_of_service"),
                        "billing_provider_npi": row.get("billing_provider_npi"),
                        **({"discipline": row["discipline"]} if row.get("discipline") else {}),
                        **({"location_id": row["location_id"]} if row.get("location_id") else {}),
                        "rendering_provider": {"npi": row.get("rendering_npi"), "role": row.get("rendering_role")},
                        "diagnoses": _split(row.get("diagnoses", "")),
                        "attestations": {
                            "medical_necessity_documented": row.get("medical_necessity_documented") == "true",
                            "distinct_time_blocks": row.get("distinct_time_blocks") == "true",
                        },
                        "lines": [],
                    },
                )
            _, encounter = encounters[key]
            encounter["lines"].append(
                {
                    "line_number": _int(row.get("line_number")),
                    "code": row.get("code"),
                    "minutes": _int(row.get("minutes")),
                    "assistant_minutes": _int(row.get("assistant_minutes") or "0"),
                    "diagnosis_pointers": [_int(p) for p in _split(row.get("diagnosis_pointers", ""))],
                    "modifiers": _split(row.get("modifiers", "")),
                }
            )
    yield from encounters.values()


def _columns_are_known(header: list[str]) -> None:
    """Refuse a header naming a column the format does not have (it would be silently ignored) or lacking one
    every row needs; the message names the columns."""
    unknown = [name for name in header if name not in CSV_COLUMNS]
    missing = [name for name in CSV_COLUMNS if name not in header and name not in OPTIONAL_COLUMNS]
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if problems:
        raise ImportFileRefused(f"line 1 (the header): {'; '.join(problems)}; the columns are {', '.join(CSV_COLUMNS)}")


def _int(text: str | None) -> Any:
    try:
        return int(text or "")
    except ValueError:
        return text  # the model reports it as not an integer


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


async def run_import(settings: RuntimeSettings, path: Path, tenant_id: str, report: Path | None) -> int:
    try:
        items = list(read_items(path))
    except ImportFileRefused as refused:
        print(f"{path.name}: nothing imported: {refused}", file=sys.stderr)
        return 2
    report_path = report or path.with_suffix(path.suffix + ".errors.jsonl")
    db = intake_database(settings)
    counts = {outcome: 0 for outcome in Outcome}
    try:
        await db.create_all(kit.metadata)
        with report_path.open("w", encoding="utf-8") as errors:
            for done, (line, item) in enumerate(items, start=1):
                result = await _accept(db, tenant_id, item, settings.today())
                counts[result.outcome] += 1
                if result.outcome in (Outcome.REJECTED, Outcome.CONFLICT):
                    entry = {"line": line, **result.as_dict()}
                    errors.write(json.dumps(entry) + "\n")
                _progress(done, len(items))
        sys.stderr.write("\n")
        published = await publish_staged(settings, db)
    finally:
        await db.dispose()
    summary = ", ".join(f"{count} {outcome.value}" for outcome, count in counts.items())
    print(f"{len(items)} encounters read from {path.name}: {summary}; {published} events published")
    print(f"error report: {report_path}")
    return 0 if counts[Outcome.REJECTED] + counts[Outcome.CONFLICT] == 0 else 1


async def _accept(db: Any, tenant_id: str, item: Any, today: date) -> Acceptance:
    if not isinstance(item, dict):
        problem = Violation("<row>", "schema.json_invalid", "not a JSON object")
        return Acceptance(Outcome.REJECTED, "", violations=[problem])
    if item.get("record_type") == "therapy_spend":
        return await accept_spend_row(db, tenant_id, item, today)
    try:
        submission = EncounterSubmission.model_validate(item)
    except ValidationError as error:
        return Acceptance(Outcome.REJECTED, str(item.get("encounter_id") or ""), violations=violations_from(error))
    async with db.transaction() as session:
        result = await accept_encounter(session, tenant_id, submission, today)
        await stage(session, kit, result.outgoing)
    return result


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
