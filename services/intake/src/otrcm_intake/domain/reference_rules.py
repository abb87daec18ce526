"""Rules on what an encounter refers to: the tenant's own billing provider, a recorded patient, a payer
that covers the patient. Pure: the caller looks the facts up and passes them in.

A claim goes out under the identity of the tenant that sent the encounter, never another's: a billing
NPI must be registered to the tenant (and active, and for the encounter's location when the
registration names locations). An encounter for a patient the tenant has not recorded, or for a payer
none of the patient's coverages names, could never become a claim (X222A1 2010BA needs the
subscriber, 2010BB the payer), so it is refused at the door instead of waiting unseen.
"""

from __future__ import annotations

from dataclasses import dataclass

from otrcm_intake.domain.violations import Violation
from otrcm_shared.events.submissions import EncounterSubmission

# The values each rule reads besides the field it names (see ``encounter_rules.ALSO_READS``).
ALSO_READS: dict[str, tuple[str, ...]] = {
    "billing_provider.location": ("billing_provider_npi",),
    "coverage.payer": ("patient_id",),
}


@dataclass(frozen=True, slots=True)
class Registration:
    """The registration of a billing NPI as intake keeps it: whose it is, and where it may bill."""

    tenant_id: str
    active: bool
    location_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReferencedFacts:
    """What the tenant has recorded that the encounter names."""

    registration: Registration | None
    patient_recorded: bool
    covering_payer_ids: frozenset[str]


def validate_references(encounter: EncounterSubmission, tenant_id: str, facts: ReferencedFacts) -> list[Violation]:
    found: list[Violation] = []
    found += billing_provider_is_registered_to_the_tenant(encounter, tenant_id, facts.registration)
    found += patient_is_recorded(facts.patient_recorded)
    if facts.patient_recorded:
        found += payer_covers_the_patient(encounter, facts.covering_payer_ids)
    return found


def billing_provider_is_registered_to_the_tenant(
    encounter: EncounterSubmission, tenant_id: str, registration: Registration | None
) -> list[Violation]:
    """The billing NPI is one the tenant registered, still active, and covers the encounter's location.

    Another tenant's NPI gets the same answer as an unknown one, so the door never tells who owns it.
    """
    path = "billing_provider_npi"
    if registration is None or registration.tenant_id != tenant_id:
        message = (
            "this billing NPI is not registered to your organisation; an administrator registers billing "
            "providers (otrcm-intake register-billing-provider)"
        )
        return [Violation(path, "billing_provider.registered", message)]
    if not registration.active:
        return [Violation(path, "billing_provider.active", "this billing provider's registration was withdrawn")]
    location = encounter.location_id
    if registration.location_ids and location not in registration.location_ids:
        message = "the billing provider is not registered for this location (location_id)"
        return [Violation("location_id", "billing_provider.location", message)]
    return []


def patient_is_recorded(recorded: bool) -> list[Violation]:
    if recorded:
        return []
    message = "no patient with this id has been recorded; record the patient first (POST /v1/patients)"
    return [Violation("patient_id", "patient.recorded", message)]


def payer_covers_the_patient(encounter: EncounterSubmission, covering_payer_ids: frozenset[str]) -> list[Violation]:
    if encounter.payer_id in covering_payer_ids:
        return []
    message = "none of the patient's recorded coverages is with this payer; record the coverage first"
    return [Violation("payer_id", "coverage.payer", message)]
