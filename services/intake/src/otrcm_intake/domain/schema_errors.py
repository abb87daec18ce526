"""pydantic's validation errors as violations: the path and the kind of error, never the input value.

A path names the model's own fields and counts list positions from 1 (``lines.1`` is the first line, whose
``line_number`` is 1; ``diagnoses.2`` is the diagnosis pointer 2 names). A member name the client made up
(an unknown field) is shown only when it looks like a field name; anything else (long text, spaces,
control characters, a lone surrogate that could not even be encoded in the answer) is shown as ``<key>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from otrcm_intake.domain.violations import Violation

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
UNSHOWN_KEY = "<key>"


def path_of(location: Iterable[int | str], prefix: str = "") -> str:
    """``prefix.a.1.b`` from a pydantic location ``("a", 0, "b")`` (``<body>`` for the root)."""
    parts = [prefix] if prefix else []
    for part in location:
        if isinstance(part, int):
            part = part + 1
        elif not FIELD_NAME.fullmatch(part):
            part = UNSHOWN_KEY
        parts.append(str(part))
    return ".".join(parts) or "<body>"


# What a biller can do about the commonest schema errors (pydantic's own sentence is kept for the rest).
DATE_HINT = "a date is written YYYY-MM-DD, e.g. 2026-11-20"
HINTS = {
    "date_from_datetime_parsing": DATE_HINT,
    "date_from_datetime_inexact": DATE_HINT,
    "date_parsing": DATE_HINT,
    "date_type": DATE_HINT,
    "int_type": "a whole number without quotes or decimals, e.g. 30",
    "int_parsing": "a whole number without quotes or decimals, e.g. 30",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "decimal_parsing": "an amount in dollars and cents, e.g. 2460.00",
    "missing": "this field is required",
    "extra_forbidden": "this field is not part of the record (check its spelling)",
}
ID_HINT = "1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or a digit"
NPI_HINT = "an NPI is ten digits, e.g. 1234567893"
# What the pattern of a field asks for, in words (by the field's name).
PATTERN_HINTS = {
    "encounter_id": ID_HINT, "patient_id": ID_HINT, "plan_id": ID_HINT, "authorization_id": ID_HINT,
    "billing_provider_npi": NPI_HINT, "npi": NPI_HINT, "certifier_npi": NPI_HINT,
    "code": "a CPT or HCPCS code is five upper-case letters or digits, e.g. 97530",
    "place_of_service": "two digits from the CMS place-of-service code set, e.g. 11 (office) or 12 (home)",
    "state": "two upper-case letters, e.g. MO", "postal_code": "a ZIP code is 5 or 9 digits",
    "sex": "F, M or U", "certifier_credential": "2 to 4 upper-case letters, e.g. MD, DO, NP, PA",
    "tin": "nine digits, without a dash", "taxonomy": "a NUCC taxonomy code, e.g. 225X00000X",
}  # fmt: skip


def hint(item: Any) -> str:
    """The sentence for one pydantic error: a hint a biller can act on, or pydantic's own message."""
    if item["type"] == "string_pattern_mismatch":
        names = [part for part in item["loc"] if isinstance(part, str)]
        if names and names[-1] in PATTERN_HINTS:
            return PATTERN_HINTS[names[-1]]
    return str(HINTS.get(item["type"], item["msg"]))


def violations_from(error: ValidationError, prefix: str = "") -> list[Violation]:
    """One violation per problem: a list that is only too short because its own items failed is not a second
    problem (a line with minutes of -5 is one error, not also "the encounter has no lines")."""
    items = error.errors(include_input=False, include_url=False)
    failed_inside = {tuple(item["loc"][:n]) for item in items for n in range(len(item["loc"]))}
    return [
        Violation(path_of(item["loc"], prefix), f"schema.{item['type']}", hint(item))
        for item in items
        if not (item["type"] == "too_short" and tuple(item["loc"]) in failed_inside)
    ]
