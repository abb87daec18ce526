"""Gathers the reference values a billing day is evaluated against (the domain reads no files)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TypeVar

from otrcm_modifiers.domain.kx_threshold import YearLimits
from otrcm_modifiers.domain.reference import DayReference
from otrcm_shared.refdata import CodeCatalog, NoVersionInEffect
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers
from otrcm_shared.refdata.fee_schedules import TenantFeeSchedules
from otrcm_shared.refdata.layers import LAYERS
from otrcm_shared.refdata.medicare_pfs import MedicarePfsValues
from otrcm_shared.refdata.ncci_edits import MueLimits, PtpEdits
from otrcm_shared.refdata.therapy_limits import (
    ThresholdBucket,
    kx_provisional_margin,
    kx_threshold,
    targeted_review_threshold,
)

T = TypeVar("T")


def _if_in_effect(load: Callable[[], T]) -> T | None:
    """None when no version covers the date: the rules then say what they could not decide."""
    try:
        return load()
    except NoVersionInEffect:
        return None


def day_reference(on: date, payer_id: str) -> DayReference:
    """The reference values of ``payer_id``'s days on ``on``: gathered once per date, payer and import generation
    (an import of reference data changes the generation, so the next day gathers them again)."""
    return _gathered(on, payer_id, LAYERS.generation)


@lru_cache(maxsize=1024)
def _gathered(on: date, payer_id: str, _generation: int) -> DayReference:
    margin = _if_in_effect(lambda: kx_provisional_margin(on))
    limits = {
        bucket: YearLimits(
            threshold=_if_in_effect(lambda b=bucket: kx_threshold(b, on)),  # type: ignore[misc]
            targeted_review=_if_in_effect(lambda b=bucket: targeted_review_threshold(b, on)),  # type: ignore[misc]
            provisional_margin=margin.amount if margin is not None else None,
        )
        for bucket in ThresholdBucket
    }
    fees = _if_in_effect(lambda: TenantFeeSchedules.builtin(on))
    return DayReference(
        catalog=CodeCatalog.builtin(on),
        disciplines=DisciplineModifiers.builtin(on),
        limits=limits,
        ptp_edits=_if_in_effect(lambda: PtpEdits.builtin(on)),
        mue_limits=_if_in_effect(lambda: MueLimits.builtin(on)),
        medicare=_if_in_effect(lambda: MedicarePfsValues.builtin(on)),
        fee_schedule=fees.schedule_for(payer_id) if fees is not None else {},
    )
