"""Which reference dataset versions an event used, and whether a version was carried forward.

A version is *provisional* for a date when no version of its dataset covers that date and the newest
earlier version was used instead (e.g. the CY 2025 GPCIs for a 2026 date of service before the CMS 2026
file is loaded). Estimates built on a provisional version say so.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.envelope import EventPayload


class DatasetUsed(StrictModel):
    """One dataset version an event's figures came from."""

    dataset: str = Field(min_length=1, description="Reference dataset name, e.g. 'medicare_gpci'.")
    version: str = Field(min_length=1, description="The dataset version used, e.g. '2025' or 'RVU26C'.")
    provisional: bool = Field(
        default=False, description="True when no version covers the date and this earlier one was carried forward."
    )
    year: int | None = Field(default=None, description="The calendar year of the date it was used for.")

    def label(self) -> str:
        carried = f", carried forward to {self.year}" if self.provisional and self.year else ""
        return f"{self.dataset} {self.version}{carried}"


class ReferenceDataImported(EventPayload):
    """One version of one reference dataset, imported at run time (``otrcm-refdata import``).

    On the compacted ``otrcm.reference-data.v1`` topic, keyed ``<dataset>:<version>``: the newest record
    of a key is the version in force; every service layers these over its shipped datasets.
    """

    EVENT_TYPE: ClassVar[str] = "reference-data.imported"

    dataset: str = Field(min_length=1)
    version: str = Field(min_length=1)
    effective_from: date
    effective_to: date | None = None
    source: str = Field(min_length=1, description="The CMS file (or project file), release and date.")
    data: dict[str, Any]
    imported_from: str = Field(description="The file name the version was read from (no path).")
    content_hash: str = Field(description="sha256 of the version's data: the same data imports once.")
