"""The project's own claim checks: what pyx12 does not verify before an 837P leaves.

pyx12 validates structure, usage, formats and code lists of 005010X222A1; it does not check NPI
check digits, ICD-10 shape, CLM02 against the lines, modifiers per code, or situational rules such
as DMG presence (docs/billing-rules.md#11-x12). Those are here, one function per rule.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields, is_dataclass
from enum import Enum

from otrcm_claims.domain.claim import Claim, ClaimFrequency
from otrcm_claims.domain.icd10 import has_icd10_cm_shape
from otrcm_claims.domain.issues import Issue, error, warning
from otrcm_claims.domain.line_rules import check_lines
from otrcm_claims.domain.modifiers import ModifierPolicy
from otrcm_claims.domain.money import has_whole_cents
from otrcm_claims.domain.npi import npi_check_digit_is_valid

MAX_DIAGNOSES = 12  # HI01..HI12
X12_DELIMITERS = frozenset("*:~^")  # the separators this project sends (element, component, segment, repetition)
NINE_DIGITS = re.compile(r"[0-9]{9}")
PLACE_OF_SERVICE = re.compile(r"[0-9]{2}")


def npis_have_valid_check_digits(claim: Claim) -> list[Issue]:
    """Every NPI sent (2010AA, 2310A, 2310B, 2420A NM109) passes the Luhn check over 80840 + 9 digits."""
    sent = [("2010AA NM109 billing provider NPI", claim.billing_provider.npi)]
    if claim.referring_provider is not None:
        sent.append(("2310A NM109 referring provider NPI", claim.referring_provider.npi))
    if claim.rendering_provider is not None and claim.sends_rendering_provider:
        sent.append(("2310B NM109 rendering provider NPI", claim.rendering_provider.npi))
    sent += [
        (f"2420A NM109 rendering provider NPI of line {number}", line.rendering_provider.npi)
        for number, line in enumerate(claim.lines, 1)
        if line.rendering_provider is not None
    ]
    return [
        error("npi-check-digit", where, "not 10 digits with a valid check digit (Luhn over 80840)", claim.claim_id)
        for where, npi in sent
        if not npi_check_digit_is_valid(npi)
    ]


def total_charge_equals_the_sum_of_line_charges(claim: Claim) -> list[Issue]:
    """CLM02 equals the sum of the SV102 line charges (X222A1 2300 CLM02 note); both in whole cents."""
    found = []
    if not has_whole_cents(claim.total_charge):
        found.append(error("clm02-cents", "2300 CLM02", "total charge has more than 2 decimals", claim.claim_id))
    difference = claim.total_charge - claim.sum_of_line_charges
    if difference != 0:
        message = f"total charge differs from the sum of SV102 line charges by {difference}"
        found.append(error("clm02-equals-line-sum", "2300 CLM02", message, claim.claim_id))
    return found


def diagnoses_are_one_to_twelve_icd10_cm_codes(claim: Claim) -> list[Issue]:
    """HI: 1-12 ICD-10-CM codes (ABK principal, ABF others), each of ICD-10-CM shape, none repeated."""
    if not 1 <= len(claim.diagnoses) <= MAX_DIAGNOSES:
        return [error("diagnosis-count", "2300 HI", "a claim carries 1 to 12 diagnoses", claim.claim_id)]
    found = [
        error("icd10-cm-shape", f"2300 HI{position:02d}-2", "not an ICD-10-CM shaped code", claim.claim_id)
        for position, code in enumerate(claim.diagnoses, 1)
        if not has_icd10_cm_shape(code)
    ]
    undotted = Counter(code.replace(".", "") for code in claim.diagnoses)
    if any(count > 1 for count in undotted.values()):
        found.append(warning("diagnosis-repeated", "2300 HI", "a diagnosis code is listed twice", claim.claim_id))
    return found


def subscriber_who_is_the_patient_has_demographics_and_address(claim: Claim) -> list[Issue]:
    """X222A1 2010BA: DMG, N3 and N4 are required when the subscriber is the patient."""
    if not claim.subscriber_is_patient:
        return []
    found = []
    subscriber = claim.subscriber
    if subscriber.birth_date is None or subscriber.sex is None:
        found.append(
            error("subscriber-dmg", "2010BA DMG", "required when the subscriber is the patient", claim.claim_id)
        )
    if subscriber.address is None:
        found.append(
            error("subscriber-address", "2010BA N3/N4", "required when the subscriber is the patient", claim.claim_id)
        )
    return found


def referring_provider_is_present_when_the_payer_requires_it(claim: Claim) -> list[Issue]:
    """2310A (NM1*DN, the certifying physician of the plan of care) when the payer profile requires it.

    Source: CMS Pub. 100-02 Ch. 15 §220.1.2 (the certifying physician/NPP); docs/billing-rules.md#11-x12 (2310A).
    """
    if claim.payer.requires_referring_provider and claim.referring_provider is None:
        return [error("referring-provider", "2310A", "the payer requires the referring provider", claim.claim_id)]
    return []


def replacement_or_void_names_the_original_claim(claim: Claim) -> list[Issue]:
    """REF*F8 (payer claim control number) is required when CLM05-3 is 7 or 8 (X222A1 2300 REF*F8)."""
    if claim.frequency is not ClaimFrequency.ORIGINAL and not claim.payer_claim_control_number:
        return [error("original-claim-reference", "2300 REF*F8", "required for frequency 7 or 8", claim.claim_id)]
    return []


def billing_provider_has_nine_digit_zip_and_tin(claim: Claim) -> list[Issue]:
    """X222A1 2010AA: N403 is a nine-digit ZIP; REF*EI carries the nine-digit EIN without a dash."""
    found = []
    if not NINE_DIGITS.fullmatch(claim.billing_provider.address.postal_code):
        found.append(error("billing-zip", "2010AA N403", "billing provider ZIP must be 9 digits", claim.claim_id))
    if not NINE_DIGITS.fullmatch(claim.billing_provider.tin):
        found.append(error("billing-tin", "2010AA REF*EI", "TIN must be 9 digits without a dash", claim.claim_id))
    return found


def place_of_service_is_a_two_digit_code(claim: Claim) -> list[Issue]:
    """CLM05-1 is a CMS place-of-service code: two digits (11 office, 03 school, 12 home, 22 outpatient)."""
    if PLACE_OF_SERVICE.fullmatch(claim.place_of_service):
        return []
    return [error("place-of-service", "2300 CLM05-1", "place of service must be 2 digits", claim.claim_id)]


def _text_fields(value: object, path: str) -> list[tuple[str, str]]:
    if isinstance(value, str) and not isinstance(value, Enum):
        return [(path, value)]
    if isinstance(value, tuple):
        return [item for i, element in enumerate(value) for item in _text_fields(element, f"{path}[{i}]")]
    if is_dataclass(value) and not isinstance(value, type):
        return [item for f in fields(value) for item in _text_fields(getattr(value, f.name), f"{path}.{f.name}")]
    return []


def no_value_contains_an_x12_delimiter(claim: Claim) -> list[Issue]:
    """No text value contains ``* : ~ ^`` or a control character: it would split an element or segment."""
    return [
        error("x12-delimiter", path.lstrip("."), "value contains an X12 delimiter or control character", claim.claim_id)
        for path, text in _text_fields(claim, "")
        if any(char in X12_DELIMITERS or not char.isprintable() for char in text)
    ]


def check_claim(claim: Claim, policy: ModifierPolicy) -> tuple[Issue, ...]:
    """Every project check of one claim; an ``error`` among them holds the claim."""
    return tuple(
        npis_have_valid_check_digits(claim)
        + total_charge_equals_the_sum_of_line_charges(claim)
        + diagnoses_are_one_to_twelve_icd10_cm_codes(claim)
        + subscriber_who_is_the_patient_has_demographics_and_address(claim)
        + referring_provider_is_present_when_the_payer_requires_it(claim)
        + replacement_or_void_names_the_original_claim(claim)
        + billing_provider_has_nine_digit_zip_and_tin(claim)
        + place_of_service_is_a_two_digit_code(claim)
        + no_value_contains_an_x12_delimiter(claim)
        + check_lines(claim, policy)
    )
