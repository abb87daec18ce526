"""The CSV import format is strict: a column it does not know is refused by name (it used to be ignored,
and the row then failed on another field), and the location that decides Medicare pricing is a column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from otrcm_intake.usecases.importer import CSV_COLUMNS, ImportFileRefused, read_items

pytestmark = pytest.mark.unit

ROW = {
    "encounter_id": "csv-1", "patient_id": "mrn-9", "payer_id": "medicare-wps-j5", "date_of_service": "2026-03-02",
    "place_of_service": "11", "billing_provider_npi": "1234567893", "rendering_npi": "1245319599",
    "rendering_role": "OT", "location_id": "MO-01", "diagnoses": "M62.81", "line_number": "1", "code": "97530",
    "minutes": "30", "diagnosis_pointers": "1",
}  # fmt: skip


def _write(path: Path, header: list[str], row: dict[str, str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow({name: row.get(name, "") for name in header})
    return path


def test_the_location_column_reaches_the_encounter(tmp_path: Path) -> None:
    path = _write(tmp_path / "ok.csv", list(ROW), ROW)
    [(line, item)] = list(read_items(path))
    assert (line, item["location_id"], item["lines"][0]["minutes"]) == (2, "MO-01", 30)


def test_an_unknown_column_is_refused_by_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", [*ROW, "role"], {**ROW, "role": "OT"})
    with pytest.raises(ImportFileRefused, match="unknown column\\(s\\) role"):
        list(read_items(path))


def test_a_missing_column_is_refused_by_name(tmp_path: Path) -> None:
    header = [name for name in ROW if name != "minutes"]
    with pytest.raises(ImportFileRefused, match="missing column\\(s\\) minutes"):
        list(read_items(_write(tmp_path / "short.csv", header, ROW)))
    assert "minutes" in CSV_COLUMNS
