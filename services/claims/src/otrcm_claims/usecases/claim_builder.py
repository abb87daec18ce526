"""Build a claim draft under the tenant's set-up: its registered billing provider, the payer's set-up, the
provider directory and the charge master (the joining itself is pure: :mod:`otrcm_claims.domain.claim_assembly`)."""

from __future__ import annotations

from collections.abc import Mapping

from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.domain.claim_assembly import BuiltClaim, ClaimSetUp, assemble_claim, coverage_for
from otrcm_claims.domain.grouping import ClaimDraft
from otrcm_claims.usecases.billing_identity import billing_provider_of
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.patients import PatientRecorded

__all__ = ["BuiltClaim", "build_claim", "coverage_for"]


def build_claim(
    draft: ClaimDraft,
    patient: PatientRecorded,
    profiles: BillingProfiles,
    registered: Mapping[str, BillingProviderRegistered],
) -> BuiltClaim:
    """``registered``: the claim's tenant's active billing providers by NPI, the only identities it may bill as."""
    billing = registered.get(draft.key.billing_provider_npi)
    payer = profiles.payers.get(draft.key.payer_id)
    set_up = ClaimSetUp(
        billing=billing_provider_of(billing) if billing is not None else None,
        payer=payer.to_domain() if payer is not None else None,
        directory=profiles.person,
        per_unit=profiles.charge_master.per_unit,
        charge_master_version=profiles.charge_master.version,
    )
    return assemble_claim(draft, patient, set_up)
