"""Typed view of payer modifier policies: which therapy modifier rules a payer uses and how it prices.

Data: ``data/payer_modifier_policies.json``. Rules read the flags and never branch on a payer's name:
Medicare follows CMS (threshold, KX, CO, NCCI, XU); Medicaid and commercial defaults are settings a billing
team confirms (listed in ``to_confirm``). Source: CMS Pub. 100-04 Ch. 5 §10.3, §20.1;
docs/billing-rules.md#9-missouri-payers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from otrcm_shared.refdata.loader import Dataset, builtin_view


class DistinctModifier(StrEnum):
    """The modifier that marks a distinct procedural service on an NCCI column-2 line."""

    MODIFIER_59 = "59"
    XU = "XU"


class PricingMethod(StrEnum):
    """How a payer's expected allowed amount is estimated."""

    MEDICARE_PFS = "medicare_pfs"  # RVUs x GPCIs x conversion factor, MPPR, CO share
    FEE_SCHEDULE = "fee_schedule"  # the tenant fee schedule amount x units


@dataclass(frozen=True, slots=True)
class PayerModifierPolicy:
    """The modifier rules one payer applies to therapy lines."""

    uses_threshold: bool
    uses_kx: bool
    uses_co: bool
    distinct_modifier: DistinctModifier
    applies_ncci: bool = True
    pricing: PricingMethod = PricingMethod.MEDICARE_PFS
    to_confirm: tuple[str, ...] = ()


MEDICARE_POLICY = PayerModifierPolicy(
    uses_threshold=True,
    uses_kx=True,
    uses_co=True,
    distinct_modifier=DistinctModifier.XU,
    applies_ncci=True,
    pricing=PricingMethod.MEDICARE_PFS,
)


class UnknownPayerPolicy(LookupError):
    def __init__(self, payer_id: str, version: str) -> None:
        super().__init__(f"payer '{payer_id}' has no modifier policy in payer modifier policies {version}")
        self.payer_id = payer_id


class PayerModifierPolicies:
    """The payer modifier policies in effect on one date."""

    def __init__(self, policies: dict[str, PayerModifierPolicy], version: str, source: str) -> None:
        self._policies = policies
        self.version = version
        self.source = source

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> PayerModifierPolicies:
        version = dataset.as_of(on)
        policies = {
            payer_id: PayerModifierPolicy(
                uses_threshold=bool(row["uses_threshold"]),
                uses_kx=bool(row["uses_kx"]),
                uses_co=bool(row["uses_co"]),
                distinct_modifier=DistinctModifier(row["distinct_modifier"]),
                applies_ncci=bool(row.get("applies_ncci", True)),
                pricing=PricingMethod(row["pricing"]),
                to_confirm=tuple(row.get("to_confirm", ())),
            )
            for payer_id, row in version.data["payers"].items()
        }
        return cls(policies, version.version, dataset.source_of(version))

    @classmethod
    def builtin(cls, on: date) -> PayerModifierPolicies:
        return builtin_view(cls.from_dataset, "payer_modifier_policies", on)

    def get(self, payer_id: str) -> PayerModifierPolicy:
        try:
            return self._policies[payer_id]
        except KeyError:
            raise UnknownPayerPolicy(payer_id, self.version) from None
