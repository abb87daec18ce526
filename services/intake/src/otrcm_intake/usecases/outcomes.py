"""What became of a submitted record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from otrcm_intake.domain.violations import Violation


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


def conflict_at(outcome: Outcome, path: str) -> list[Violation]:
    """The error of a conflict (an id already recorded with other content); nothing for a duplicate."""
    if outcome is not Outcome.CONFLICT:
        return []
    message = "already recorded with different content under this id; a corrected record needs a new id"
    return [Violation(path, "idempotency.same_content", message)]


@dataclass(frozen=True)
class Recorded:
    outcome: Outcome
    record_id: str
    violations: list[Violation]

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"status": self.outcome.value, "id": self.record_id}
        if self.violations:
            body["errors"] = [v.as_dict() for v in self.violations]
        return body
