"""Checks of the 2400 service lines that pyx12 does not make: codes, modifiers, pointers, amounts.

Each rule is a function named as a sentence, returning the issues it finds (none when the rule
holds). Sources are in each docstring; messages name the line position and element, never a value.
"""

from __future__ import annotations

import re
from collections import Counter

from otrcm_claims.domain.claim import Claim, ServiceLine
from otrcm_claims.domain.issues import Issue, error, warning
from otrcm_claims.domain.modifiers import (
    ModifierPolicy,
    assistant_modifier_without_its_discipline,
    discipline_modifiers_of,
    has_modifier_shape,
)
from otrcm_claims.domain.money import has_whole_cents

MAX_LINES = 50  # X222A1 loop 2400 repeat
MAX_MODIFIERS = 4  # SV101-3..SV101-6
MAX_POINTERS = 4  # SV107-1..SV107-4
MAX_LINE_CONTROL_NUMBER = 50  # REF02 max length
PROCEDURE_CODE_SHAPE = re.compile(r"[0-9A-Z]{5}")


def _at(index: int, element: str) -> str:
    return f"2400 line {index} {element}"


def claim_has_one_to_fifty_lines(claim: Claim) -> list[Issue]:
    """X222A1: loop 2400 is required and repeats at most 50 times per claim."""
    if 1 <= len(claim.lines) <= MAX_LINES:
        return []
    return [error("line-count", "2400", f"a claim carries 1 to {MAX_LINES} service lines", claim.claim_id)]


def procedure_code_is_a_hcpcs_code(index: int, line: ServiceLine, claim: Claim) -> list[Issue]:
    """SV101-2 with qualifier HC is a CPT/HCPCS code: five upper-case letters or digits."""
    if PROCEDURE_CODE_SHAPE.fullmatch(line.procedure_code):
        return []
    where = _at(index, "SV101-2")
    return [error("procedure-code-shape", where, "procedure code is not 5 letters/digits", claim.claim_id)]


def line_charge_and_units_are_positive(index: int, line: ServiceLine, claim: Claim) -> list[Issue]:
    """SV102 and SV104: a billed line charges a positive amount for at least one unit."""
    found = []
    charge, units, claim_id = _at(index, "SV102"), _at(index, "SV104"), claim.claim_id
    if line.charge <= 0:
        found.append(error("line-charge-positive", charge, "line charge must be above zero", claim_id))
    if not has_whole_cents(line.charge):
        found.append(error("line-charge-cents", charge, "line charge has more than 2 decimals", claim_id))
    if line.units < 1:
        found.append(error("line-units-positive", units, "units must be at least 1", claim_id))
    return found


def diagnosis_pointers_name_listed_diagnoses(index: int, line: ServiceLine, claim: Claim) -> list[Issue]:
    """SV107: one to four distinct pointers, each to a diagnosis present in HI (X222A1 2400 SV107)."""
    pointers = line.diagnosis_pointers
    where = _at(index, "SV107")
    if not 1 <= len(pointers) <= MAX_POINTERS:
        return [error("diagnosis-pointer", where, "a line points to 1 to 4 diagnoses", claim.claim_id)]
    found = []
    for position, pointer in enumerate(pointers, 1):
        if not 1 <= pointer <= len(claim.diagnoses):
            found.append(
                error("diagnosis-pointer", f"{where}-{position}", "pointer names no diagnosis of HI", claim.claim_id)
            )
    if len(set(pointers)) != len(pointers):
        found.append(error("diagnosis-pointer", where, "a diagnosis pointer is repeated", claim.claim_id))
    return found


def modifiers_are_allowed_for_the_code(
    index: int, line: ServiceLine, claim: Claim, policy: ModifierPolicy
) -> list[Issue]:
    """SV101-3..6: at most four two-character modifiers, none repeated, each allowed for the code family.

    Also docs/billing-rules.md#3-discipline-modifiers (one discipline modifier GO/GP/GN per line) and
    §6 (CO with GO, CQ with GP).
    The allow-lists are ``data/modifier_policy.json``; a code in no family gets the shape checks only.
    """
    modifiers = line.modifiers
    claim_id = claim.claim_id
    if len(modifiers) > MAX_MODIFIERS:
        return [error("modifier-count", _at(index, "SV101"), "at most 4 modifiers per line", claim_id)]
    found = []
    family = policy.family_of(line.procedure_code)
    for position, modifier in enumerate(modifiers, 1):
        where = _at(index, f"SV101-{position + 2}")
        if not has_modifier_shape(modifier):
            found.append(error("modifier-shape", where, "modifier is not 2 upper-case letters/digits", claim_id))
        elif family is not None and modifier not in family.allowed:
            found.append(
                error("modifier-not-allowed", where, f"modifier not allowed for code family {family.name}", claim_id)
            )
    if len(set(modifiers)) != len(modifiers):
        found.append(error("modifier-repeated", _at(index, "SV101"), "a modifier is repeated", claim_id))
    if len(discipline_modifiers_of(modifiers)) > 1:
        found.append(error("discipline-modifier", _at(index, "SV101"), "more than one of GO/GP/GN", claim_id))
    assistant = assistant_modifier_without_its_discipline(modifiers)
    if assistant is not None:
        found.append(
            error("assistant-modifier", _at(index, "SV101"), f"{assistant} without its discipline modifier", claim_id)
        )
    return found


def line_control_numbers_are_unique(claim: Claim) -> list[Issue]:
    """REF*6R: each line's control number is present, at most 50 characters and unique in the claim.

    The 835 echoes it in 2110 REF*6R, which is how a paid line is matched back (docs/billing-rules.md#11-x12).
    """
    found = []
    for index, line in enumerate(claim.lines, 1):
        if not 1 <= len(line.line_control_number) <= MAX_LINE_CONTROL_NUMBER:
            found.append(error("line-control-number", _at(index, "REF*6R"), "1 to 50 characters", claim.claim_id))
    counts = Counter(line.line_control_number for line in claim.lines)
    if any(count > 1 for count in counts.values()):
        found.append(error("line-control-number", "2400 REF*6R", "line control numbers repeat", claim.claim_id))
    return found


def line_place_of_service_differs_when_given(index: int, line: ServiceLine, claim: Claim) -> list[Issue]:
    """SV105 is sent only when the line's place of service differs from CLM05-1 (X222A1 2400 SV105 note)."""
    if line.place_of_service is not None and line.place_of_service == claim.place_of_service:
        return [warning("line-place-of-service", _at(index, "SV105"), "same as CLM05-1; omit it", claim.claim_id)]
    return []


def check_lines(claim: Claim, policy: ModifierPolicy) -> list[Issue]:
    """Every line rule, lines in order."""
    found = claim_has_one_to_fifty_lines(claim) + line_control_numbers_are_unique(claim)
    for index, line in enumerate(claim.lines, 1):
        found += procedure_code_is_a_hcpcs_code(index, line, claim)
        found += line_charge_and_units_are_positive(index, line, claim)
        found += diagnosis_pointers_name_listed_diagnoses(index, line, claim)
        found += modifiers_are_allowed_for_the_code(index, line, claim, policy)
        found += line_place_of_service_differs_when_given(index, line, claim)
    return found
