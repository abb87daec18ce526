"""The loops of an 837P (005010X222A1), one function per loop, each returning its segments in order.

Source: ASC X12 005010X222A1 (loop and segment order, qualifiers); docs/billing-rules.md#11-x12 (ABK/ABF
for ICD-10, DTP*472 on every line, REF*6R line control numbers, the certifying physician in 2310A
as NM1*DN, 2310B only when rendering differs from billing). A secondary claim's 2320/2330 and 2430 loops are in
``loops_cob``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from otrcm_claims.adapters.x12.loops_cob import line_adjudication_loop, other_subscriber_loops
from otrcm_claims.adapters.x12.segments import Composite, Segment, seg
from otrcm_claims.domain import (
    Address,
    BillingProvider,
    Claim,
    Patient,
    PersonName,
    Provider,
    ServiceLine,
    icd10_for_x12,
)
from otrcm_claims.domain.money import CENT

SUBSCRIBER_IS_PATIENT = "18"  # SBR02 individual relationship code "self"


@dataclass(frozen=True, slots=True)
class Submitter:
    """1000A: who submits (NM1*41, NM108 = 46 with the ETIN the receiver assigned) and the EDI contact."""

    name: str
    id: str
    contact_phone: str
    contact_name: str | None = None


@dataclass(frozen=True, slots=True)
class Receiver:
    """1000B: the clearinghouse or payer receiving the interchange (NM1*40, NM108 = 46)."""

    name: str
    id: str


def amount(value: Decimal) -> str:
    """An X12 R (decimal) amount: cents, no trailing zeros after the point (``120``, ``62.5``)."""
    text = format(value.quantize(CENT), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def d8(day: date) -> str:
    return day.strftime("%Y%m%d")


def person_nm1(entity: str, name: PersonName, id_qualifier: str | None, identifier: str | None) -> Segment:
    """NM1 for a person (NM102 = 1): last, first, middle, (prefix unused), suffix, id."""
    return seg("NM1", entity, "1", name.last, name.first, name.middle, None, name.suffix, id_qualifier, identifier)


def address_segments(address: Address) -> list[Segment]:
    return [
        seg("N3", address.line1, address.line2),
        seg("N4", address.city, address.state, address.postal_code),
    ]


def header(batch_reference: str, created_at: datetime, submitter: Submitter, receiver: Receiver) -> list[Segment]:
    """BHT (0019, 00 original, BHT03 batch reference, date, time, CH chargeable), 1000A and 1000B."""
    return [
        seg("BHT", "0019", "00", batch_reference, d8(created_at.date()), created_at.strftime("%H%M"), "CH"),
        seg("NM1", "41", "2", submitter.name, None, None, None, None, "46", submitter.id),
        seg("PER", "IC", submitter.contact_name, "TE", submitter.contact_phone),
        seg("NM1", "40", "2", receiver.name, None, None, None, None, "46", receiver.id),
    ]


def billing_provider_loop(hl_id: int, provider: BillingProvider) -> list[Segment]:
    """2000A HL (level 20, has children) + PRV*BI*PXC, then 2010AA NM1*85, N3, N4, REF*EI, and the 2010AB
    pay-to address (NM1*87*2, N3, N4) when the provider has one."""
    pay_to = [] if provider.pay_to is None else [seg("NM1", "87", "2"), *address_segments(provider.pay_to)]
    return [
        seg("HL", str(hl_id), None, "20", "1"),
        seg("PRV", "BI", "PXC", provider.taxonomy),
        seg("NM1", "85", "2", provider.name, None, None, None, None, "XX", provider.npi),
        *address_segments(provider.address),
        seg("REF", "EI", provider.tin),
        *pay_to,
    ]


def subscriber_loop(hl_id: int, parent_id: int, claim: Claim) -> list[Segment]:
    """2000B HL (22) + SBR (SBR01 the claim's payer responsibility, P or S), 2010BA NM1*IL (MI member id),
    N3/N4 when known, DMG, then 2010BB NM1*PR."""
    subscriber = claim.subscriber
    segments = [
        seg("HL", str(hl_id), str(parent_id), "22", "0" if claim.subscriber_is_patient else "1"),
        seg(
            "SBR",
            claim.responsibility,
            SUBSCRIBER_IS_PATIENT if claim.subscriber_is_patient else None,
            subscriber.group_number,
            None,
            None,
            None,
            None,
            None,
            claim.payer.claim_filing_indicator.value,
        ),
        person_nm1("IL", subscriber.name, "MI", subscriber.member_id),
    ]
    if subscriber.address is not None:
        segments += address_segments(subscriber.address)
    # X222A1 2010BA DMG: required when the subscriber is the patient; otherwise not sent
    if claim.subscriber_is_patient and subscriber.birth_date is not None and subscriber.sex is not None:
        segments.append(seg("DMG", "D8", d8(subscriber.birth_date), subscriber.sex.value))
    segments.append(seg("NM1", "PR", "2", claim.payer.name, None, None, None, None, "PI", claim.payer.payer_id))
    return segments


def patient_loop(hl_id: int, parent_id: int, patient: Patient) -> list[Segment]:
    """2000C HL (23, no children) + PAT, 2010CA NM1*QC + N3, N4, DMG (all required in 2010CA)."""
    return [
        seg("HL", str(hl_id), str(parent_id), "23", "0"),
        seg("PAT", patient.relationship.value),
        person_nm1("QC", patient.name, None, None),
        *address_segments(patient.address),
        seg("DMG", "D8", d8(patient.birth_date), patient.sex.value),
    ]


def claim_loop(claim: Claim) -> list[Segment]:
    """2300 CLM, REF*G1/REF*F8, HI (ABK then ABF), 2310A, 2310B when different, then the 2400 lines."""
    segments = [
        seg(
            "CLM",
            claim.claim_id,
            amount(claim.total_charge),
            None,
            None,
            Composite.of(claim.place_of_service, "B", claim.frequency.value),
            "Y",
            "A",
            "Y",
            "Y",
        )
    ]
    if claim.prior_authorization:
        segments.append(seg("REF", "G1", claim.prior_authorization))
    if claim.payer_claim_control_number:
        segments.append(seg("REF", "F8", claim.payer_claim_control_number))
    segments.append(
        seg(
            "HI",
            *(
                Composite.of("ABK" if position == 0 else "ABF", icd10_for_x12(code))
                for position, code in enumerate(claim.diagnoses)
            ),
        )
    )
    if claim.referring_provider is not None:
        segments += provider_loop("DN", claim.referring_provider, with_taxonomy=False)
    if claim.rendering_provider is not None and claim.sends_rendering_provider:
        segments += provider_loop("82", claim.rendering_provider, with_taxonomy=True)
    segments += other_subscriber_loops(claim)  # 2320/2330A/2330B: a secondary claim's other payer
    for number, line in enumerate(claim.lines, 1):
        segments += service_line_loop(number, line, claim)
    return segments


def provider_loop(entity: str, provider: Provider, *, with_taxonomy: bool) -> list[Segment]:
    """2310A (NM1*DN), or 2310B / 2420A (NM1*82, then PRV*PE*PXC when the taxonomy is known)."""
    segments = [person_nm1(entity, provider.name, "XX", provider.npi)]
    if with_taxonomy and provider.taxonomy:
        segments.append(seg("PRV", "PE", "PXC", provider.taxonomy))
    return segments


def service_line_loop(number: int, line: ServiceLine, claim: Claim) -> list[Segment]:
    """2400 LX, SV1 (HC:code:modifiers, charge, UN, units, POS when it differs, pointers), DTP*472, REF*6R,
    then 2420A (NM1*82, PRV*PE*PXC when the taxonomy is known) when the line's rendering provider is not
    the one the claim names."""
    differs = line.place_of_service is not None and line.place_of_service != claim.place_of_service
    rendering = line.rendering_provider
    own_rendering = rendering is not None and rendering.npi != claim.rendering_npi
    segments = [
        seg("LX", str(number)),
        seg(
            "SV1",
            Composite.of("HC", line.procedure_code, *line.modifiers),
            amount(line.charge),
            "UN",
            str(line.units),
            line.place_of_service if differs else None,
            None,
            Composite.of(*(str(pointer) for pointer in line.diagnosis_pointers)),
        ),
        seg("DTP", "472", "D8", d8(line.service_date)),
        seg("REF", "6R", line.line_control_number),
    ]
    if rendering is not None and own_rendering:
        segments += provider_loop("82", rendering, with_taxonomy=True)
    segments += line_adjudication_loop(line, claim)  # 2430: the other payer's adjudication of the line
    return segments
