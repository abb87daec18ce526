"""Fictional claims for the claims tests: a Medicare, a MO HealthNet (school) and a commercial claim.

Every name, member id and address is invented. NPIs are test numbers whose check digit was worked
by hand (Luhn over 80840 + the first nine digits: double digits 1, 3, 5, 7 and 9 of the nine,
add the digits of the products and the other four digits, add 24 for the 80840 prefix; the check
digit takes the total to the next multiple of ten):
- 1234567893: doubled 1,3,5,7,9 -> 2,6,10,14,18 -> 2+6+1+0+1+4+1+8 = 23; others 2+4+6+8 = 20;
  23 + 20 + 24 = 67 -> 3.
- 1245319599: doubled 1,4,3,9,9 -> 2,8,6,18,18 -> 2+8+6+9+9 = 34; others 2+5+1+5 = 13;
  34 + 13 + 24 = 71 -> 9.
- 1122334455: doubled 1,2,3,4,5 -> 2,4,6,8,10 -> 2+4+6+8+1 = 21; others 1+2+3+4 = 10;
  21 + 10 + 24 = 55 -> 5.
- 1556677882: doubled 1,5,6,7,8 -> 2,10,12,14,16 -> 2+1+3+5+7 = 18; others 5+6+7+8 = 26;
  18 + 26 + 24 = 68 -> 2.
- 1000000004: doubled 1,0,0,0,0 -> 2; others 0; 2 + 0 + 24 = 26 -> 4.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from otrcm_claims.adapters.x12 import (
    ControlNumbers,
    InterchangeParty,
    Receiver,
    Rendered837P,
    Submitter,
    TradingPartners,
    Usage,
    render_837p,
)
from otrcm_claims.domain import (
    Address,
    BillingProvider,
    Claim,
    ClaimFilingIndicator,
    ClaimFrequency,
    Patient,
    PatientRelationship,
    Payer,
    PersonName,
    Provider,
    ServiceLine,
    Sex,
    Subscriber,
    total_of,
)

OT_TAXONOMY = "225X00000X"  # NUCC: occupational therapist
CLINIC_NPI = "1234567893"
PHYSICIAN_NPI = "1245319599"
THERAPIST_NPI = "1122334455"
SCHOOL_DISTRICT_NPI = "1556677882"
GROUP_PRACTICE_NPI = "1000000004"
DOS = date(2025, 3, 14)
CREATED_AT = datetime(2025, 3, 15, 9, 30)

SUBMITTER = Submitter("MERIDIAN HAND AND OT", "SUB123", "5735550100", "BILLING DESK")
RECEIVER = Receiver("SHOWME CLEARINGHOUSE", "CH01")
PARTNERS = TradingPartners(InterchangeParty("ZZ", "SUB123"), InterchangeParty("ZZ", "CH01"), Usage.TEST)

MEDICARE = Payer("WPS MEDICARE PART B", "05302", ClaimFilingIndicator.MEDICARE_PART_B, requires_referring_provider=True)
MO_HEALTHNET = Payer("MO HEALTHNET", "MOHNT", ClaimFilingIndicator.MEDICAID)
COMMERCIAL = Payer("GATEWAY MUTUAL HEALTH", "GMH01", ClaimFilingIndicator.COMMERCIAL)

CLINIC = BillingProvider(
    "MERIDIAN HAND AND OT LLC",
    CLINIC_NPI,
    OT_TAXONOMY,
    "431234567",
    Address("100 MAIN ST", "COLUMBIA", "MO", "652011234"),
)
SCHOOL_DISTRICT = BillingProvider(
    "BLUFFSIDE R-IX SCHOOL DISTRICT",
    SCHOOL_DISTRICT_NPI,
    "251300000X",  # NUCC: local education agency
    "436543210",
    Address("12 SCHOOLHOUSE RD", "BLUFFSIDE", "MO", "654019876"),
)
GROUP_PRACTICE = BillingProvider(
    "RIVERBEND THERAPY GROUP",
    GROUP_PRACTICE_NPI,
    OT_TAXONOMY,
    "439998888",
    Address("8 LEVEE WAY", "ST LOUIS", "MO", "631011111"),
)
CERTIFYING_PHYSICIAN = Provider(PersonName("WREN", "DANA", "Q"), PHYSICIAN_NPI)
THERAPIST = Provider(PersonName("FINCH", "TERRY"), THERAPIST_NPI, OT_TAXONOMY)

MEDICARE_PATIENT = Subscriber(
    PersonName("QUILLFEATHER", "PRUDENCE"),
    "1EG4TE5MK73",  # CMS's published example MBI, not a person
    date(1948, 3, 7),
    Sex.FEMALE,
    Address("5 ELM ST", "COLUMBIA", "MO", "65201"),
)


def medicare_claim(claim_id: str = "MCR-0001") -> Claim:
    """Office (11), certifying physician in 2310A, rendering OT in 2310B, KX/59/CO lines."""
    lines = (
        ServiceLine(f"{claim_id}-L1", "97140", Decimal("60.00"), 1, (1,), DOS, ("GO", "KX")),
        ServiceLine(f"{claim_id}-L2", "97530", Decimal("120.00"), 2, (1, 2), DOS, ("GO", "59", "KX")),
        ServiceLine(f"{claim_id}-L3", "97110", Decimal("55.00"), 1, (2,), DOS, ("GO", "CO", "KX")),
    )
    return Claim(
        claim_id=claim_id,
        payer=MEDICARE,
        billing_provider=CLINIC,
        subscriber=MEDICARE_PATIENT,
        total_charge=total_of(lines),
        place_of_service="11",
        diagnoses=("M62.81", "R27.8"),
        lines=lines,
        referring_provider=CERTIFYING_PHYSICIAN,
        rendering_provider=THERAPIST,
    )


def mo_healthnet_school_claim(claim_id: str = "MHN-0001") -> Claim:
    """School (03) IEP therapy billed by the district; the child is the Medicaid subscriber."""
    child = Subscriber(
        PersonName("BRAMBLE", "OTTO"),
        "98765432",
        date(2016, 9, 1),
        Sex.MALE,
        Address("77 CREEK RD", "BLUFFSIDE", "MO", "65401"),
    )
    lines = (
        ServiceLine(f"{claim_id}-L1", "97165", Decimal("95.00"), 1, (1, 2), DOS, ("GO",)),
        ServiceLine(f"{claim_id}-L2", "97530", Decimal("64.00"), 2, (1,), DOS, ("GO", "CO")),
    )
    return Claim(
        claim_id=claim_id,
        payer=MO_HEALTHNET,
        billing_provider=SCHOOL_DISTRICT,
        subscriber=child,
        total_charge=total_of(lines),
        place_of_service="03",
        diagnoses=("F82", "R27.8"),
        lines=lines,
        referring_provider=CERTIFYING_PHYSICIAN,
        rendering_provider=THERAPIST,
        prior_authorization="PA55501",
    )


def commercial_dependent_claim(claim_id: str = "COM-0001") -> Claim:
    """A replacement (7) for a child on a parent's plan: 2000C patient loop, REF*F8, no 2310B."""
    parent = Subscriber(PersonName("LARKSPUR", "MAUDE"), "ZXW123456789", group_number="GRP4455")
    child = Patient(
        PersonName("LARKSPUR", "PIP"),
        PatientRelationship.CHILD,
        date(2018, 6, 30),
        Sex.FEMALE,
        Address("9 ORCHARD LN", "ST LOUIS", "MO", "63101"),
    )
    lines = (
        ServiceLine(f"{claim_id}-L1", "97110", Decimal("70.00"), 2, (1,), DOS, ("GO",)),
        ServiceLine(f"{claim_id}-L2", "97530", Decimal("45.00"), 1, (1, 2), DOS, ("GO", "59")),
        ServiceLine(f"{claim_id}-L3", "97140", Decimal("40.00"), 1, (2,), DOS, ("GO",), place_of_service="12"),
    )
    return Claim(
        claim_id=claim_id,
        payer=COMMERCIAL,
        billing_provider=GROUP_PRACTICE,
        subscriber=parent,
        patient=child,
        total_charge=total_of(lines),
        place_of_service="11",
        diagnoses=("S63.501A", "M25.641"),
        lines=lines,
        frequency=ClaimFrequency.REPLACEMENT,
        payer_claim_control_number="GMH2025000111",
        rendering_provider=Provider(PersonName("RIVERBEND", "STAFF"), GROUP_PRACTICE_NPI),
    )


def render(*claims: Claim, interchange: int = 1, batch_reference: str = "BATCH-20250315-01") -> Rendered837P:
    return render_837p(
        list(claims),
        SUBMITTER,
        RECEIVER,
        PARTNERS,
        ControlNumbers(interchange, interchange),
        batch_reference,
        CREATED_AT,
    )


def segments_of(text: str) -> list[str]:
    return [segment for segment in text.split("~") if segment]
