"""A coverage's relationship code and subscriber: who the insured is when the patient is a dependent.

Source: ASC X12 005010X222A1, 2000B SBR02 (18 when the patient is the subscriber) and 2000C PAT01 (the
patient's relationship to the subscriber otherwise, with the subscriber in 2010BA). A dependent's claim
cannot be built without the subscriber's name, and its eligibility request (005010X279A1) names the
subscriber too, so the door asks for the subscriber whenever the relationship is not self
(docs/billing-rules.md#11-x12).
"""

from __future__ import annotations

from datetime import date

from otrcm_intake.domain.violations import Violation
from otrcm_shared.events.patients import SELF, Coverage

# X12 individual relationship codes the 837P takes: 18 in SBR02, the rest in PAT01.
RELATIONSHIP_CODES = {
    SELF: "self",
    "01": "spouse",
    "19": "child",
    "20": "employee",
    "21": "unknown",
    "53": "life partner",
    "G8": "other relationship",
}


def subscriber_problems(coverage: Coverage, path: str, today: date) -> list[Violation]:
    """The relationship code is one the 837P takes; a dependent's coverage names its subscriber with birth
    date and sex; a patient who is the subscriber names no other subscriber."""
    relationship = coverage.relationship_to_subscriber
    subscriber = coverage.subscriber
    if relationship not in RELATIONSHIP_CODES:
        codes = ", ".join(f"{code} {words}" for code, words in RELATIONSHIP_CODES.items())
        return [Violation(f"{path}.relationship_to_subscriber", "relationship.known", f"one of {codes}")]
    if relationship == SELF:
        if subscriber is None:
            return []
        message = "relationship 18 (self) means the patient is the subscriber: send no subscriber, or another code"
        return [Violation(f"{path}.subscriber", "subscriber.only_for_dependents", message)]
    if subscriber is None:
        message = (
            f"relationship {relationship} ({RELATIONSHIP_CODES[relationship]}) needs the subscriber: "
            "first_name, last_name, birth_date and sex of the insured person"
        )
        return [Violation(f"{path}.subscriber", "subscriber.required", message)]
    found: list[Violation] = []
    if subscriber.birth_date is None:
        message = "the subscriber's birth date is required (YYYY-MM-DD)"
        found.append(Violation(f"{path}.subscriber.birth_date", "subscriber.birth_date_required", message))
    elif subscriber.birth_date > today:
        message = "the birth date is in the future"
        found.append(Violation(f"{path}.subscriber.birth_date", "birth_date.not_future", message))
    if subscriber.sex is None:
        message = "the subscriber's sex is required: F, M or U"
        found.append(Violation(f"{path}.subscriber.sex", "subscriber.sex_required", message))
    if subscriber.address is not None and not subscriber.address.postal_code.isascii():
        message = "a ZIP code is 5 or 9 digits 0-9"
        found.append(Violation(f"{path}.subscriber.address.postal_code", "postal_code.digits", message))
    return found
