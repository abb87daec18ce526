"""Validation of a submitted encounter: each rule has an id, a path and a message.

Structure and types are checked first by the pydantic model (rule ids ``schema.*``); these rules
check what a type cannot: check digits, catalogs, plausibility, dates, references within the encounter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from otrcm_intake.domain.free_text import text_is_plain
from otrcm_intake.domain.identifiers import has_icd10_cm_shape, has_modifier_shape, npi_check_digit_is_valid
from otrcm_intake.domain.violations import Severity, Violation
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.refdata import CodeCatalog, PayerProfiles
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicies, UnknownPayerPolicy

# The values each rule reads besides the field it names (globs over error paths): a finding is dropped when
# one of them could not be read (``reading.Reading.with_rules``).
ALSO_READS: dict[str, tuple[str, ...]] = {
    "minutes.assistant_within_line": ("lines.*.minutes",),
    "diagnosis_pointer.in_range": ("diagnoses", "diagnoses.*"),
    "date_of_service.timely_filing": ("payer_id",),
}


@dataclass(frozen=True, slots=True)
class EncounterContext:
    """What the rules compare against, all in effect on the date of service or today."""

    today: date
    catalog: CodeCatalog
    payers: PayerProfiles
    places_of_service: frozenset[str]
    modifier_policies: PayerModifierPolicies | None = None
    discipline_modifiers: DisciplineModifiers | None = None
    max_minutes_per_line: int = 240
    max_minutes_per_encounter: int = 480


def validate_encounter(encounter: EncounterSubmission, context: EncounterContext) -> list[Violation]:
    found: list[Violation] = []
    found += npi_has_a_valid_check_digit(encounter)
    found += diagnoses_have_icd10_cm_shape(encounter)
    found += codes_are_in_the_catalog(encounter, context)
    found += minutes_are_plausible(encounter, context)
    found += assistant_minutes_do_not_exceed_the_line(encounter)
    found += diagnosis_pointers_are_in_range(encounter)
    found += lines_are_numbered_in_order(encounter)
    found += date_of_service_is_not_in_the_future(encounter, context)
    found += place_of_service_is_in_the_cms_code_set(encounter, context)
    found += payer_is_known(encounter, context)
    found += modifiers_have_the_hcpcs_shape(encounter)
    found += text_is_plain(encounter)
    return found


def npi_has_a_valid_check_digit(encounter: EncounterSubmission) -> list[Violation]:
    """NPI check digit (Luhn with the 80840 prefix), for the billing and the rendering provider."""
    checks = [("billing_provider_npi", encounter.billing_provider_npi)]
    checks.append(("rendering_provider.npi", encounter.rendering_provider.npi))
    return [
        Violation(path, "npi.check_digit", "the NPI's check digit is wrong (Luhn over 80840 + the first 9 digits)")
        for path, npi in checks
        if not npi_check_digit_is_valid(npi)
    ]


def diagnoses_have_icd10_cm_shape(encounter: EncounterSubmission) -> list[Violation]:
    return [
        Violation(f"diagnoses.{i}", "icd10.shape", "not an ICD-10-CM code (letter, digit, alphanumeric, .1-4 more)")
        for i, code in enumerate(encounter.diagnoses, start=1)
        if not has_icd10_cm_shape(code)
    ]


def codes_are_in_the_catalog(encounter: EncounterSubmission, context: EncounterContext) -> list[Violation]:
    return [
        Violation(
            f"lines.{i}.code",
            "code.in_catalog",
            f"code {line.code} is not in the code catalog {context.catalog.version}",
        )
        for i, line in enumerate(encounter.lines, start=1)
        if line.code not in context.catalog
    ]


def minutes_are_plausible(encounter: EncounterSubmission, context: EncounterContext) -> list[Violation]:
    found = [
        Violation(
            f"lines.{i}.minutes",
            "minutes.plausible_per_line",
            f"more than {context.max_minutes_per_line} minutes on one line is not plausible",
        )
        for i, line in enumerate(encounter.lines, start=1)
        if line.minutes > context.max_minutes_per_line
    ]
    total = sum(line.minutes for line in encounter.lines)
    if total > context.max_minutes_per_encounter:
        found.append(
            Violation(
                "lines",
                "minutes.plausible_per_encounter",
                f"{total} minutes in one encounter exceeds the plausible {context.max_minutes_per_encounter}",
            )
        )
    return found


def assistant_minutes_do_not_exceed_the_line(encounter: EncounterSubmission) -> list[Violation]:
    return [
        Violation(
            f"lines.{i}.assistant_minutes",
            "minutes.assistant_within_line",
            "assistant minutes cannot exceed the line's minutes",
        )
        for i, line in enumerate(encounter.lines, start=1)
        if line.assistant_minutes > line.minutes
    ]


def diagnosis_pointers_are_in_range(encounter: EncounterSubmission) -> list[Violation]:
    count = len(encounter.diagnoses)
    return [
        Violation(
            f"lines.{i}.diagnosis_pointers.{j}",
            "diagnosis_pointer.in_range",
            f"pointer {pointer} does not name one of the {count} diagnoses",
        )
        for i, line in enumerate(encounter.lines, start=1)
        for j, pointer in enumerate(line.diagnosis_pointers, start=1)
        if not 1 <= pointer <= count
    ]


def modifiers_have_the_hcpcs_shape(encounter: EncounterSubmission) -> list[Violation]:
    return [
        Violation(f"lines.{i}.modifiers.{j}", "modifier.shape", "a modifier is two upper-case letters or digits")
        for i, line in enumerate(encounter.lines, start=1)
        for j, modifier in enumerate(line.modifiers, start=1)
        if not has_modifier_shape(modifier)
    ]


def lines_are_numbered_in_order(encounter: EncounterSubmission) -> list[Violation]:
    """The n-th line has ``line_number`` n, so an error path ``lines.n`` names the line a biller numbered n (and no
    two lines share a number; the 837P numbers its service lines 1, 2, 3 ... in LX01 as well)."""
    return [
        Violation(
            f"lines.{position}.line_number",
            "lines.numbered_in_order",
            f"this is line {position}: number the lines 1, 2, 3 ... in the order they are sent",
        )
        for position, line in enumerate(encounter.lines, start=1)
        if line.line_number != position
    ]


def date_of_service_is_not_in_the_future(encounter: EncounterSubmission, context: EncounterContext) -> list[Violation]:
    if encounter.date_of_service > context.today:
        return [Violation("date_of_service", "date_of_service.not_future", "the date of service is in the future")]
    return []


def place_of_service_is_in_the_cms_code_set(
    encounter: EncounterSubmission, context: EncounterContext
) -> list[Violation]:
    if encounter.place_of_service not in context.places_of_service:
        return [
            Violation(
                "place_of_service",
                "place_of_service.known",
                f"place of service {encounter.place_of_service} is not in the CMS code set",
            )
        ]
    return []


def payer_is_known(encounter: EncounterSubmission, context: EncounterContext) -> list[Violation]:
    """The payer must have a profile; past its timely-filing window the encounter is accepted with a warning."""
    if encounter.payer_id not in context.payers:
        return [Violation("payer_id", "payer.known", "no payer profile with this id for the tenant")]
    if context.modifier_policies is not None:
        try:
            context.modifier_policies.get(encounter.payer_id)
        except UnknownPayerPolicy:
            message = "this payer has no modifier policy on the date of service; ask an operator to add one"
            return [Violation("payer_id", "payer.modifier_policy", message)]
    window = context.payers.get(encounter.payer_id).timely_filing_days
    if window is not None and context.today > encounter.date_of_service + timedelta(days=window):
        return [
            Violation(
                "date_of_service",
                "date_of_service.timely_filing",
                f"past the payer's {window}-day timely-filing window: the claim may be denied (CARC 29)",
                Severity.WARNING,
            )
        ]
    return []
