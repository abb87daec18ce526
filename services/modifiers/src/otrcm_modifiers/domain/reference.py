"""The reference values one billing day is evaluated against, gathered by the caller for the date.

The domain reads no files: the service builds a :class:`DayReference` from the shared, effective-dated
datasets (``otrcm_shared.refdata``) for the date of service, the payer and the locality, and tests build
one from fixture values written in the test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from otrcm_modifiers.domain.kx_threshold import YearLimits
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.refdata import CodeCatalog
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers
from otrcm_shared.refdata.medicare_pfs import MedicarePfsValues
from otrcm_shared.refdata.ncci_edits import MueLimits, PtpEdits
from otrcm_shared.refdata.therapy_limits import ThresholdBucket


def _no_limits() -> Mapping[ThresholdBucket, YearLimits]:
    return MappingProxyType({})


def _no_fees() -> Mapping[str, Decimal]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class DayReference:
    """Reference values in effect on the date of service.

    ``limits``: the KX threshold and targeted review amount per bucket for the year (missing: unknown).
    ``ptp_edits``/``mue_limits``: NCCI tables (None: not checked). ``medicare``: PFS values for Medicare
    pricing (None: cannot price). ``fee_schedule``: code -> amount per unit of the day's payer.
    """

    catalog: CodeCatalog
    disciplines: DisciplineModifiers
    limits: Mapping[ThresholdBucket, YearLimits] = field(default_factory=_no_limits)
    ptp_edits: PtpEdits | None = None
    mue_limits: MueLimits | None = None
    medicare: MedicarePfsValues | None = None
    fee_schedule: Mapping[str, Decimal] = field(default_factory=_no_fees)

    def carried_forward(self) -> tuple[DatasetUsed, ...]:
        """The datasets of this reference with no version for the date (an earlier one carried forward)."""
        used = list(self.medicare.provisional) if self.medicare is not None else []
        for limits in self.limits.values():
            for amount in (limits.threshold, limits.targeted_review):
                if amount is not None and amount.provisional:
                    used.append(amount.used)
        unique = {(u.dataset, u.version, u.year): u for u in used}
        return tuple(sorted(unique.values(), key=lambda u: u.dataset))
