"""Why a day's lines cannot be turned into units: errors that name the line and the code at fault.

Every reason the units service can dead-letter a record for is enumerated here: the dead letters' reason
codes (``DEAD_LETTER_REASONS``) and the rules ``UNITS_INPUT_INVALID`` names (``UnitsRule``). A test walks
them all and shows the front door refuses each record first.
"""

from __future__ import annotations

from enum import StrEnum


class UnitsRule(StrEnum):
    """Every rule a day's lines can break when they are turned into units."""

    CODE_IN_CATALOG = "units.code_in_catalog"
    MINUTES_NOT_NEGATIVE = "units.minutes_not_negative"
    LINE_IDS_UNIQUE = "units.line_ids_unique"


# The dead letters' reason codes the handlers raise, each with the rules its ``rule_ids`` may name.
DEAD_LETTER_REASONS: dict[str, tuple[str, ...]] = {
    "PAYER_UNKNOWN": ("payer.known",),  # no payer profile for the encounter's payer on its date of service
    "REFERENCE_DATA_MISSING": (),  # no payer profiles or code catalog in effect on the date of service
    "UNITS_INPUT_INVALID": tuple(rule.value for rule in UnitsRule),
}


class UnitsError(ValueError):
    """A day's lines cannot be turned into billable units; the message names the offending line."""

    rule: UnitsRule


class UnknownCode(UnitsError):
    """A line reports a code the code catalog in effect does not list."""

    rule = UnitsRule.CODE_IN_CATALOG

    def __init__(self, line_id: str, code: str, catalog_version: str) -> None:
        super().__init__(f"line {line_id}: code {code} is not in the code catalog {catalog_version}")
        self.line_id = line_id
        self.code = code
        self.catalog_version = catalog_version


class NegativeMinutes(UnitsError):
    """A line reports fewer than zero minutes."""

    rule = UnitsRule.MINUTES_NOT_NEGATIVE

    def __init__(self, line_id: str, code: str, minutes: int) -> None:
        super().__init__(f"line {line_id}: minutes must not be negative (got {minutes} for code {code})")
        self.line_id = line_id
        self.code = code
        self.minutes = minutes


class DuplicateLineId(UnitsError):
    """Two lines of one day share an id, so their units could not be told apart."""

    rule = UnitsRule.LINE_IDS_UNIQUE

    def __init__(self, line_id: str) -> None:
        super().__init__(f"line {line_id}: the same line id appears more than once in the day")
        self.line_id = line_id
