"""The CSV form of the import file: one row per service line, the encounter's columns repeated on each of its
lines, lists separated by ``;``. Strict: a column the format does not know, or a required one missing,
refuses the whole file by name; rows of one encounter that disagree on an encounter column are refused
naming the column and the rows. Rows are counted as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from otrcm_intake.domain.violations import Violation

LIST_SEPARATOR = ";"
ENCOUNTER_COLUMNS = (
    "encounter_id", "patient_id", "payer_id", "date_of_service", "place_of_service", "discipline",
    "billing_provider_npi", "rendering_npi", "rendering_role", "location_id", "diagnoses",
    "medical_necessity_documented", "distinct_time_blocks",
)  # fmt: skip
LINE_COLUMNS = ("line_number", "code", "minutes", "assistant_minutes", "diagnosis_pointers", "modifiers")
COLUMNS = (*ENCOUNTER_COLUMNS[:11], *LINE_COLUMNS, *ENCOUNTER_COLUMNS[11:])
OPTIONAL_COLUMNS = frozenset(
    {"discipline", "location_id", "assistant_minutes", "modifiers", "medical_necessity_documented",
     "distinct_time_blocks"}
)  # fmt: skip
# The column an error path of the encounter points into, where its name is not the column's.
COLUMN_OF_FIELD = {
    "rendering_provider.npi": "rendering_npi",
    "rendering_provider.role": "rendering_role",
    "attestations.medical_necessity_documented": "medical_necessity_documented",
    "attestations.distinct_time_blocks": "distinct_time_blocks",
}


class ImportFileRefused(Exception):
    """The file as a whole cannot be read (unknown or missing columns); nothing of it is imported."""


@dataclass
class ImportedRecord:
    """One record of an import file: the row it starts on, the record as plain data, the row of each of its
    lines (CSV), and what is wrong with the rows themselves (CSV rows that disagree)."""

    row: int
    item: Any
    line_rows: list[int] = field(default_factory=list)
    row_problems: list[Violation] = field(default_factory=list)


def column_of(path: str) -> str | None:
    """The CSV column an error path points into (``lines.2.minutes`` -> ``minutes``), None for a whole record."""
    parts = path.split(".")
    if parts[0] == "lines" and len(parts) >= 3:
        return parts[2] if parts[2] in LINE_COLUMNS else None
    name = COLUMN_OF_FIELD.get(".".join(parts[:2]), parts[0])
    return name if name in COLUMNS else None


def csv_records(path: Path) -> Iterator[ImportedRecord]:
    encounters: dict[str, tuple[ImportedRecord, dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        _columns_are_known(list(reader.fieldnames or ()))
        for row_number, row in enumerate(reader, start=2):  # row 1 is the header
            key = row.get("encounter_id") or ""
            if key not in encounters:
                encounters[key] = (ImportedRecord(row_number, _encounter_of(row)), row)
            record, first = encounters[key]
            record.row_problems += _disagreements(first, record.row, row, row_number)
            record.item["lines"].append(_line_of(row))
            record.line_rows.append(row_number)
    for record, _ in encounters.values():
        yield _in_line_order(record)


def _columns_are_known(header: list[str]) -> None:
    """Refuse a header naming a column the format does not have (it would be silently ignored) or lacking one
    every row needs; the message names the columns."""
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in COLUMNS if name not in header and name not in OPTIONAL_COLUMNS]
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if problems:
        raise ImportFileRefused(f"row 1 (the header): {'; '.join(problems)}; the columns are {', '.join(COLUMNS)}")


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(LIST_SEPARATOR) if part.strip()]


def _int(text: str | None) -> Any:
    try:
        return int(text or "")
    except ValueError:
        return text  # the model reports it as not a whole number


def _encounter_of(row: dict[str, str]) -> dict[str, Any]:
    return {
        "encounter_id": row.get("encounter_id"),
        "patient_id": row.get("patient_id"),
        "payer_id": row.get("payer_id"),
        "date_of_service": row.get("date_of_service"),
        "place_of_service": row.get("place_of_service"),
        "billing_provider_npi": row.get("billing_provider_npi"),
        **({"discipline": row["discipline"]} if row.get("discipline") else {}),
        **({"location_id": row["location_id"]} if row.get("location_id") else {}),
        "rendering_provider": {"npi": row.get("rendering_npi"), "role": row.get("rendering_role")},
        "diagnoses": _split(row.get("diagnoses")),
        "attestations": {
            "medical_necessity_documented": row.get("medical_necessity_documented") == "true",
            "distinct_time_blocks": row.get("distinct_time_blocks") == "true",
        },
        "lines": [],
    }


def _line_of(row: dict[str, str]) -> dict[str, Any]:
    return {
        "line_number": _int(row.get("line_number")),
        "code": row.get("code"),
        "minutes": _int(row.get("minutes")),
        "assistant_minutes": _int(row.get("assistant_minutes") or "0"),
        "diagnosis_pointers": [_int(p) for p in _split(row.get("diagnosis_pointers"))],
        "modifiers": _split(row.get("modifiers")),
    }


def _disagreements(first: dict[str, str], first_row: int, row: dict[str, str], row_number: int) -> list[Violation]:
    """An encounter column whose value on a later row of the encounter is not the one on its first row."""
    return [
        Violation(
            column,
            "import.rows_agree",
            f"rows {first_row} and {row_number} of this encounter give different values for {column}; "
            "the encounter's columns repeat the same value on each of its lines",
        )
        for column in ENCOUNTER_COLUMNS
        if (first.get(column) or "") != (row.get(column) or "")
    ]


def _in_line_order(record: ImportedRecord) -> ImportedRecord:
    """The lines sorted by their line numbers (rows may list them in any order), each keeping its row."""
    numbers = [line["line_number"] for line in record.item["lines"]]
    if all(isinstance(number, int) for number in numbers):
        order = sorted(range(len(numbers)), key=lambda position: numbers[position])
        record.item["lines"] = [record.item["lines"][position] for position in order]
        record.line_rows = [record.line_rows[position] for position in order]
    return record
