"""Reference data as operational data: versions imported at run time layered over the shipped defaults.

Every service reads datasets through one :class:`ReferenceLayers` (``LAYERS``). The shipped JSON files under
``data/`` are the bottom layer; versions imported with ``otrcm-refdata import`` arrive on the compacted
``otrcm.reference-data.v1`` topic (one record per dataset version) and are applied here while the service
runs, so a new version is used without a restart (docs/adr/009).

Precedence: an imported version replaces a version (shipped or imported earlier) with the same version
id; a version it overlaps that starts earlier ends the day before it (a quarterly release follows the
previous one); one that starts on or after it is replaced. So importing PPRRVU2026_Jan and then _Jul
leaves January-June on the first and July on the second.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import timedelta

from otrcm_shared.refdata.loader import Dataset, DatasetVersion, load_builtin


def _overlaps(a: DatasetVersion, b: DatasetVersion) -> bool:
    a_end, b_end = a.effective_to, b.effective_to
    return (b_end is None or a.effective_from <= b_end) and (a_end is None or b.effective_from <= a_end)


class ReferenceLayers:
    """The imported versions of each dataset, and a generation that changes with every applied import."""

    def __init__(self) -> None:
        self._imported: dict[str, tuple[DatasetVersion, ...]] = {}
        self._lock = threading.Lock()
        self.generation = 0

    def dataset(self, name: str) -> Dataset:
        shipped = load_builtin(name)
        imported = self._imported.get(name, ())
        if not imported:
            return shipped
        return shipped.model_copy(update={"versions": layered(shipped.versions, imported)})

    def imported(self, name: str) -> tuple[DatasetVersion, ...]:
        return self._imported.get(name, ())

    def apply(self, name: str, versions: Iterable[DatasetVersion]) -> bool:
        """Layer ``versions`` of dataset ``name``; False when they are already in force (idempotent)."""
        incoming = tuple(versions)
        with self._lock:
            current = self._imported.get(name, ())
            updated = layered(current, incoming)
            if _fingerprint(updated) == _fingerprint(current):
                return False
            Dataset.model_validate({**load_builtin(name).model_dump(), "versions": updated})  # no overlaps
            self._imported[name] = updated
            self.generation += 1
            return True

    def reset(self) -> None:
        """Forget every imported version (tests)."""
        with self._lock:
            self._imported.clear()
            self.generation += 1


def _fingerprint(versions: Iterable[DatasetVersion]) -> list[str]:
    return sorted(v.model_dump_json() for v in versions)


def layered(base: Iterable[DatasetVersion], top: tuple[DatasetVersion, ...]) -> tuple[DatasetVersion, ...]:
    """``top`` over ``base``: same version id replaced; an overlapped base version that starts earlier is cut
    short the day before the top version starts, any other overlapped one is dropped."""
    kept: list[DatasetVersion] = []
    for original in base:
        version: DatasetVersion | None = original
        if any(t.version == original.version for t in top):
            continue
        for t in sorted(top, key=lambda v: v.effective_from):
            if version is None or not _overlaps(t, version):
                continue
            if version.effective_from < t.effective_from:
                version = version.model_copy(update={"effective_to": t.effective_from - timedelta(days=1)})
            else:
                version = None
        if version is not None:
            kept.append(version)
    return (*kept, *top)


LAYERS = ReferenceLayers()
