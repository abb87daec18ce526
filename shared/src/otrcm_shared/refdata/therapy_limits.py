"""Typed view of the yearly therapy dollar limits: the KX threshold and the targeted medical review amount.

Data: ``data/therapy_thresholds.json`` and ``data/targeted_medical_review.json`` (sources named there).
Both are per beneficiary and calendar year, counted on allowed amounts, with occupational therapy in its
own bucket and physical therapy with speech-language pathology in another (CMS Pub. 100-04 Ch. 5 §10.3).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.refdata.loader import Dataset, current_dataset


class ThresholdBucket(StrEnum):
    """Which yearly total a therapy line's dollars count toward: OT alone, or PT and SLP together."""

    OT = "ot"
    PT_SLP = "pt_slp"


class SourcedAmount(StrictModel):
    """A dollar amount from reference data, with the dataset version and the source it came from.

    ``provisional``: no version covers the date; the newest earlier one was carried forward.
    """

    amount: Decimal
    version: str
    source: str
    dataset: str = ""
    provisional: bool = False
    year: int | None = None

    @property
    def used(self) -> DatasetUsed:
        return DatasetUsed(
            dataset=self.dataset or "unnamed", version=self.version, provisional=self.provisional, year=self.year
        )


def sourced_amount(dataset: Dataset, field: str, on: date) -> SourcedAmount:
    """``field`` of the version of ``dataset`` for ``on`` (carried forward, provisional, when none covers it)."""
    version, provisional = dataset.resolve(on)
    return SourcedAmount(
        amount=Decimal(str(version.data[field])),
        version=version.version,
        source=dataset.source_of(version),
        dataset=dataset.dataset,
        provisional=provisional,
        year=on.year,
    )


def _amount(dataset: Dataset, bucket: ThresholdBucket, on: date) -> SourcedAmount:
    return sourced_amount(dataset, bucket.value, on)


def kx_threshold(bucket: ThresholdBucket, on: date, dataset: Dataset | None = None) -> SourcedAmount:
    """The therapy (KX) threshold of ``bucket`` for the calendar year of ``on``.

    A year without a recorded amount gets the latest earlier year's, marked provisional. Raises
    :class:`~otrcm_shared.refdata.loader.NoVersionInEffect` only before the first recorded year.
    """
    return _amount(dataset or current_dataset("therapy_thresholds"), bucket, on)


def targeted_review_threshold(bucket: ThresholdBucket, on: date, dataset: Dataset | None = None) -> SourcedAmount:
    """The targeted medical review amount of ``bucket`` in effect on ``on`` ($3,000 for 2018-2027)."""
    return _amount(dataset or current_dataset("targeted_medical_review"), bucket, on)


def kx_provisional_margin(on: date, dataset: Dataset | None = None) -> SourcedAmount:
    """The share of the threshold within which a provisional total is decided as if crossing it (0.05 = 5%)."""
    return sourced_amount(dataset or current_dataset("kx_provisional_margin"), "share_of_threshold", on)
