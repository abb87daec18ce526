"""Importers for the CMS files, tested on small files written here in the layouts CMS publishes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from otrcm_modifiers.adapters.refdata_files.__main__ import main
from otrcm_modifiers.adapters.refdata_files.gpci import gpci_dataset, parse_gpci
from otrcm_modifiers.adapters.refdata_files.mue import mue_dataset, parse_mue
from otrcm_modifiers.adapters.refdata_files.pprrvu import conversion_factors_of, parse_pprrvu, pprrvu_dataset
from otrcm_modifiers.adapters.refdata_files.ptp import parse_ptp, ptp_dataset
from otrcm_modifiers.adapters.refdata_files.tables import ImportFormatError, quarter_bounds, write_dataset
from otrcm_shared.refdata import load_dataset_file
from otrcm_shared.refdata.medicare_pfs import MedicareGpcis, PfsRvus
from otrcm_shared.refdata.ncci_edits import MueAdjudication, MueLimits, PtpEdits

pytestmark = pytest.mark.unit

# Practitioner PTP text file layout (tab-delimited, copyright lines first). Codes and dates are test data.
PTP_TXT = (
    "CPT codes, descriptions and other data only are copyright 2025 American Medical Association.\r\n"
    "\r\n"
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\t"
    "Modifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale\r\n"
    "97140\t97530\t\t20200101\t*\t1\tMutually exclusive procedures\r\n"
    "97530\t97535\t\t20200101\t*\t0\tTest pair, not a CMS edit\r\n"
    "97110\t97750\t\t20150101\t20250101\t1\tDeleted before the quarter\r\n"
    "99213\t97530\t\t20200101\t*\t9\tNot kept with --codes\r\n"
)

# Practitioner MUE table layout: a quoted multi-line copyright cell, then the header row.
MUE_CSV = (
    '"CPT codes, descriptions and other data only are copyright 2025 American Medical Association.\n'
    'All Rights Reserved.",,,\n'
    '"HCPCS/\nCPT Code","Practitioner Services MUE Values","MUE Adjudication Indicator","MUE Rationale"\n'
    '97530,5,"2 Date of Service Edit: Policy","Test value, not a CMS value"\n'
    '97165,1,"2 Date of Service Edit: Policy","Code Descriptor / CPT Instruction"\n'
    '97110,4,"1 Line Edit","Test value"\n'
)

# PPRRVU CSV layout of 2026 (two header rows read together; a PRIC IND column 2025 did not have).
PPRRVU_CSV = (
    ",,2026 National Physician Fee Schedule Relative Value File July Release,,,,,,,,,,,,,,,,,,,,,,,,\n"
    ",,,STATUS,NOT USED FOR,WORK,NON-FAC,NON-FAC NA,FACILITY,FACILITY NA,MP,NON-FACILITY,FACILITY,"
    "PCTC,GLOB,PRE,INTRA,POST,MULT,BILAT,ASST,CO-,TEAM,PRIC,ENDO,CONV\n"
    "HCPCS,MOD,DESCRIPTION,CODE,MEDICARE PAYMENT,RVU,PE RVU,INDICATOR,PE RVU,INDICATOR,RVU,TOTAL,TOTAL,"
    "IND,DAYS,OP,OP,OP,PROC,SURG,SURG,SURG,SURG,IND,BASE,FACTOR\n"
    "97530,,Test activities,A,,0.50,0.70,,0.70,NA,0.02,1.22,1.22,7,XXX,0.00,0.00,0.00,5,0,0,0,0,9,,30.0000\n"
    "97530,GP,Test activities,A,,9.99,9.99,,9.99,NA,9.99,9.99,9.99,7,XXX,0.00,0.00,0.00,5,0,0,0,0,9,,30.0000\n"
    "99213,,Office visit,A,,1.30,1.30,,0.50,,0.10,2.70,1.90,0,XXX,0.00,0.00,0.00,0,0,0,0,0,9,,30.0000\n"
)

# GPCI Addendum E CSV layout (title, blank row, header, rows, a note). Indices are test data.
GPCI_CSV = (
    "ADDENDUM E. FINAL CY 2026 GEOGRAPHIC PRACTICE COST INDICES (GPCIs) BY STATE AND MEDICARE LOCALITY,,,,,,\n"
    ",,,,,,\n"
    "Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,"
    "2026 PW GPCI (with 1.0 Floor),2026 PE GPCI,2026 MP GPCI\n"
    "05302,MO,01,METROPOLITAN ST. LOUIS,1.000,0.900,0.800\n"
    "05302,MO,99,REST OF MISSOURI,1.000,0.850,0.750\n"
    "05202,KS,00,KANSAS,1.000,0.870,0.600\n"
    ",,,,,,\n"
    '"Note: test data, not CMS values.",,,,,,\n'
)


def test_ptp_file_to_dataset_the_rules_can_read(tmp_path: Path) -> None:
    rows = parse_ptp(PTP_TXT)
    assert [(r.column1, r.column2, r.modifier_indicator) for r in rows][:2] == [
        ("97140", "97530", "1"),
        ("97530", "97535", "0"),
    ]
    assert rows[2].deleted == date(2025, 1, 1)
    start, end = quarter_bounds(2026, 3)
    dataset = ptp_dataset(
        rows,
        version="2026Q3",
        effective_from=start,
        effective_to=end,
        source="test file in the CMS practitioner PTP layout",
        codes={"97140", "97530", "97535", "97110", "97750"},
    )
    path = tmp_path / "ncci_ptp_edits.json"
    write_dataset(dataset, path)
    edits = PtpEdits.from_dataset(load_dataset_file(path), date(2026, 8, 1))
    assert not edits.is_sample
    assert len(edits) == 2  # the deleted pair and the pair with 99213 are left out
    pair = edits.pair("97140", "97530")
    assert pair is not None
    assert pair.modifier_indicator.value == "1"


def test_mue_table_with_a_multi_line_copyright_cell() -> None:
    rows = parse_mue(MUE_CSV)
    assert [(r.code, r.units, r.adjudication_indicator) for r in rows] == [
        ("97530", 5, "2"),
        ("97165", 1, "2"),
        ("97110", 4, "1"),
    ]
    dataset = mue_dataset(rows, version="2026Q3", effective_from=date(2026, 7, 1), effective_to=None, source="t")
    limits = MueLimits.from_dataset(dataset, date(2026, 7, 1))
    limit = limits.get("97110")
    assert limit is not None
    assert limit.adjudication_indicator is MueAdjudication.LINE


def test_pprrvu_columns_are_found_by_name() -> None:
    rows = parse_pprrvu(PPRRVU_CSV)
    assert conversion_factors_of(rows) == {Decimal("30.0000")}
    dataset = pprrvu_dataset(
        rows, version="RVU26C", effective_from=date(2026, 7, 1), effective_to=None, source="t", codes={"97530"}
    )
    rvus = PfsRvus.from_dataset(dataset, date(2026, 7, 1))
    code = rvus.get("97530")
    assert code is not None  # the GP row (a modifier row) is not the global one
    assert (code.work, code.pe_nonfacility, code.mp, code.mult_proc) == (
        Decimal("0.50"),
        Decimal("0.70"),
        Decimal("0.02"),
        "5",
    )
    assert "99213" not in rvus


def test_gpci_file_keeps_the_states_asked_for() -> None:
    rows = parse_gpci(GPCI_CSV)
    assert len(rows) == 3
    dataset = gpci_dataset(
        rows,
        version="2026",
        effective_from=date(2026, 1, 1),
        effective_to=date(2026, 12, 31),
        source="t",
        states={"MO"},
    )
    gpcis = MedicareGpcis.from_dataset(dataset, date(2026, 3, 1))
    assert gpcis.localities == ("MO-01", "MO-99")
    rest = gpcis.get("MO-99")
    assert rest is not None
    assert (rest.pe, rest.mp) == (Decimal("0.850"), Decimal("0.750"))


def test_a_file_of_another_layout_is_refused() -> None:
    with pytest.raises(ImportFormatError, match="not a CMS PTP file"):
        parse_ptp("a,b,c\n1,2,3\n")
    with pytest.raises(ImportFormatError, match="not a CMS MUE table"):
        parse_mue(PTP_TXT)


def test_the_command_line_merges_a_new_quarter_into_the_dataset_file(tmp_path: Path) -> None:
    source = tmp_path / "ccipra-test.txt"
    source.write_text(PTP_TXT, encoding="latin-1")
    out = tmp_path / "ncci_ptp_edits.json"
    common = ["ptp", str(source), "--source", "test file", "--out", str(out), "--codes", "97140", "97530"]
    assert main([*common, "--version", "2026Q2", "--effective-from", "2026-04-01", "--effective-to", "2026-06-30"]) == 0
    assert main([*common, "--version", "2026Q3", "--effective-from", "2026-07-01", "--effective-to", "2026-09-30"]) == 0
    dataset = load_dataset_file(out)
    assert [v.version for v in dataset.versions] == ["2026Q2", "2026Q3"]
