"""A professional claim (837P 2300) and its service lines (2400), money in Decimal.

Source: ASC X12 005010X222A1; docs/billing-rules.md#11-x12; docs/billing-rules.md#3-discipline-modifiers
to §6 (GO, KX, CO modifiers), §9 (place of service 03 = school). Shape rules (counts, pointers, check digits) are the
claim checks in :mod:`otrcm_claims.domain.claim_rules`, so a bad claim is held with reasons instead
of failing to construct; only a non-Decimal amount is refused here, as a programming error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from otrcm_claims.domain.coordination import OtherPayer, PayerResponsibility
from otrcm_claims.domain.money import require_decimal
from otrcm_claims.domain.parties import BillingProvider, Patient, Payer, Provider, Subscriber


class ClaimFrequency(StrEnum):
    """CLM05-3 claim frequency type code (NUBC; X222A1 2300 CLM05-3)."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One 2400 line: REF*6R line control number, SV1 code/modifiers/charge/units/pointers, DTP*472.

    ``diagnosis_pointers`` are 1-based positions in the claim's diagnoses (SV107, at most four, the
    first is the primary for the line). ``place_of_service`` is set only when it differs from the
    claim's (SV105 is sent only then). ``rendering_provider`` (2420A NM1*82) is set only when the line's
    rendering provider is not the one the claim names (2310B, or the billing provider without it).
    """

    line_control_number: str
    procedure_code: str
    charge: Decimal
    units: int
    diagnosis_pointers: tuple[int, ...]
    service_date: date
    modifiers: tuple[str, ...] = ()
    place_of_service: str | None = None
    rendering_provider: Provider | None = None

    def __post_init__(self) -> None:
        require_decimal(self.charge, "ServiceLine.charge")


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim to one payer: CLM01 ``claim_id`` (an opaque id, never PHI), parties, diagnoses, lines.

    ``diagnoses`` are ICD-10-CM codes, the first being principal (HI ABK, the rest ABF). ``patient``
    is ``None`` when the subscriber is the patient. ``referring_provider`` is the physician/NPP who
    certified the plan of care (2310A NM1*DN). ``rendering_provider`` is sent (2310B) only when its
    NPI differs from the billing provider's. ``payer_claim_control_number`` (REF*F8) names the
    original claim for a replacement (7) or void (8); ``prior_authorization`` is REF*G1. A secondary claim has
    ``responsibility`` S and ``other_payer``, the primary's adjudication (docs/billing-rules.md#13-secondary-claims).
    """

    claim_id: str
    payer: Payer
    billing_provider: BillingProvider
    subscriber: Subscriber
    total_charge: Decimal
    place_of_service: str
    diagnoses: tuple[str, ...]
    lines: tuple[ServiceLine, ...]
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL
    patient: Patient | None = None
    referring_provider: Provider | None = None
    rendering_provider: Provider | None = None
    payer_claim_control_number: str | None = None
    prior_authorization: str | None = None
    responsibility: str = PayerResponsibility.PRIMARY  # SBR01: P, or S for a secondary claim
    other_payer: OtherPayer | None = None  # 2320/2330A/2330B/2430: the primary's adjudication (secondary claims)

    def __post_init__(self) -> None:
        require_decimal(self.total_charge, "Claim.total_charge")

    @property
    def subscriber_is_patient(self) -> bool:
        return self.patient is None

    @property
    def sends_rendering_provider(self) -> bool:
        """2310B is sent only for a rendering provider other than the billing provider (X222A1 2310B note)."""
        return self.rendering_provider is not None and self.rendering_provider.npi != self.billing_provider.npi

    @property
    def rendering_npi(self) -> str:
        """The NPI the claim names as rendering (2310B, or the billing provider's when 2310B is not sent)."""
        if self.rendering_provider is not None and self.sends_rendering_provider:
            return self.rendering_provider.npi
        return self.billing_provider.npi

    def rendering_npi_of(self, line: ServiceLine) -> str:
        """Who rendered ``line``: its 2420A, or the claim's."""
        return line.rendering_provider.npi if line.rendering_provider is not None else self.rendering_npi

    @property
    def sum_of_line_charges(self) -> Decimal:
        return total_of(self.lines)


def total_of(lines: Sequence[ServiceLine]) -> Decimal:
    """The CLM02 a claim of these lines must carry: the sum of their SV102 charges."""
    return sum((line.charge for line in lines), Decimal(0))
