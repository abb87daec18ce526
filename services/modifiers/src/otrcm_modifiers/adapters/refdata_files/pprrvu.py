"""CMS PFS relative value file (``PPRRVUyyyy_<Mon>[_nonQPP].csv`` inside each quarterly RVUyyX zip).

Layout CMS publishes: title and copyright rows, then two header rows whose cells read together name
each column ("WORK" over "RVU", "NON-FAC" over "PE RVU", "MULT" over "PROC", "CONV" over "FACTOR"...),
the lower row starting ``HCPCS, MOD, DESCRIPTION``; then one row per code and modifier. Columns are
found by those names, not by position, because CMS added one between years (2026: "PRIC IND").
Source: CMS "PFS Relative Value Files", quarterly releases (RVUyyA/B/C/D).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from otrcm_modifiers.adapters.refdata_files.tables import ImportFormatError, column_of, one_version_dataset, read_rows
from otrcm_shared.refdata.loader import Dataset


@dataclass(frozen=True, slots=True)
class RvuRow:
    code: str
    modifier: str
    description: str
    status: str
    work: Decimal
    pe_nonfacility: Decimal
    pe_facility: Decimal
    mp: Decimal
    mult_proc: str
    conversion_factor: Decimal | None


def _labels(rows: list[list[str]], header: int) -> list[str]:
    lower = rows[header]
    upper = rows[header - 1] if header > 0 else []
    return [
        " ".join(f"{upper[i] if i < len(upper) else ''} {cell}".split()) if upper else cell
        for i, cell in enumerate(lower)
    ]


def _decimal(cell: str, what: str, code: str) -> Decimal:
    try:
        return Decimal(cell.strip() or "0")
    except InvalidOperation:
        raise ImportFormatError(f"code {code}: {what} '{cell}' is not a number") from None


def parse_pprrvu(text: str) -> list[RvuRow]:
    """Every code row of a PPRRVU file (with and without modifiers), in file order."""
    rows = read_rows(text)
    header = next(
        (i for i, row in enumerate(rows) if len(row) > 2 and row[0].upper() == "HCPCS" and row[1].upper() == "MOD"),
        None,
    )
    if header is None:
        raise ImportFormatError("no 'HCPCS, MOD' header row: not a CMS PPRRVU file")
    labels = _labels(rows, header)
    col = {
        "description": column_of(labels, "DESCRIPTION"),
        "status": column_of(labels, "STATUS"),
        "work": column_of(labels, "WORK", "RVU"),
        "pe_nonfacility": column_of(labels, "NON-FAC", "PE RVU"),
        "pe_facility": column_of(labels, "FACILITY", "PE RVU")
        if "FACILITY PE RVU" in " ".join(labels).upper()
        else column_of(labels, "PE RVU"),
        "mp": column_of(labels, "MP", "RVU"),
        "mult_proc": column_of(labels, "MULT", "PROC"),
    }
    conv = next((i for i, label in enumerate(labels) if "CONV" in label.upper()), None)
    found = []
    for row in rows[header + 1 :]:
        if len(row) <= max(col.values()) or len(row[0]) != 5:
            continue
        code = row[0].upper()
        found.append(
            RvuRow(
                code=code,
                modifier=row[1].upper(),
                description=row[col["description"]],
                status=row[col["status"]],
                work=_decimal(row[col["work"]], "work RVU", code),
                pe_nonfacility=_decimal(row[col["pe_nonfacility"]], "non-facility PE RVU", code),
                pe_facility=_decimal(row[col["pe_facility"]], "facility PE RVU", code),
                mp=_decimal(row[col["mp"]], "MP RVU", code),
                mult_proc=row[col["mult_proc"]],
                conversion_factor=_decimal(row[conv], "conversion factor", code) if conv is not None else None,
            )
        )
    if not found:
        raise ImportFormatError("the PPRRVU file has a header but no code rows")
    return found


def pprrvu_dataset(
    rows: list[RvuRow],
    *,
    version: str,
    effective_from: date,
    effective_to: date | None,
    source: str,
    codes: Collection[str] | None = None,
) -> Dataset:
    """The ``medicare_pfs_rvus`` dataset for one release: global rows (no modifier) of ``codes``."""
    data = {
        "codes": {
            row.code: {
                "status": row.status,
                "work": str(row.work),
                "pe_nonfacility": str(row.pe_nonfacility),
                "pe_facility": str(row.pe_facility),
                "mp": str(row.mp),
                "mult_proc": row.mult_proc,
            }
            for row in rows
            if not row.modifier and (codes is None or row.code in codes)
        }
    }
    return one_version_dataset(
        "medicare_pfs_rvus",
        "National PFS RVUs imported from the CMS PPRRVU file named in the source.",
        source,
        version,
        effective_from,
        effective_to,
        data,
    )


def conversion_factors_of(rows: list[RvuRow]) -> frozenset[Decimal]:
    """The conversion factor(s) the file states (one per file; a QPP and a non-QPP file differ)."""
    return frozenset(row.conversion_factor for row in rows if row.conversion_factor is not None)
