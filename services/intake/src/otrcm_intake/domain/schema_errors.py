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


def violations_from(error: ValidationError, prefix: str = "") -> list[Violation]:
    return [
        Violation(path_of(item["loc"], prefix), f"schema.{item['type']}", item["msg"])
        for item in error.errors(include_input=False, include_url=False)
    ]
