"""Shapes and check digits of the identifiers billing depends on."""

from __future__ import annotations

import re
from functools import lru_cache

# CMS MBI format: 11 characters, positions 1 numeric 1-9; 2, 5, 8, 9 alphabetic; 4, 7, 10, 11 numeric;
# 3 and 6 alphanumeric; letters exclude S, L, O, I, B, Z. Source: CMS "Understanding the Medicare
# Beneficiary Identifier (MBI) Format" (cms.gov/medicare/new-medicare-card).
_MBI_LETTER = "[AC-HJKMNP-RT-Y]"
_MBI_ALNUM = "[AC-HJKMNP-RT-Y0-9]"
MBI = re.compile(rf"^[1-9]{_MBI_LETTER}{_MBI_ALNUM}[0-9]{_MBI_LETTER}{_MBI_ALNUM}[0-9]{_MBI_LETTER}{{2}}[0-9]{{2}}$")

# ICD-10-CM code shape: a letter, a digit, a digit or A/B, then optionally a dot and 1-4
# alphanumerics; the dot may be left out, as X12 does (CDC/NCHS ICD-10-CM conventions). Shape only.
ICD10_CM = re.compile(r"^[A-Z][0-9][0-9AB](\.?[0-9A-Z]{1,4})?$")

# A CPT/HCPCS modifier: two upper-case letters or digits (59, GO, KX, XU ...). The claims service
# refuses any other shape when it builds the 837P; intake refuses it at the door.
MODIFIER = re.compile(r"[A-Z0-9]{2}")

# An X12 individual relationship code (SBR02/PAT01): two letters or digits, 18 = self.
RELATIONSHIP_CODE = re.compile(r"[A-Z0-9]{2}")


@lru_cache(maxsize=4096)  # a practice's few NPIs come back on every encounter
def npi_check_digit_is_valid(npi: str) -> bool:
    """NPI check digit: Luhn over the prefix 80840 followed by the first nine digits.

    Source: CMS, "Requirements for the NPI check digit" (the NPI standard, ISO 7812 with prefix 80840).
    The digits must be 0-9: the schema's ``\\d`` also admits other scripts' digits (Arabic-Indic ...).
    """
    if len(npi) != 10 or not (npi.isascii() and npi.isdigit()):
        return False
    total = 0
    digits = "80840" + npi[:9]
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 0:  # every second digit from the right of the payload is doubled
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(npi[9])


def is_mbi(member_id: str) -> bool:
    """A Medicare Beneficiary Identifier (dashes, as printed on cards, are ignored)."""
    return bool(MBI.match(member_id.replace("-", "").upper()))


def has_icd10_cm_shape(code: str) -> bool:
    return bool(ICD10_CM.match(code.upper()))


def has_modifier_shape(modifier: str) -> bool:
    return MODIFIER.fullmatch(modifier) is not None


def has_relationship_code_shape(code: str) -> bool:
    return RELATIONSHIP_CODE.fullmatch(code) is not None
