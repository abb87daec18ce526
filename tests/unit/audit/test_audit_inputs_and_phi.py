"""``otrcm-audit run`` end to end on the command line: a bad file or row is skipped by name and position while
the audit goes on; report.html and the log carry no member id, name, birth date or address; the summary
paragraph goes to stdout."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from otrcm_audit.entrypoints.cli import main
from tests.support.audit_practice import AS_OF
from tests.support.audit_x12 import write_practice

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("practice")
    write_practice(root, planted=True, patients=9)
    return root


def run(root: Path, out: Path, *extra: str) -> int:
    return main([
        "run", "--encounters", str(root / "encounters.jsonl"), "--claims", str(root / "claims"),
        "--remits", str(root / "remits"), "--acks", str(root / "acks"), "--out", str(out),
        "--as-of", AS_OF.isoformat(), "--tenant", "t-audit", *extra,
    ])  # fmt: skip


def phi_of(encounters: Path) -> set[str]:
    """Every member id, name, birth date and street address the practice's patient records hold."""
    found: set[str] = set()
    for text in encounters.read_text().splitlines():
        row = json.loads(text)
        if row.get("record_type") == "patient":
            found |= {row["first_name"], row["last_name"], row["birth_date"], row["address"]["line1"]}
            found |= {coverage["member_id"] for coverage in row["coverages"]}
            found.add(row["birth_date"].replace("-", ""))
    return found


def test_report_and_log_show_no_member_id_name_birth_date_or_address(
    practice: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "audit.log"
    assert run(practice, tmp_path / "out", "--log", str(log)) == 0
    phi = phi_of(practice / "encounters.jsonl")
    assert len(phi) > 20
    stdout = capsys.readouterr().out
    for name in ("report.html", "findings.json", "findings.csv"):
        text = (tmp_path / "out" / name).read_text()
        leaked = sorted(value for value in phi if re.search(rf"\b{re.escape(value)}\b", text))
        assert leaked == [], f"{name} shows {leaked}"
    for text, where in ((log.read_text(), "log"), (stdout, "stdout")):
        assert text.strip(), where
        leaked = sorted(value for value in phi if re.search(rf"\b{re.escape(value)}\b", text))
        assert leaked == [], f"{where} shows {leaked}"


def test_the_scan_would_catch_a_member_id_in_the_report(practice: Path) -> None:
    member = next(
        value for value in phi_of(practice / "encounters.jsonl") if value[:2].isupper() and value[2:].isdigit()
    )
    assert re.search(rf"\b{re.escape(member)}\b", f"<td>{member}</td>")


def test_a_bad_file_and_a_bad_row_are_skipped_by_name_and_the_audit_goes_on(
    practice: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "practice"
    shutil.copytree(practice, root, ignore=shutil.ignore_patterns("out"))
    (root / "remits" / "835-broken.x12").write_text("this is not an interchange")
    first = sorted((root / "claims").iterdir())[0]
    (root / "claims" / "837p-truncated.x12").write_text(first.read_text()[:200] + "CLM*K9~SV1*HC~")
    with (root / "encounters.jsonl").open("a") as handle:
        handle.write('{"encounter_id": "e-bad", "payer_id": "blue-commercial-ama"}\n')
        handle.write("{not json\n")
    rows = len((root / "encounters.jsonl").read_text().splitlines())
    assert run(root, tmp_path / "out") == 0
    summary = capsys.readouterr().out
    assert "Skipped 4 input(s)" in summary
    assert "835-broken.x12: 835 file skipped: the text does not start with a complete ISA segment" in summary
    assert "837p-truncated.x12: 837P file skipped: segment" in summary
    assert f"encounters.jsonl row {rows - 1}: encounter skipped: patient_id: " in summary
    assert f"encounters.jsonl row {rows}: record skipped: not a JSON object" in summary
    findings = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert {row["encounter_id"] for row in findings} >= {"c1-unbilled", "m1-go", "h1-auth"}
    assert "835-broken.x12" in (tmp_path / "out" / "report.html").read_text()


def test_a_missing_directory_is_an_argument_error(practice: Path, tmp_path: Path) -> None:
    assert main(["run", "--encounters", str(practice / "encounters.jsonl"), "--claims", str(tmp_path / "nowhere"),
                 "--remits", str(practice / "remits"), "--out", str(tmp_path / "out")]) == 2  # fmt: skip
