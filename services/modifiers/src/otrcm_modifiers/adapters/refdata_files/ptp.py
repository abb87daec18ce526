"""NCCI practitioner PTP edits (``ccipra-v###r0-f#.txt``, one file per range of column-1 codes).

Layout CMS publishes: a few copyright lines, then the header ``Column 1 | Column 2 | *=in existence prior
to 1996 | Effective Date | Deletion Date *=no data | Modifier 0=not allowed 1=allowed 9=not applicable |
PTP Edit Rationale`` (tab-delimited; the XLSX saved as CSV carries the same columns, its header sometimes
split over several rows), then one row per pair with dates as YYYYMMDD and '*' for no deletion date.
Source: CMS "Medicare NCCI Procedure to Procedure (PTP) Edits", practitioner services, quarterly.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from otrcm_modifiers.adapters.refdata_files.tables import ImportFormatError, cms_date, one_version_dataset, read_rows
from otrcm_shared.refdata.loader import Dataset

CODE = re.compile(r"^[A-Z0-9]{5}$")
INDICATORS = frozenset({"0", "1", "9"})


@dataclass(frozen=True, slots=True)
class PtpRow:
    column1: str
    column2: str
    modifier_indicator: str
    effective: date | None
    deleted: date | None
    rationale: str


def parse_ptp(text: str) -> list[PtpRow]:
    """Every pair row of a CMS practitioner PTP file, in file order."""
    rows = read_rows(text)
    header = next(
        (i for i, row in enumerate(rows) if len(row) >= 2 and row[0].lower().startswith("column 1")),
        None,
    )
    if header is None:
        raise ImportFormatError("no 'Column 1 / Column 2' header row: not a CMS PTP file")
    pairs = []
    for row in rows[header + 1 :]:
        if len(row) < 6 or not (CODE.match(row[0].upper()) and CODE.match(row[1].upper())):
            continue
        indicator = row[5].strip()
        if indicator not in INDICATORS:
            raise ImportFormatError(f"pair {row[0]}/{row[1]}: modifier indicator '{indicator}' is not 0, 1 or 9")
        pairs.append(
            PtpRow(
                column1=row[0].upper(),
                column2=row[1].upper(),
                modifier_indicator=indicator,
                effective=cms_date(row[3]),
                deleted=cms_date(row[4]),
                rationale=row[6] if len(row) > 6 else "",
            )
        )
    if not pairs:
        raise ImportFormatError("the PTP file has a header but no pair rows")
    return pairs


def ptp_dataset(
    rows: list[PtpRow],
    *,
    version: str,
    effective_from: date,
    effective_to: date | None,
    source: str,
    codes: Collection[str] | None = None,
) -> Dataset:
    """The ``ncci_ptp_edits`` dataset for one quarter; with ``codes``, only pairs of two of those codes.

    Pairs already deleted before ``effective_from`` are left out; later deletions keep their date.
    """
    kept = [
        row
        for row in rows
        if (codes is None or (row.column1 in codes and row.column2 in codes))
        and (row.deleted is None or row.deleted > effective_from)
    ]
    data = {
        "sample": False,
        "pairs": [
            {
                "column1": row.column1,
                "column2": row.column2,
                "modifier_indicator": row.modifier_indicator,
                "effective": row.effective.isoformat() if row.effective else None,
                "deleted": row.deleted.isoformat() if row.deleted else None,
                "rationale": row.rationale,
            }
            for row in kept
        ],
    }
    return one_version_dataset(
        "ncci_ptp_edits",
        "NCCI practitioner PTP pairs imported from the CMS quarterly file named in the source.",
        source,
        version,
        effective_from,
        effective_to,
        data,
    )
