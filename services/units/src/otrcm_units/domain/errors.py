"""Why a day's lines cannot be turned into units: errors that name the line and the code at fault."""

from __future__ import annotations


class UnitsError(ValueError):
    """A day's lines cannot be turned into billable units; the message names the offending line."""


class UnknownCode(UnitsError):
    """A line reports a code the code catalog in effect does not list."""

    def __init__(self, line_id: str, code: str, catalog_version: str) -> None:
        super().__init__(f"line {line_id}: code {code} is not in the code catalog {catalog_version}")
        self.line_id = line_id
        self.code = code
        self.catalog_version = catalog_version


class NegativeMinutes(UnitsError):
    """A line reports fewer than zero minutes."""

    def __init__(self, line_id: str, code: str, minutes: int) -> None:
        super().__init__(f"line {line_id}: minutes must not be negative (got {minutes} for code {code})")
        self.line_id = line_id
        self.code = code
        self.minutes = minutes


class DuplicateLineId(UnitsError):
    """Two lines of one day share an id, so their units could not be told apart."""

    def __init__(self, line_id: str) -> None:
        super().__init__(f"line {line_id}: the same line id appears more than once in the day")
        self.line_id = line_id
