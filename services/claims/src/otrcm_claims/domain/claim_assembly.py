"""Join a claim draft with the patient's record and the tenant's set-up into a :class:`Claim`. Pure.

What cannot be built (no registered billing provider, no payer set-up, a code missing from the charge
master, a provider missing from the directory, a dependent whose record names no subscriber) becomes a problem
that holds the claim; problems name ids and codes only, never PHI.

Rendering providers (X222A1 2310B, 2420A): the claim names its first line's rendering provider (2310B,
sent only when it is not the billing provider); a line whose rendering provider is not the one the claim
names (2310B, or the billing provider without it) carries its own (2420A), so every line says who
rendered it even when a day pools two therapists' minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from otrcm_claims.domain.claim import Claim, ServiceLine, total_of
from otrcm_claims.domain.dependents import InsuredParties, insured_parties
from otrcm_claims.domain.grouping import ClaimDraft, line_charge, ordered_diagnoses, rendering_npi_of
from otrcm_claims.domain.parties import BillingProvider, Payer, Provider
from otrcm_shared.events.patients import Coverage, PatientRecorded

BILLING_PROFILE_MISSING = "billing-profile:"  # the reason a claim waits for its billing provider's registration


@dataclass(frozen=True, slots=True)
class BuiltClaim:
    """The claim (None when a problem prevents it), the problems, and what each line bills."""

    draft: ClaimDraft
    claim: Claim | None
    problems: tuple[str, ...]
    lines: tuple[dict[str, Any], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ClaimSetUp:
    """What the claim is built under: the tenant's registered billing provider (None: not registered), the
    payer's set-up (None: none), the provider directory and the charge master."""

    billing: BillingProvider | None
    payer: Payer | None
    directory: Callable[[str], Provider | None]
    per_unit: Mapping[str, Decimal]
    charge_master_version: str


def coverage_for(patient: PatientRecorded, payer_id: str) -> Coverage | None:
    return next((coverage for coverage in patient.coverages if coverage.payer_id == payer_id), None)


def _directory_provider(set_up: ClaimSetUp, npi: str, role: str, problems: list[str]) -> Provider | None:
    provider = set_up.directory(npi)
    if provider is None:
        problem = f"provider-directory: the {role} NPI {npi} is not in the provider directory"
        if problem not in problems:
            problems.append(problem)
    return provider


def assemble_claim(draft: ClaimDraft, patient: PatientRecorded, set_up: ClaimSetUp) -> BuiltClaim:
    """The claim of ``draft`` for ``patient`` under ``set_up``, or the problems that hold it."""
    problems: list[str] = []
    key = draft.key
    billing = set_up.billing
    if billing is None:
        problems.append(
            f"{BILLING_PROFILE_MISSING} billing NPI {key.billing_provider_npi} is not registered to this tenant; "
            "register it (otrcm-intake register-billing-provider) and the claim is rebuilt"
        )
    payer = set_up.payer
    if payer is None:
        problems.append(f"payer-setup: payer {key.payer_id} has no X12 payer id or claim filing indicator")
    coverage = coverage_for(patient, key.payer_id)
    parties: InsuredParties | str | None = None
    if coverage is None:
        problems.append(f"coverage: the patient record has no coverage for payer {key.payer_id}")
    else:
        parties = insured_parties(patient, coverage)
        if isinstance(parties, str):
            problems.append(parties)

    first = draft.days[0]
    claim_rendering_npi = key.rendering_provider_npi or rendering_npi_of(first.lines[0], first)
    diagnoses = ordered_diagnoses(draft.days)
    lines: list[ServiceLine] = []
    billed: list[dict[str, Any]] = []
    for day in draft.days:
        for ready in day.lines:
            charge = line_charge(ready.code, ready.units, set_up.per_unit)
            if charge is None:
                problems.append(f"charge-master: code {ready.code} has no charge in {set_up.charge_master_version}")
                continue
            line_npi = rendering_npi_of(ready, day)
            line_rendering = None
            if line_npi != claim_rendering_npi:  # 2420A: not the one the claim names (2310B, or 2010AA without it)
                line_rendering = _directory_provider(set_up, line_npi, "rendering", problems)
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
                    line_rendering,
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
                    "rendering_provider_npi": line_npi,
                    "expected_allowed": str(ready.expected_allowed) if ready.expected_allowed is not None else None,
                }
            )

    referring = None
    if first.referring_provider_npi:
        referring = _directory_provider(set_up, first.referring_provider_npi, "referring", problems)
    rendering = None
    if claim_rendering_npi != key.billing_provider_npi:
        rendering = _directory_provider(set_up, claim_rendering_npi, "rendering", problems)

    if problems or billing is None or payer is None or not isinstance(parties, InsuredParties):
        return BuiltClaim(draft, None, tuple(problems), tuple(billed))
    claim = Claim(
        claim_id=draft.claim_id,
        payer=payer,
        billing_provider=billing,
        subscriber=parties.subscriber,
        patient=parties.patient,
        total_charge=total_of(lines),
        place_of_service=first.place_of_service,
        diagnoses=diagnoses,
        lines=tuple(lines),
        referring_provider=referring,
        rendering_provider=rendering,
    )
    return BuiltClaim(draft, claim, (), tuple(billed))
