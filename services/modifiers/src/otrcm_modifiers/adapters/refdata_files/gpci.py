"""CMS PFS Addendum E: geographic practice cost indices by state and locality (``GPCIyyyy.csv``).

Layout CMS publishes: a title row ("ADDENDUM E. FINAL CY yyyy GEOGRAPHIC PRACTICE COST INDICES ..."),
a blank row, the header ``Medicare Administrative Contractor (MAC) | State | Locality Number | Locality
Name | yyyy PW GPCI (with 1.0 Floor) | yyyy PE GPCI | yyyy MP GPCI``, one row per locality, then notes.
Columns are found by name; when a file has a work GPCI with and without the floor, the one with the
floor (what Medicare pays on while the floor is in law) is read. Source: CMS PFS final rule Addendum E.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from otrcm_modifiers.adapters.refdata_files.tables import ImportFormatError, column_of, one_version_dataset, read_rows
from otrcm_shared.refdata.loader import Dataset


@dataclass(frozen=True, slots=True)
class GpciRow:
    mac: str
    state: str
    locality: str
    name: str
    work: Decimal
    pe: Decimal
    mp: Decimal

    @property
    def key(self) -> str:
        return f"{self.state}-{self.locality}"


def parse_gpci(text: str) -> list[GpciRow]:
    """Every locality row of a GPCI file, in file order."""
    rows = read_rows(text)
    header = next((i for i, row in enumerate(rows) if any(cell.upper() == "LOCALITY NUMBER" for cell in row)), None)
    if header is None:
        raise ImportFormatError("no 'Locality Number' header: not a CMS GPCI file")
    labels = rows[header]
    work_columns = [i for i, label in enumerate(labels) if "PW GPCI" in label.upper()]
    floored = [i for i in work_columns if "WITH 1.0" in labels[i].upper()]
    if not work_columns:
        raise ImportFormatError(f"no 'PW GPCI' column in {labels}")
    work_col = floored[0] if floored else work_columns[0]
    col = {
        "mac": column_of(labels, "CONTRACTOR"),
        "state": column_of(labels, "STATE"),
        "locality": column_of(labels, "LOCALITY NUMBER"),
        "name": column_of(labels, "LOCALITY NAME"),
        "pe": column_of(labels, "PE GPCI"),
        "mp": column_of(labels, "MP GPCI"),
    }
    found = []
    for row in rows[header + 1 :]:
        if len(row) <= max(*col.values(), work_col) or len(row[col["state"]]) != 2:
            continue
        if not row[col["locality"]].isdigit():
            continue
        try:
            work, pe, mp = (Decimal(row[i]) for i in (work_col, col["pe"], col["mp"]))
        except InvalidOperation:
            raise ImportFormatError(
                f"locality {row[col['state']]}-{row[col['locality']]}: a GPCI is not a number"
            ) from None
        found.append(
            GpciRow(
                mac=row[col["mac"]],
                state=row[col["state"]].upper(),
                locality=row[col["locality"]].zfill(2),
                name=row[col["name"]],
                work=work,
                pe=pe,
                mp=mp,
            )
        )
    if not found:
        raise ImportFormatError("the GPCI file has a header but no locality rows")
    return found


def gpci_dataset(
    rows: list[GpciRow],
    *,
    version: str,
    effective_from: date,
    effective_to: date | None,
    source: str,
    states: Collection[str] | None = None,
) -> Dataset:
    """The ``medicare_gpci`` dataset for one year, keyed '<state>-<locality>'; with ``states``, only those."""
    data = {
        "localities": {
            row.key: {"mac": row.mac, "name": row.name, "work": str(row.work), "pe": str(row.pe), "mp": str(row.mp)}
            for row in rows
            if states is None or row.state in states
        }
    }
    return one_version_dataset(
        "medicare_gpci",
        "Medicare GPCIs by locality imported from the CMS Addendum E file named in the source.",
        source,
        version,
        effective_from,
        effective_to,
        data,
    )
