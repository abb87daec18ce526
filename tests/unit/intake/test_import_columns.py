"""The CSV import format is strict: a column it does not know is refused by name (it used to be ignored,
and the row then failed on another field), rows of one encounter must agree, and the location that decides
Medicare pricing is a column. The report names rows by their position (the header is row 1) and columns by name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from otrcm_intake.adapters.import_csv import COLUMNS
from otrcm_intake.domain.violations import Violation
from otrcm_intake.usecases.accept import Acceptance
from otrcm_intake.usecases.importer import ImportFileRefused, read_records, report_entry
from otrcm_intake.usecases.outcomes import Outcome

pytestmark = pytest.mark.unit

ROW = {
    "encounter_id": "csv-1", "patient_id": "mrn-9", "payer_id": "medicare-wps-j5", "date_of_service": "2026-03-02",
    "place_of_service": "11", "billing_provider_npi": "1234567893", "rendering_npi": "1245319599",
    "rendering_role": "OT", "location_id": "MO-01", "diagnoses": "M62.81", "line_number": "1", "code": "97530",
    "minutes": "30", "diagnosis_pointers": "1",
}  # fmt: skip


def _write(path: Path, header: list[str], *rows: dict[str, str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in header})
    return path


def test_the_location_column_reaches_the_encounter(tmp_path: Path) -> None:
    path = _write(tmp_path / "ok.csv", list(ROW), ROW)
    [record] = list(read_records(path))
    assert (record.row, record.item["location_id"], record.item["lines"][0]["minutes"]) == (2, "MO-01", 30)


def test_an_unknown_column_is_refused_by_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", [*ROW, "role"], {**ROW, "role": "OT"})
    with pytest.raises(ImportFileRefused, match="unknown column\\(s\\) role"):
        list(read_records(path))


def test_a_missing_column_is_refused_by_name(tmp_path: Path) -> None:
    header = [name for name in ROW if name != "minutes"]
    with pytest.raises(ImportFileRefused, match="missing column\\(s\\) minutes"):
        list(read_records(_write(tmp_path / "short.csv", header, ROW)))
    assert "minutes" in COLUMNS


def test_lines_are_put_in_line_order_and_each_keeps_its_row(tmp_path: Path) -> None:
    second = {**ROW, "line_number": "2", "code": "97535"}
    path = _write(tmp_path / "two.csv", list(ROW), second, ROW)
    [record] = list(read_records(path))
    assert [line["code"] for line in record.item["lines"]] == ["97530", "97535"]
    assert (record.row, record.line_rows) == (2, [3, 2])


def test_rows_of_one_encounter_that_disagree_are_named_by_column_and_rows(tmp_path: Path) -> None:
    other_patient = {**ROW, "line_number": "2", "patient_id": "mrn-10"}
    [record] = list(read_records(_write(tmp_path / "mixed.csv", list(ROW), ROW, other_patient)))
    [problem] = record.row_problems
    assert (problem.path, problem.rule) == ("patient_id", "import.rows_agree")
    assert "rows 2 and 3" in problem.message


def test_the_report_names_the_row_and_column_of_each_error(tmp_path: Path) -> None:
    second = {**ROW, "line_number": "2", "code": "97535"}
    [record] = list(read_records(_write(tmp_path / "two.csv", list(ROW), second, ROW)))
    refused = Acceptance(
        Outcome.REJECTED,
        "csv-1",
        violations=[
            Violation("lines.1.minutes", "schema.int_type", "a whole number"),
            Violation("rendering_provider.npi", "npi.check_digit", "wrong check digit"),
            Violation("lines", "minutes.plausible_per_encounter", "too many minutes"),
        ],
    )
    entry = report_entry(record, refused)
    assert entry["row"] == 2
    assert [(e["row"], e.get("column"), e["path"]) for e in entry["errors"]] == [
        (3, "minutes", "lines.1.minutes"),  # line 1 was written on row 3, after line 2
        (2, "rendering_npi", "rendering_provider.npi"),
        (2, None, "lines"),
    ]
