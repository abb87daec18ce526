"""Typed view of the discipline modifiers: GO/GP/GN, the assistant modifier, and the threshold bucket.

Data: ``data/discipline_modifiers.json`` (CMS Pub. 100-04 Ch. 5 §20.1 and §10.3).
"""

from __future__ import annotations

from datetime import date

from otrcm_shared.events.base import StrictModel
from otrcm_shared.refdata.loader import Dataset, builtin_view
from otrcm_shared.refdata.therapy_limits import ThresholdBucket


class DisciplineModifier(StrictModel):
    """What a discipline's plan of care puts on its lines, and where their dollars count."""

    discipline: str
    modifier: str
    assistant_modifier: str | None
    threshold_bucket: ThresholdBucket


class DisciplineModifiers:
    """The discipline modifiers in effect on one date."""

    def __init__(self, entries: dict[str, DisciplineModifier], version: str, source: str) -> None:
        self._entries = entries
        self.version = version
        self.source = source
        # asked for every line of every day: built once
        self._discipline_modifiers = frozenset(entry.modifier for entry in entries.values())
        self._assistant_modifiers = frozenset(e.assistant_modifier for e in entries.values() if e.assistant_modifier)

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> DisciplineModifiers:
        version = dataset.as_of(on)
        entries = {
            name: DisciplineModifier.model_validate({"discipline": name, **entry})
            for name, entry in version.data["disciplines"].items()
        }
        return cls(entries, version.version, dataset.source_of(version))

    @classmethod
    def builtin(cls, on: date) -> DisciplineModifiers:
        return builtin_view(cls.from_dataset, "discipline_modifiers", on)

    def of(self, discipline: str) -> DisciplineModifier:
        """The entry of ``discipline`` ("OT", "PT", "SLP"); ``KeyError`` naming it when unknown."""
        try:
            return self._entries[str(discipline)]
        except KeyError:
            raise KeyError(f"discipline {discipline} has no modifier in {self.version}") from None

    @property
    def discipline_modifiers(self) -> frozenset[str]:
        """Every discipline modifier (GO, GP, GN): the set a line may carry exactly one of."""
        return self._discipline_modifiers

    @property
    def assistant_modifiers(self) -> frozenset[str]:
        return self._assistant_modifiers
