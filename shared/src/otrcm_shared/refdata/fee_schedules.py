"""Typed view of a tenant's non-Medicare fee schedules: payer id -> code -> allowed amount per unit.

Data: ``data/tenant_fee_schedules.json``, a labelled SAMPLE; a practice ships its own contracted or
published rates in the same shape (docs/billing-rules.md#9-missouri-payers: rates are per plan and contract).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from otrcm_shared.refdata.loader import Dataset, builtin_view

NO_SCHEDULE: Mapping[str, Decimal] = MappingProxyType({})


class TenantFeeSchedules:
    """The fee schedules in effect on one date."""

    def __init__(self, schedules: dict[str, dict[str, Decimal]], version: str, source: str, is_sample: bool) -> None:
        self._schedules = {payer: MappingProxyType(dict(codes)) for payer, codes in schedules.items()}
        self.version = version
        self.source = source
        self.is_sample = is_sample

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> TenantFeeSchedules:
        version = dataset.as_of(on)
        schedules = {
            payer: {code: Decimal(str(amount)) for code, amount in codes.items()}
            for payer, codes in version.data["payers"].items()
        }
        return cls(schedules, version.version, dataset.source_of(version), bool(version.data.get("sample", False)))

    @classmethod
    def builtin(cls, on: date) -> TenantFeeSchedules:
        return builtin_view(cls.from_dataset, "tenant_fee_schedules", on)

    def schedule_for(self, payer_id: str) -> Mapping[str, Decimal]:
        """Code -> allowed amount per unit for ``payer_id`` (empty when the tenant has none)."""
        return self._schedules.get(payer_id, NO_SCHEDULE)
