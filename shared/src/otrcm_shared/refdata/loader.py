"""Effective-dated reference data: every file names its source, and a lookup always takes a date.

A dataset file is JSON::

    {"dataset": "...", "description": "...", "source": "citation",
     "versions": [{"version": "...", "effective_from": "YYYY-MM-DD", "effective_to": null,
                   "source": "optional, when a version has its own", "data": {...}}]}

``effective_to`` is inclusive; ``null`` means open-ended. Versions of one dataset must not overlap.
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


T = TypeVar("T")


def builtin_view(build: Callable[[Dataset, date], T], name: str, on: date) -> T:
    """The typed view ``build`` makes of a shipped dataset on ``on``, built once per date and reused.

    Services look reference data up for every event; the views are immutable, so the same object can
    serve every event of a date (and per-object caches, such as the units code roles, then hit).
    """
    return cast(T, _cached_view(build, name, on))


@lru_cache(maxsize=4096)
def _cached_view(build: Callable[[Dataset, date], object], name: str, on: date) -> object:
    return build(load_builtin(name), on)
