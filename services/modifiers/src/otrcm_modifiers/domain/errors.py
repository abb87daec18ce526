"""Why a billing day cannot go through the modifier rules: errors that name the line and the code.

Every reason the modifiers service can dead-letter a record for is enumerated here: the dead letters'
reason codes (``DEAD_LETTER_REASONS``) and the rules ``MODIFIERS_INPUT_INVALID`` names (``ModifiersRule``).
A test walks them all and shows the front door refuses each record first.
"""

from __future__ import annotations

from enum import StrEnum


class ModifiersRule(StrEnum):
    """Every rule a billing day can break when it goes through the modifier rules."""

    CODE_IN_CATALOG = "modifiers.code_in_catalog"
    ACCRUAL_OF_THE_DAY = "modifiers.accrual_of_the_day"
    LINE_IDS_UNIQUE = "modifiers.line_ids_unique"
    ASSISTANT_WITHIN_LINE = "modifiers.assistant_within_line"
    UNITS_NOT_NEGATIVE = "modifiers.units_not_negative"


# The dead letters' reason codes the handlers raise, each with the rules its ``rule_ids`` may name.
DEAD_LETTER_REASONS: dict[str, tuple[str, ...]] = {
    # no payer modifier policy for the payer, or no code catalog or discipline modifiers on the date of service
    "REFERENCE_DATA_MISSING": (),
    "MODIFIERS_INPUT_INVALID": tuple(rule.value for rule in ModifiersRule),
}


class ModifiersError(ValueError):
    """A billing day cannot be evaluated; the message names the offending line and ``rule`` the rule."""

    def __init__(self, message: str, rule: ModifiersRule) -> None:
        super().__init__(message)
        self.rule = rule


class UnknownCode(ModifiersError):
    """A line reports a code the code catalog in effect does not list."""

    def __init__(self, line_id: str, code: str, catalog_version: str) -> None:
        super().__init__(
            f"line {line_id}: code {code} is not in the code catalog {catalog_version}", ModifiersRule.CODE_IN_CATALOG
        )
        self.line_id = line_id
        self.code = code


class InvalidMinutes(ModifiersError):
    """A line's minutes are negative, or its assistant furnished more minutes than the line has."""

    def __init__(self, line_id: str, minutes: int, assistant_minutes: int) -> None:
        super().__init__(
            f"line {line_id}: assistant minutes ({assistant_minutes}) must be between 0 and the line's "
            f"minutes ({minutes})",
            ModifiersRule.ASSISTANT_WITHIN_LINE,
        )
        self.line_id = line_id
