"""CMS Practitioner Services MUE table (``MCR_MUE_PractitionerServices_Eff_*.csv``).

Layout CMS publishes: a first cell holding a quoted, multi-line AMA copyright notice, then the header
``HCPCS/CPT Code | Practitioner Services MUE Values | MUE Adjudication Indicator | MUE Rationale``, then
one row per code; the indicator cell is the digit (1 line, 2 date of service policy, 3 date of service
clinical) followed by its words, e.g. ``2 Date of Service Edit: Policy``.
Source: CMS "Medicare NCCI Medically Unlikely Edits (MUEs)", quarterly.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from otrcm_modifiers.adapters.refdata_files.tables import ImportFormatError, column_of, one_version_dataset, read_rows
from otrcm_shared.refdata.loader import Dataset

CODE = re.compile(r"^[A-Z0-9]{5}$")


@dataclass(frozen=True, slots=True)
class MueRow:
    code: str
    units: int
    adjudication_indicator: str
    rationale: str


def parse_mue(text: str) -> list[MueRow]:
    """Every code row of a CMS MUE table, in file order."""
    rows = read_rows(text)
    header = next((i for i, row in enumerate(rows) if any("MUE VALUES" in cell.upper() for cell in row)), None)
    if header is None:
        raise ImportFormatError("no header with 'MUE Values': not a CMS MUE table")
    labels = rows[header]
    code_col = column_of(labels, "HCPCS")
    value_col = column_of(labels, "MUE VALUES")
    indicator_col = column_of(labels, "ADJUDICATION INDICATOR")
    rationale_col = column_of(labels, "RATIONALE")
    limits = []
    for row in rows[header + 1 :]:
        if len(row) <= max(code_col, value_col, indicator_col) or not CODE.match(row[code_col].upper()):
            continue
        indicator = row[indicator_col][:1]
        if indicator not in ("1", "2", "3") or not row[value_col].isdigit():
            raise ImportFormatError(
                f"code {row[code_col]}: MUE value/indicator '{row[value_col]}'/'{row[indicator_col]}'"
            )
        rationale = row[rationale_col] if len(row) > rationale_col else ""
        limits.append(MueRow(row[code_col].upper(), int(row[value_col]), indicator, rationale))
    if not limits:
        raise ImportFormatError("the MUE table has a header but no code rows")
    return limits


def mue_dataset(
    rows: list[MueRow],
    *,
    version: str,
    effective_from: date,
    effective_to: date | None,
    source: str,
    codes: Collection[str] | None = None,
) -> Dataset:
    """The ``ncci_mue_limits`` dataset for one quarter; with ``codes``, only those codes."""
    data = {
        "sample": False,
        "limits": {
            row.code: {
                "units": row.units,
                "adjudication_indicator": row.adjudication_indicator,
                "rationale": row.rationale,
            }
            for row in rows
            if codes is None or row.code in codes
        },
    }
    return one_version_dataset(
        "ncci_mue_limits",
        "Practitioner MUE limits imported from the CMS quarterly table named in the source.",
        source,
        version,
        effective_from,
        effective_to,
        data,
    )
