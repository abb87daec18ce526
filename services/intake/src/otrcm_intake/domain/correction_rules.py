"""What a correction of an encounter may change, and what a correction or void must say. Pure.

A correction is a new version of the same visit: its codes, minutes, modifiers, diagnoses, rendering provider,
place of service and attestations may change, but not its billing day (the patient, the date of service, the
payer, the billing provider and the discipline: the day its minutes are pooled in and the claim it is billed
on; docs/adr/004). To move a visit to another day, void it and submit a new encounter. A voided encounter is
not corrected. Every correction and void names who made it and why (kept by intake, never published).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otrcm_intake.domain.violations import Violation

# The billing day's fields, as the correction names them (the patient by the client's id).
BILLING_DAY = {
    "patient_key": "patient_id",
    "date_of_service": "date_of_service",
    "payer_id": "payer_id",
    "billing_provider_npi": "billing_provider_npi",
    "discipline": "discipline",
}
MAX_REASON = 500


def billing_day_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], prefix: str = "encounter."
) -> list[Violation]:
    """One error per field of the billing day the correction changes (values are never quoted)."""
    return [
        Violation(
            f"{prefix}{path}",
            "correction.same_billing_day",
            f"a correction keeps the encounter's {path.replace('_', ' ')} (its billing day); "
            "void the encounter and submit a new one to move it",
        )
        for field, path in BILLING_DAY.items()
        if str(before.get(field)) != str(after.get(field))
    ]


def note_problems(who: Any, why: Any, who_path: str) -> list[Violation]:
    """``who`` (a staff id, 1-64 characters) and ``why`` (1-500 characters) are both required."""
    problems = []
    if not isinstance(who, str) or not 1 <= len(who.strip()) <= 64:
        problems.append(Violation(who_path, "correction.who", "who made the change: 1 to 64 characters"))
    if not isinstance(why, str) or not 1 <= len(why.strip()) <= MAX_REASON:
        problems.append(Violation("reason", "correction.why", f"why the change was made: 1 to {MAX_REASON} characters"))
    return problems


def not_voided(voided: bool) -> list[Violation]:
    if not voided:
        return []
    return [
        Violation("encounter_id", "encounter.not_voided", "a voided encounter cannot be corrected; submit a new one")
    ]
