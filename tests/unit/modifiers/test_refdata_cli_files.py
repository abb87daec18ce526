"""``otrcm-refdata import`` refuses a bad file naming file, line and column, and imports nothing (the
check runs before any broker is contacted); good files are read into dataset versions (numeric columns only)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from otrcm_modifiers.adapters.refdata_files.files import FileRefused, read_file
from otrcm_modifiers.entrypoints.refdata_cli import main
from tests.unit.modifiers.test_modifiers_import import GPCI_CSV

pytestmark = pytest.mark.unit


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cms_gpci_file_becomes_the_years_version(tmp_path: Path) -> None:
    (imported,) = read_file(_write(tmp_path, "GPCI2026.csv", GPCI_CSV))
    assert (imported.dataset, imported.version.version) == ("medicare_gpci", "GPCI2026")
    assert (imported.version.effective_from, imported.version.effective_to) == (date(2026, 1, 1), date(2026, 12, 31))
    assert imported.version.data["localities"]["MO-01"]["pe"] == "0.900"


def test_the_projects_csv_for_thresholds_and_conversion_factors(tmp_path: Path) -> None:
    text = (
        "dataset,version,effective_from,effective_to,source,field,value\n"
        "therapy_thresholds,2027,2027-01-01,2027-12-31,test data,ot,2550.00\n"
        "therapy_thresholds,2027,2027-01-01,2027-12-31,test data,pt_slp,2550.00\n"
        "medicare_conversion_factor,2027,2027-01-01,2027-12-31,test data,conversion_factor,34.0000\n"
    )
    found = {(i.dataset, i.version.version): i.version.data for i in read_file(_write(tmp_path, "y.csv", text))}
    assert found == {
        ("therapy_thresholds", "2027"): {"ot": "2550.00", "pt_slp": "2550.00"},
        ("medicare_conversion_factor", "2027"): {"conversion_factor": "34.0000"},
    }


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("GPCI2026.csv", GPCI_CSV.replace("1.000,0.850", "1.000,abc"), "GPCI2026.csv: line 5, column 6 (2026 PE GPCI)"),
        ("GPCI2026.csv", GPCI_CSV.split("05202")[0] + "05202,KS,00,KANSAS,1.0", "GPCI2026.csv: line 6, column 6"),
        ("GPCI2026.csv", GPCI_CSV.split("05302")[0], "GPCI2026.csv: line 3, column -: no data rows"),
        ("GPCI2026.csv", "MAC,State,Locality,Name,Work,PE,MP\n05302,MO,01,X,1,1,1\n", "GPCI2026.csv: line 1"),
        (
            "y.csv",
            "dataset,version,effective_from,effective_to,source,field,value\nt,1,2027-01-01,,s,ot,lots\n",
            "y.csv: line 2, column 7 (value): not a number",
        ),
    ],
    ids=["text-where-a-number-belongs", "truncated-row", "truncated-after-header", "wrong-columns", "project-csv"],
)
def test_a_bad_file_is_refused_with_file_line_and_column(tmp_path: Path, name: str, text: str, where: str) -> None:
    with pytest.raises(FileRefused) as refused:
        read_file(_write(tmp_path, name, text))
    assert str(refused.value).startswith(where)


def test_one_bad_file_refuses_the_whole_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "a", "GPCI2026.csv", GPCI_CSV) if (tmp_path / "a").mkdir() is None else None
    bad = _write(tmp_path, "GPCI2027.csv", GPCI_CSV.replace("0.850", "n/a"))
    assert main(["import", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "GPCI2027.csv: line 5, column 6 (2026 PE GPCI): not a number" in err
    assert "nothing imported" in err
