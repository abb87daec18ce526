"""Payer set-up, provider directory and charge master: what the claims service needs besides the
tenant's registered billing providers (:mod:`otrcm_claims.usecases.billing_identity`).

Per payer (keyed by our payer id): the X12 payer id (2010BB NM109) and claim filing indicator (SBR09:
MB Medicare Part B, MC Medicaid, CI commercial). A provider directory names the rendering and
referring NPIs (2310A/B). The charge master gives the charge per unit of each code (SV102 = unit
charge x units). ``secondary`` says after which primaries the payer takes secondary claims (MO HealthNet
after Medicare for dual-eligible patients; a commercial plan after any). The shipped file is a labelled
sample (``data/billing_profiles.json``). Billing providers are not in it: a claim goes out only under a
billing provider registered to its tenant.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from otrcm_claims.domain import (
    ClaimFilingIndicator,
    Payer,
    PersonName,
    Provider,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SecondaryEntry(_Model):
    """The payer takes secondary claims (coordination of benefits) after the primaries named in ``after``, or
    after any primary with ``after_any_primary`` (docs/billing-rules.md#13-secondary-claims)."""

    after: list[str] = []
    after_any_primary: bool = False

    def takes_secondary_after(self, primary_payer_id: str) -> bool:
        return self.after_any_primary or primary_payer_id in self.after


class PayerEntry(_Model):
    name: str
    x12_payer_id: str
    claim_filing_indicator: str
    requires_referring_provider: bool = False
    one_rendering_provider_per_claim: bool = False  # the payer refuses 2420A: one therapist per claim
    secondary: SecondaryEntry | None = None  # None: the payer takes no secondary claims

    def to_domain(self) -> Payer:
        indicator = ClaimFilingIndicator(self.claim_filing_indicator)
        return Payer(self.name, self.x12_payer_id, indicator, self.requires_referring_provider)


class PersonEntry(_Model):
    last: str
    first: str
    middle: str | None = None
    taxonomy: str | None = None

    def provider(self, npi: str) -> Provider:
        return Provider(PersonName(self.last, self.first, self.middle), npi, self.taxonomy)


class ChargeMaster(_Model):
    version: str
    per_unit: dict[str, Decimal]


class BillingProfiles(_Model):
    """The whole file; lookups return None when something is not set up (the claim is then held)."""

    dataset: str
    sample: bool = False
    description: str = ""
    source: str = ""
    payers: dict[str, PayerEntry]
    providers: dict[str, PersonEntry] = {}
    charge_master: ChargeMaster

    @classmethod
    def load(cls, path: Path | None = None) -> BillingProfiles:
        """The file at ``path``, or the sample shipped with the package."""
        if path is None:
            return _sample()
        return cls.model_validate(json.loads(path.read_text("utf-8")))

    def payers_with_one_rendering_provider(self) -> frozenset[str]:
        return frozenset(payer_id for payer_id, payer in self.payers.items() if payer.one_rendering_provider_per_claim)

    def person(self, npi: str | None) -> Provider | None:
        entry = self.providers.get(npi) if npi else None
        return entry.provider(npi) if entry is not None and npi is not None else None


@cache
def _sample() -> BillingProfiles:
    text = resources.files("otrcm_claims").joinpath("data/billing_profiles.json").read_text("utf-8")
    return BillingProfiles.model_validate(json.loads(text))
