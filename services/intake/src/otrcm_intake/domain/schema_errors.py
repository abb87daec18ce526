"""pydantic's validation errors as violations: the path and the kind of error, never the input value.

A path names the model's own fields. A member name the client made up (an unknown field) is shown
only when it looks like a field name; anything else (long text, spaces, control characters, a lone
surrogate that could not even be encoded in the answer) is shown as ``<key>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import ValidationError

from otrcm_intake.domain.violations import Violation

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
UNSHOWN_KEY = "<key>"


def path_of(location: Iterable[int | str], prefix: str = "") -> str:
    """``prefix.a.0.b`` from a pydantic location (``<body>`` for the root)."""
    parts = [prefix] if prefix else []
    for part in location:
        if isinstance(part, str) and not FIELD_NAME.fullmatch(part):
            part = UNSHOWN_KEY
        parts.append(str(part))
    return ".".join(parts) or "<body>"


# What a biller can do about the commonest schema errors (pydantic's own sentence is kept for the rest).
HINTS = {
    "date_from_datetime_parsing": "a date is written YYYY-MM-DD, e.g. 2026-11-20",
    "date_parsing": "a date is written YYYY-MM-DD, e.g. 2026-11-20",
    "date_type": "a date is written YYYY-MM-DD, e.g. 2026-11-20",
    "missing": "this field is required",
    "extra_forbidden": "this field is not part of the record (check its spelling)",
}


def violations_from(error: ValidationError, prefix: str = "") -> list[Violation]:
    """One violation per problem: a list that is only too short because its own items failed is not a second
    problem (a line with minutes of -5 is one error, not also "the encounter has no lines")."""
    items = error.errors(include_input=False, include_url=False)
    failed_inside = {tuple(item["loc"][:n]) for item in items for n in range(len(item["loc"]))}
    return [
        Violation(path_of(item["loc"], prefix), f"schema.{item['type']}", HINTS.get(item["type"], item["msg"]))
        for item in items
        if not (item["type"] == "too_short" and tuple(item["loc"]) in failed_inside)
    ]
