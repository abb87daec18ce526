"""One 270 eligibility inquiry (005010X279A1) per interchange: one patient with one payer.

Loops: 2000A/2100A the payer (HL level 20, NM1*PR, PI), 2000B/2100B the billing provider (HL 21, NM1*1P,
XX NPI), 2000C/2100C the subscriber (HL 22, NM1*IL, MI member id, DMG when known), and for a dependent
2000D/2100D the patient (HL 23, NM1*03, DMG). The level asked about carries TRN*1 (our trace number, the
originating company being ``1`` + the billing provider's EIN), DTP*291 (the date asked about) and one
2110 EQ per service type. Deterministic: the same inquiry, partners, control numbers and time give the same text.
"""

from __future__ import annotations

from datetime import datetime

from otrcm_claims.adapters.x12.envelope import ControlNumbers, TradingPartners, gs, interchange, isa, transaction_set
from otrcm_claims.adapters.x12.loops_837p import d8, person_nm1
from otrcm_claims.adapters.x12.segments import DEFAULT_SEPARATORS, Segment, Separators, render_segments, seg
from otrcm_claims.domain.eligibility import EligibilityInquiry

IMPLEMENTATION_270 = "005010X279A1"


def inquiry_segments(inquiry: EligibilityInquiry, created_at: datetime) -> list[Segment]:
    """BHT and the HL loops of one inquiry (the body of ST..SE)."""
    dependent = inquiry.patient
    subscriber = inquiry.subscriber
    asked_about = [
        seg("TRN", "1", inquiry.request_id, f"1{inquiry.provider.tin}"),
    ]
    body = [
        seg("BHT", "0022", "13", inquiry.request_id, d8(created_at.date()), created_at.strftime("%H%M")),
        seg("HL", "1", None, "20", "1"),
        seg("NM1", "PR", "2", inquiry.payer.name, None, None, None, None, "PI", inquiry.payer.payer_id),
        seg("HL", "2", "1", "21", "1"),
        seg("NM1", "1P", "2", inquiry.provider.name, None, None, None, None, "XX", inquiry.provider.npi),
        seg("HL", "3", "2", "22", "1" if dependent else "0"),
    ]
    if dependent is None:
        body += asked_about
    body.append(person_nm1("IL", subscriber.name, "MI", subscriber.member_id))
    if subscriber.birth_date is not None and subscriber.sex is not None:
        body.append(seg("DMG", "D8", d8(subscriber.birth_date), subscriber.sex.value))
    if dependent is not None:
        body += [seg("HL", "4", "3", "23", "0"), *asked_about, person_nm1("03", dependent.name, None, None)]
        body.append(seg("DMG", "D8", d8(dependent.birth_date), dependent.sex.value))
    body.append(seg("DTP", "291", "D8", d8(inquiry.service_date)))
    body += [seg("EQ", service_type) for service_type in inquiry.service_types]
    return body


def render_270(
    inquiry: EligibilityInquiry,
    partners: TradingPartners,
    control: ControlNumbers,
    created_at: datetime,
    separators: Separators = DEFAULT_SEPARATORS,
) -> str:
    """The 270 interchange for ``inquiry`` (ISA/GS HS/ST 270 ... SE/GE/IEA)."""
    body = inquiry_segments(inquiry, created_at)
    one_set = transaction_set("270", control.transaction_set, IMPLEMENTATION_270, body)
    segments = interchange(
        isa(partners, control, created_at, separators),
        gs("HS", IMPLEMENTATION_270, partners, control, created_at),
        [one_set],
        control,
    )
    return render_segments(segments, separators)
