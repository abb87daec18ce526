"""Which reference dataset versions an event used, and whether a version was carried forward.

A version is *provisional* for a date when no version of its dataset covers that date and the newest
earlier version was used instead (e.g. the CY 2025 GPCIs for a 2026 date of service before the CMS 2026
file is loaded). Estimates built on a provisional version say so.
"""

from __future__ import annotations

from pydantic import Field

from otrcm_shared.events.base import StrictModel


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
