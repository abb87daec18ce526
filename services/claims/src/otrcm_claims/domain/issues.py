"""What a check found: a stable rule id, a PHI-free message, where, and how bad.

Messages name the loop, segment, element and position and the rule broken; they never carry the
value of a name, member id, birth date, address or diagnosis (docs/billing-rules.md#11-x12; never
log raw input values). A claim with any ``ERROR`` issue is held by the service layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class IssueSource(StrEnum):
    """Who found it: the project's own claim checks, or pyx12's implementation-guide validation."""

    PROJECT = "project"
    PYX12 = "pyx12"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding. ``claim_id`` is the opaque CLM01 when the finding belongs to one claim."""

    id: str
    message: str
    severity: Severity
    location: str
    source: IssueSource = IssueSource.PROJECT
    claim_id: str | None = None


def error(rule_id: str, location: str, message: str, claim_id: str | None = None) -> Issue:
    return Issue(rule_id, message, Severity.ERROR, location, IssueSource.PROJECT, claim_id)


def warning(rule_id: str, location: str, message: str, claim_id: str | None = None) -> Issue:
    return Issue(rule_id, message, Severity.WARNING, location, IssueSource.PROJECT, claim_id)


def has_errors(issues: Iterable[Issue]) -> bool:
    """Whether anything found must hold the claim (or the interchange) back."""
    return any(issue.severity is Severity.ERROR for issue in issues)
