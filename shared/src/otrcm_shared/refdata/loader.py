"""Effective-dated reference data: every file names its source, and a lookup always takes a date.

A dataset file is JSON::

    {"dataset": "...", "description": "...", "source": "citation",
     "versions": [{"version": "...", "effective_from": "YYYY-MM-DD", "effective_to": null,
                   "source": "optional, when a version has its own", "data": {...}}]}

``effective_to`` is inclusive; ``null`` means open-ended. Versions of one dataset must not overlap.

Carry-forward: :meth:`Dataset.resolve` gives the version in effect on a date or, when none is, the newest
earlier version marked *provisional* (an estimate never waits for next year's file). Layering: versions
imported at run time (``otrcm-refdata import``, the ``otrcm.reference-data.v1`` topic) take precedence over
the shipped ones (:mod:`otrcm_shared.refdata.layers`); every view reads through :func:`current_dataset`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import Field, model_validator

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.reference_data import DatasetUsed

BUILTIN_DATA_DIR = Path(__file__).parent / "data"


class NoVersionInEffect(LookupError):
    """No version of a dataset covers the date asked for."""

    def __init__(self, dataset: str, on: date) -> None:
        super().__init__(f"reference data '{dataset}' has no version in effect on {on.isoformat()}")
        self.dataset = dataset
        self.on = on


class DatasetVersion(StrictModel):
    """One version of a dataset and the dates it is in effect."""

    version: str = Field(min_length=1)
    effective_from: date
    effective_to: date | None = None
    source: str | None = None
    data: dict[str, Any]

    def covers(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class Dataset(StrictModel):
    """A named, sourced reference dataset with its effective-dated versions."""

    dataset: str = Field(min_length=1)
    description: str
    source: str = Field(min_length=1, description="Where the values come from (document, file, year).")
    versions: tuple[DatasetVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _versions_do_not_overlap(self) -> Dataset:
        ordered = sorted(self.versions, key=lambda v: v.effective_from)
        for earlier, later in itertools.pairwise(ordered):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ValueError(
                    f"dataset '{self.dataset}': version {earlier.version} overlaps version {later.version}"
                )
        return self

    def as_of(self, on: date) -> DatasetVersion:
        """The version in effect on ``on``; raises :class:`NoVersionInEffect` when none is."""
        for version in self.versions:
            if version.covers(on):
                return version
        raise NoVersionInEffect(self.dataset, on)

    def resolve(self, on: date) -> tuple[DatasetVersion, bool]:
        """The version in effect on ``on`` and False; else the newest earlier version and True (provisional).

        Raises :class:`NoVersionInEffect` when no version starts on or before ``on``.
        """
        earlier = None
        for version in sorted(self.versions, key=lambda v: v.effective_from):
            if version.covers(on):
                return version, False
            if version.effective_from <= on:
                earlier = version
        if earlier is None:
            raise NoVersionInEffect(self.dataset, on)
        return earlier, True

    def used(self, on: date) -> DatasetUsed:
        """What an event records about this dataset for ``on``: the version, and whether it was carried."""
        version, provisional = self.resolve(on)
        return DatasetUsed(dataset=self.dataset, version=version.version, provisional=provisional, year=on.year)

    def source_of(self, version: DatasetVersion) -> str:
        return version.source or self.source


def load_dataset_file(path: Path) -> Dataset:
    """Read and validate one dataset file."""
    with path.open(encoding="utf-8") as handle:
        return Dataset.model_validate(json.load(handle))


@cache
def load_builtin(name: str) -> Dataset:
    """A dataset shipped with the shared package, by name (the file ``<name>.json``)."""
    path = BUILTIN_DATA_DIR / f"{name}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no built-in reference dataset named '{name}'")
    dataset = load_dataset_file(path)
    if dataset.dataset != name:
        raise ValueError(f"{path.name} declares dataset '{dataset.dataset}', expected '{name}'")
    return dataset


def current_dataset(name: str) -> Dataset:
    """The dataset as every service sees it now: imported versions layered over the shipped ones."""
    from otrcm_shared.refdata.layers import LAYERS

    return LAYERS.dataset(name)


T = TypeVar("T")


def builtin_view(build: Callable[[Dataset, date], T], name: str, on: date) -> T:
    """The typed view ``build`` makes of a dataset on ``on`` (imported versions over shipped ones), built
    once per date and per import generation, and reused.

    Services look reference data up for every event; the views are immutable, so the same object can
    serve every event of a date (and per-object caches, such as the units code roles, then hit). An
    import changes the generation, so the next lookup builds the view again.
    """
    from otrcm_shared.refdata.layers import LAYERS

    return cast(T, _cached_view(build, name, on, LAYERS.generation))


@lru_cache(maxsize=4096)
def _cached_view(build: Callable[[Dataset, date], object], name: str, on: date, generation: int) -> object:
    return build(current_dataset(name), on)
