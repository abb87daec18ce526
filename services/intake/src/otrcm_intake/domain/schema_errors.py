"""pydantic's validation errors as violations: the path and the kind of error, never the input value."""

from __future__ import annotations

from pydantic import ValidationError

from otrcm_intake.domain.violations import Violation


def violations_from(error: ValidationError, prefix: str = "") -> list[Violation]:
    found = []
    for item in error.errors(include_input=False, include_url=False):
        path = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
        found.append(Violation(path or "<body>", f"schema.{item['type']}", item["msg"]))
    return found
