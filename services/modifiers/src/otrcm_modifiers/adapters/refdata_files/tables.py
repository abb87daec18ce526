"""What every CMS table importer shares: reading delimited text, dates, and building dataset versions."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from otrcm_shared.refdata.loader import Dataset, DatasetVersion


class ImportFormatError(ValueError):
    """The file does not have the layout the importer reads; the message says what was missing."""


def read_rows(text: str) -> list[list[str]]:
    """Rows of comma- or tab-delimited text (tab when the text has more tabs than commas).

    Quoted cells may span lines (CMS MUE files open with a multi-line copyright cell). Cells are
    stripped of surrounding whitespace; a byte-order mark is dropped.
    """
    text = text.lstrip("\ufeff")
    delimiter = "\t" if text.count("\t") > text.count(",") else ","
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_text(path: Path) -> str:
    """A CMS file as text: UTF-8 when it decodes, else Latin-1 (older CMS files)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def cms_date(cell: str) -> date | None:
    """A CMS YYYYMMDD date; blank or '*' (no data) is None."""
    cell = cell.strip()
    if not cell or cell == "*":
        return None
    if len(cell) != 8 or not cell.isdigit():
        raise ImportFormatError(f"'{cell}' is not a YYYYMMDD date")
    return date(int(cell[:4]), int(cell[4:6]), int(cell[6:]))


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter (CMS NCCI files are effective per quarter)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, got {quarter}")
    first_month = 3 * (quarter - 1) + 1
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
    return date(year, first_month, 1), date.fromordinal(last.toordinal() - 1)


def one_version_dataset(
    name: str,
    description: str,
    source: str,
    version: str,
    effective_from: date,
    effective_to: date | None,
    data: dict[str, Any],
) -> Dataset:
    """A validated dataset holding one version; ``source`` names the CMS file, its release and quarter."""
    return Dataset.model_validate(
        {
            "dataset": name,
            "description": description,
            "source": source,
            "versions": [
                {
                    "version": version,
                    "effective_from": effective_from,
                    "effective_to": effective_to,
                    "source": source,
                    "data": data,
                }
            ],
        }
    )


def merge_version(existing: Dataset, addition: DatasetVersion) -> Dataset:
    """``existing`` with ``addition`` in place of a version of the same name; overlaps are refused."""
    versions = [v for v in existing.versions if v.version != addition.version]
    versions.append(addition)
    versions.sort(key=lambda v: v.effective_from)
    return Dataset.model_validate({**existing.model_dump(), "versions": [v.model_dump() for v in versions]})


def write_dataset(dataset: Dataset, path: Path) -> None:
    """Write ``dataset`` as the JSON the shared loader reads (indented, a newline at the end)."""
    payload = dataset.model_dump(mode="json")
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def column_of(labels: list[str], *wanted: str) -> int:
    """Index of the first label containing every ``wanted`` fragment (case-insensitive)."""
    for index, label in enumerate(labels):
        text = " ".join(label.upper().split())
        if all(fragment.upper() in text for fragment in wanted):
            return index
    raise ImportFormatError(f"no column labelled {' / '.join(wanted)} in {labels}")
