"""Typed view of the code catalog: which codes are timed, their discipline and families.

Data: ``data/code_catalog.json`` (sources named there). Services read codes through this view.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.refdata.loader import Dataset, builtin_view


class TherapyStatus(StrEnum):
    """CMS annual therapy code list: 'always' carries a discipline modifier on every line."""

    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NOT_THERAPY = "not_therapy"


class CodeFamily(StrEnum):
    """How a code relates to others billed the same day."""

    NONE = "none"
    FIRST_OF_DAY = "first_of_day"  # e.g. 97129: the first 15 minutes, once a day
    ADD_ON = "add_on"  # e.g. 97130: each additional 15 minutes


class CodeInfo(StrictModel):
    """What the pipeline needs to know about one CPT/HCPCS code."""

    code: str
    description: str
    timed: bool = Field(description="True for 15-minute timed codes; untimed codes are 1 unit each.")
    therapy_status: TherapyStatus
    family: str | None = Field(default=None, description="Family name when codes share a time pool.")
    family_role: CodeFamily = CodeFamily.NONE
    evaluation: bool = False
    reevaluation: bool = Field(default=False, description="A re-evaluation: under an existing plan, not creating one.")
    discipline: str | None = Field(default=None, description="Set when the code belongs to one discipline.")


class CodeCatalog:
    """The catalog version in effect on one date."""

    def __init__(self, codes: dict[str, CodeInfo], version: str, source: str) -> None:
        self._codes = codes
        self.version = version
        self.source = source

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> CodeCatalog:
        version = dataset.as_of(on)
        codes = {
            code: CodeInfo.model_validate({"code": code, **entry}) for code, entry in version.data["codes"].items()
        }
        return cls(codes, version.version, dataset.source_of(version))

    @classmethod
    def builtin(cls, on: date) -> CodeCatalog:
        return builtin_view(cls.from_dataset, "code_catalog", on)

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def get(self, code: str) -> CodeInfo:
        """The code's entry; ``KeyError`` naming the code when the catalog does not know it."""
        try:
            return self._codes[code]
        except KeyError:
            raise KeyError(f"code {code} is not in the code catalog {self.version}") from None

    def family_members(self, family: str) -> list[CodeInfo]:
        return [info for info in self._codes.values() if info.family == family]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self._codes))
