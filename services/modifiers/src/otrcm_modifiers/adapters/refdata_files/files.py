"""``otrcm-refdata import``: read and validate one file into dataset versions, or refuse it naming file,
line and column. Nothing is published until every file of a command has passed (see ``cli.py``).

Kinds, recognised by content: the CMS GPCI file (Addendum E, ``GPCIyyyy.csv``), the CMS PPRRVU file
(``PPRRVUyyyy_<Mon>[_nonQPP].csv``), the project's dataset JSON (``{"dataset": ..., "versions": [...]}``)
and the project's CSV for yearly values (``dataset,version,effective_from,effective_to,source,field,value``,
e.g. ``therapy_thresholds``, ``medicare_conversion_factor``). Only numeric columns of CMS files are kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import ValidationError

from otrcm_modifiers.adapters.refdata_files.gpci import gpci_dataset, parse_gpci
from otrcm_modifiers.adapters.refdata_files.pprrvu import parse_pprrvu, pprrvu_dataset
from otrcm_modifiers.adapters.refdata_files.tables import ImportFormatError, read_text
from otrcm_shared.refdata.loader import Dataset, DatasetVersion
from otrcm_shared.refdata.medicare_pfs import MedicareGpcis, PfsRvus

QUARTER_START = {"JAN": 1, "APR": 4, "JUL": 7, "OCT": 10}
PROJECT_CSV_HEADER = ["dataset", "version", "effective_from", "effective_to", "source", "field", "value"]


class FileRefused(ValueError):
    """A file cannot be imported: the message names the file, the line and the column."""

    def __init__(self, path: Path, line: int, column: str, problem: str) -> None:
        super().__init__(f"{path.name}: line {line}, column {column}: {problem}")


@dataclass(frozen=True, slots=True)
class Imported:
    dataset: str
    version: DatasetVersion
    path: Path


def numbered_rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number where the row ends, cells) for every row of comma- or tab-delimited text."""
    text = text.lstrip("\ufeff")
    delimiter = "\t" if text.count("\t") > text.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [(reader.line_num, [cell.strip() for cell in row]) for row in reader]


def _check_numbers(path: Path, rows: list[tuple[int, list[str]]], header_at: int, columns: dict[int, str]) -> None:
    """Every data row after the header has every column, and a number in each numeric column."""
    header_line, header = rows[header_at]
    width = len(header)
    data = [(line, row) for line, row in rows[header_at + 1 :] if any(row)]
    for line, row in data:
        if not re.fullmatch(r"[A-Za-z0-9]{2,5}", row[0] or row[min(1, len(row) - 1)]):
            continue  # notes under the table
        if len(row) < max(columns) + 1:
            raise FileRefused(path, line, f"{len(row) + 1}", f"row has {len(row)} of {width} columns (truncated?)")
        for index, label in columns.items():
            try:
                Decimal(row[index] or "0")
            except InvalidOperation:
                raise FileRefused(path, line, f"{index + 1} ({label})", "not a number") from None
    if not data:
        raise FileRefused(path, header_line, "-", "no data rows after the header (truncated?)")


def _header(rows: list[tuple[int, list[str]]], test: object) -> int | None:
    return next((i for i, (_, row) in enumerate(rows) if test(row)), None)  # type: ignore[operator]


def _gpci(path: Path, text: str, rows: list[tuple[int, list[str]]], at: int) -> list[Imported]:
    labels = rows[at][1]
    numeric = {i: label for i, label in enumerate(labels) if "GPCI" in label.upper()}
    _check_numbers(path, rows, at, numeric)
    year = re.search(r"(20\d\d)", path.name) or re.search(r"(20\d\d)", " ".join(labels))
    if year is None:
        raise FileRefused(path, rows[at][0], "-", "cannot tell the GPCI year (name the file GPCIyyyy.csv)")
    y = int(year.group(1))
    dataset = gpci_dataset(
        parse_gpci(text),
        version=f"GPCI{y}",
        effective_from=date(y, 1, 1),
        effective_to=date(y, 12, 31),
        source=f"CMS PFS Addendum E, {path.name} (imported with otrcm-refdata)",
    )
    MedicareGpcis.from_dataset(dataset, date(y, 1, 1))
    return [Imported("medicare_gpci", dataset.versions[0], path)]


