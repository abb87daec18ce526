"""Typed view of payer profiles: the per-payer facts that drive behaviour (unit method first).

A payer profile is configuration a billing team owns: a new payer or state is a data file, not code.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.refdata.loader import Dataset, builtin_view


class PayerKind(StrEnum):
    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    MEDICAID_MANAGED_CARE = "medicaid_managed_care"
    COMMERCIAL = "commercial"
    SCHOOL_IEP = "school_iep"


class PayerProfile(StrictModel):
    payer_id: str
    name: str
    kind: PayerKind
    unit_method: str = Field(pattern=r"^(cms|ama)$", description="cms total-time or ama per-code units.")
    timely_filing_days: int | None = Field(default=None, ge=1, description="Days after the date of service.")
    requirements: dict[str, bool | str] = Field(
        default_factory=dict, description="What the payer needs before billing (plan, authorization, referral)."
    )
    note: str | None = None


class UnknownPayer(LookupError):
    def __init__(self, payer_id: str, version: str) -> None:
        super().__init__(f"payer '{payer_id}' has no profile in payer profiles {version}")
        self.payer_id = payer_id


class PayerProfiles:
    """The payer profiles in effect on one date."""

    def __init__(self, profiles: dict[str, PayerProfile], version: str) -> None:
        self._profiles = profiles
        self.version = version

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> PayerProfiles:
        version = dataset.as_of(on)
        profiles = {
            payer_id: PayerProfile.model_validate({"payer_id": payer_id, **entry})
            for payer_id, entry in version.data["payers"].items()
        }
        return cls(profiles, version.version)

    @classmethod
    def builtin(cls, on: date) -> PayerProfiles:
        return builtin_view(cls.from_dataset, "payer_profiles", on)

    def get(self, payer_id: str) -> PayerProfile:
        try:
            return self._profiles[payer_id]
        except KeyError:
            raise UnknownPayer(payer_id, self.version) from None

    def __contains__(self, payer_id: object) -> bool:
        return payer_id in self._profiles
