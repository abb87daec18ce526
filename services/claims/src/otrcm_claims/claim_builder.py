"""Join a claim draft with the patient's record and the billing profiles into a :class:`Claim`. Pure.

What cannot be built (no billing profile, no payer set-up, a code missing from the charge master, a
provider missing from the directory, a subscriber who is not the patient) becomes a problem that
holds the claim; problems name ids and codes only, never PHI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from otrcm_claims.billing_identity import billing_provider_of
from otrcm_claims.billing_profiles import BillingProfiles
from otrcm_claims.domain import Address, Claim, PersonName, Provider, ServiceLine, Sex, Subscriber, total_of
from otrcm_claims.domain.grouping import ClaimDraft, line_charge, ordered_diagnoses
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.patients import Coverage, PatientRecorded

SUBSCRIBER_IS_PATIENT = "18"


@dataclass(frozen=True, slots=True)
class BuiltClaim:
    """The claim (None when a problem prevents it), the problems, and what each line bills."""

    draft: ClaimDraft
    claim: Claim | None
    problems: tuple[str, ...]
    lines: tuple[dict[str, Any], ...] = field(default=())


def coverage_for(patient: PatientRecorded, payer_id: str) -> Coverage | None:
    return next((coverage for coverage in patient.coverages if coverage.payer_id == payer_id), None)


def _subscriber(patient: PatientRecorded, coverage: Coverage) -> Subscriber:
    address = patient.address
    return Subscriber(
        PersonName(patient.last_name.upper(), patient.first_name.upper()),
        coverage.member_id,
        patient.birth_date,
        Sex(patient.sex),
        Address(
            address.line1.upper(),
            address.city.upper(),
            address.state,
            address.postal_code,
            address.line2.upper() if address.line2 else None,
        ),
        coverage.group_number,
    )


def _directory_provider(profiles: BillingProfiles, npi: str, role: str, problems: list[str]) -> Provider | None:
    provider = profiles.person(npi)
    if provider is None:
        problems.append(f"provider-directory: the {role} NPI {npi} is not in the provider directory")
    return provider


def build_claim(
    draft: ClaimDraft,
    patient: PatientRecorded,
    profiles: BillingProfiles,
    registered: Mapping[str, BillingProviderRegistered],
) -> BuiltClaim:
    """``registered``: the claim's tenant's active billing providers by NPI, the only identities it may bill as."""
    problems: list[str] = []
    key = draft.key
    billing = registered.get(key.billing_provider_npi)
    if billing is None:
        problems.append(
            f"billing-profile: billing NPI {key.billing_provider_npi} is not registered to this tenant; "
            "register it (otrcm-intake register-billing-provider) and the claim is rebuilt"
        )
    payer = profiles.payers.get(key.payer_id)
    if payer is None:
        problems.append(f"payer-setup: payer {key.payer_id} has no X12 payer id or claim filing indicator")
    coverage = coverage_for(patient, key.payer_id)
    if coverage is None:
        problems.append(f"coverage: the patient record has no coverage for payer {key.payer_id}")
    elif coverage.relationship_to_subscriber != SUBSCRIBER_IS_PATIENT:
        problems.append("subscriber: the subscriber is not the patient; the patient record lacks their demographics")

    first = draft.days[0]
    diagnoses = ordered_diagnoses(draft.days)
    lines: list[ServiceLine] = []
    billed: list[dict[str, Any]] = []
    for day in draft.days:
        for ready in day.lines:
            charge = line_charge(ready.code, ready.units, profiles.charge_master.per_unit)
            if charge is None:
                problems.append(f"charge-master: code {ready.code} has no charge in {profiles.charge_master.version}")
                continue
            control_number = f"{draft.claim_id}-{len(lines) + 1}"
            pos = day.place_of_service if day.place_of_service != first.place_of_service else None
            pointers = tuple(diagnoses.index(code) + 1 for code in ready.diagnosis_codes)
            lines.append(
                ServiceLine(
                    control_number,
                    ready.code,
                    charge,
                    ready.units,
                    pointers,
                    day.date_of_service,
                    tuple(ready.modifiers),
                    pos,
                )
            )
            billed.append(
                {
                    "line_key": ready.line_key,
                    "control_number": control_number,
                    "code": ready.code,
                    "modifiers": list(ready.modifiers),
                    "units": ready.units,
                    "charge": str(charge),
                    "diagnosis_pointers": list(pointers),
                    "service_date": day.date_of_service.isoformat(),
                    "encounter_id": ready.encounter_id,
                    "day_key": day.day_key,
                }
            )

    referring = None
    if first.referring_provider_npi:
        referring = _directory_provider(profiles, first.referring_provider_npi, "referring", problems)
    rendering = None
    if first.rendering_provider.npi != key.billing_provider_npi:
        rendering = _directory_provider(profiles, first.rendering_provider.npi, "rendering", problems)

    if problems or billing is None or payer is None or coverage is None:
        return BuiltClaim(draft, None, tuple(problems), tuple(billed))
    claim = Claim(
        claim_id=draft.claim_id,
        payer=payer.to_domain(),
        billing_provider=billing_provider_of(billing),
        subscriber=_subscriber(patient, coverage),
        total_charge=total_of(lines),
        place_of_service=first.place_of_service,
        diagnoses=diagnoses,
        lines=tuple(lines),
        referring_provider=referring,
        rendering_provider=rendering,
    )
    return BuiltClaim(draft, claim, (), tuple(billed))
