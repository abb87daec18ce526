"""Typed view of NCCI edits: procedure-to-procedure (PTP) pairs and medically unlikely edits (MUE).

Data: ``data/ncci_ptp_edits.json`` and ``data/ncci_mue_limits.json``. The files shipped with the project
are labelled samples (``is_sample``); the quarterly CMS files are loaded with the modifiers service's
importer (``otrcm_modifiers.adapters.refdata_files``) into the same shape. Source: NCCI Policy Manual Ch. XI and
the CMS practitioner PTP and MUE tables; docs/billing-rules.md#8-ncci-and-mue.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.refdata.loader import Dataset, builtin_view


class ModifierIndicator(StrEnum):
    """PTP modifier indicator: 0 never bypassable, 1 bypassable with 59/X{EPSU}, 9 not applicable."""

    NOT_ALLOWED = "0"
    ALLOWED = "1"
    NOT_APPLICABLE = "9"


class PtpEdit(StrictModel):
    """One PTP pair: the column-2 code is not paid with the column-1 code on the same day, unless bypassed."""

    column1: str
    column2: str
    modifier_indicator: ModifierIndicator
    effective: date | None = None
    deleted: date | None = Field(default=None, description="CMS deletion date; the edit no longer applies on it.")
    rationale: str = ""

    def in_effect(self, on: date) -> bool:
        started = self.effective is None or self.effective <= on
        return started and (self.deleted is None or on < self.deleted)


class PtpEdits:
    """The PTP pairs in effect on one date."""

    def __init__(self, edits: Iterable[PtpEdit], version: str, source: str, is_sample: bool) -> None:
        self._pairs = {(edit.column1, edit.column2): edit for edit in edits}
        self.version = version
        self.source = source
        self.is_sample = is_sample

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> PtpEdits:
        version = dataset.as_of(on)
        edits = [PtpEdit.model_validate(row) for row in version.data["pairs"]]
        in_effect = [edit for edit in edits if edit.in_effect(on)]
        return cls(in_effect, version.version, dataset.source_of(version), bool(version.data.get("sample", False)))

    @classmethod
    def builtin(cls, on: date) -> PtpEdits:
        return builtin_view(cls.from_dataset, "ncci_ptp_edits", on)

    def pair(self, column1: str, column2: str) -> PtpEdit | None:
        return self._pairs.get((column1, column2))

    def __len__(self) -> int:
        return len(self._pairs)


class MueAdjudication(StrEnum):
    """MUE adjudication indicator: 1 per claim line; 2 and 3 per date of service (policy, clinical)."""

    LINE = "1"
    DATE_OF_SERVICE_POLICY = "2"
    DATE_OF_SERVICE_CLINICAL = "3"

    @property
    def per_date_of_service(self) -> bool:
        return self is not MueAdjudication.LINE


class MueLimit(StrictModel):
    """The most units of one code a practitioner reports for a patient (per line or per date of service)."""

    code: str
    units: int = Field(ge=0)
    adjudication_indicator: MueAdjudication
    rationale: str = ""


class MueLimits:
    """The MUE limits in effect on one date."""

    def __init__(self, limits: Iterable[MueLimit], version: str, source: str, is_sample: bool) -> None:
        self._limits = {limit.code: limit for limit in limits}
        self.version = version
        self.source = source
        self.is_sample = is_sample

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> MueLimits:
        version = dataset.as_of(on)
        limits = [MueLimit.model_validate({"code": code, **row}) for code, row in version.data["limits"].items()]
        return cls(limits, version.version, dataset.source_of(version), bool(version.data.get("sample", False)))

    @classmethod
    def builtin(cls, on: date) -> MueLimits:
        return builtin_view(cls.from_dataset, "ncci_mue_limits", on)

    def get(self, code: str) -> MueLimit | None:
        return self._limits.get(code)
