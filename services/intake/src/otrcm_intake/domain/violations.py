"""A broken rule: where (a field path), which rule (a stable id), and what to do about it.

Messages never quote patient data; they may name codes, which are not identifying on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Violation:
    path: str
    rule: str
    message: str
    severity: Severity = Severity.ERROR

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "rule": self.rule, "message": self.message, "severity": self.severity.value}


def errors_in(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity is Severity.ERROR]
