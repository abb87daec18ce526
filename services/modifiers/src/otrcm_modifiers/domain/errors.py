"""Why a billing day cannot go through the modifier rules: errors that name the line and the code."""

from __future__ import annotations


class ModifiersError(ValueError):
    """A billing day cannot be evaluated; the message names the offending line."""


class UnknownCode(ModifiersError):
    """A line reports a code the code catalog in effect does not list."""

    def __init__(self, line_id: str, code: str, catalog_version: str) -> None:
        super().__init__(f"line {line_id}: code {code} is not in the code catalog {catalog_version}")
        self.line_id = line_id
        self.code = code


class InvalidMinutes(ModifiersError):
    """A line's minutes are negative, or its assistant furnished more minutes than the line has."""

    def __init__(self, line_id: str, minutes: int, assistant_minutes: int) -> None:
        super().__init__(
            f"line {line_id}: assistant minutes ({assistant_minutes}) must be between 0 and the line's "
            f"minutes ({minutes})"
        )
        self.line_id = line_id