def _pprrvu(path: Path, text: str, rows: list[tuple[int, list[str]]], at: int) -> list[Imported]:
    labels = [" ".join(f"{up} {low}".split()) for up, low in zip(rows[at - 1][1], rows[at][1], strict=False)]
    wanted = ("WORK", "PE RVU", "MP")
    numeric = {i: label for i, label in enumerate(labels) if any(w in label.upper() for w in wanted)}
    _check_numbers(path, rows, at, numeric)
    match = re.search(r"PPRRVU(\d{2,4})_?(JAN|APR|JUL|OCT)", path.name.upper())
    if match is None:
        raise FileRefused(path, 1, "-", "cannot tell the release (name the file as CMS does: PPRRVUyyyy_<Mon>.csv)")
    year = int(match.group(1)) % 100 + 2000
    start = date(year, QUARTER_START[match.group(2)], 1)
    version = f"PPRRVU{year}_{match.group(2).title()}"
    source = f"CMS {path.name} (PFS relative value file, imported with otrcm-refdata)"
    dataset = pprrvu_dataset(
        parse_pprrvu(text), version=version, effective_from=start, effective_to=date(year, 12, 31), source=source
    )
    PfsRvus.from_dataset(dataset, start)
    return [Imported("medicare_pfs_rvus", dataset.versions[0], path)]


def _project_csv(path: Path, rows: list[tuple[int, list[str]]]) -> list[Imported]:
    grouped: dict[tuple[str, str], DatasetVersion] = {}
    for line, row in rows[1:]:
        if not any(row):
            continue
        if len(row) != len(PROJECT_CSV_HEADER):
            raise FileRefused(path, line, str(len(row) + 1), f"row has {len(row)} of 7 columns (truncated?)")
        name, version, start, end, source, field, value = row
        try:
            Decimal(value)
            effective_from, effective_to = date.fromisoformat(start), date.fromisoformat(end) if end else None
        except InvalidOperation:
            raise FileRefused(path, line, "7 (value)", "not a number") from None
        except ValueError:
            raise FileRefused(path, line, "3-4 (effective_from/to)", "not a YYYY-MM-DD date") from None
        known = grouped.get((name, version))
        data = {**(known.data if known else {}), field: value}
        grouped[(name, version)] = DatasetVersion(
            version=version, effective_from=effective_from, effective_to=effective_to, source=source, data=data
        )
    if not grouped:
        raise FileRefused(path, 1, "-", "no data rows after the header (truncated?)")
    return [Imported(name, version, path) for (name, _), version in grouped.items()]


def read_file(path: Path) -> list[Imported]:
    """The dataset versions in ``path``; raises :class:`FileRefused` naming file, line and column."""
    try:
        text = read_text(path)
    except OSError as error:
        raise FileRefused(path, 0, "-", f"cannot be read ({error.strerror})") from None
    try:
        if path.suffix.lower() == ".json":
            try:
                dataset = Dataset.model_validate(json.loads(text))
            except json.JSONDecodeError as error:
                raise FileRefused(path, error.lineno, str(error.colno), error.msg) from None
            except ValidationError as error:
                first = error.errors()[0]
                raise FileRefused(path, 1, ".".join(map(str, first["loc"])), first["msg"]) from None
            return [Imported(dataset.dataset, version, path) for version in dataset.versions]
        rows = numbered_rows(text)
        if rows and [c.lower() for c in rows[0][1]] == PROJECT_CSV_HEADER:
            return _project_csv(path, rows)
        gpci_at = _header(rows, lambda r: any(c.upper() == "LOCALITY NUMBER" for c in r))
        if gpci_at is not None:
            return _gpci(path, text, rows, gpci_at)
        rvu_at = _header(rows, lambda r: len(r) > 2 and r[0].upper() == "HCPCS" and r[1].upper() == "MOD")
        if rvu_at is not None and rvu_at > 0:
            return _pprrvu(path, text, rows, rvu_at)
    except ImportFormatError as error:
        raise FileRefused(path, 1, "-", str(error)) from None
    raise FileRefused(path, 1, "-", "not a file otrcm-refdata reads (CMS GPCI or PPRRVU, or the project's JSON/CSV)")
