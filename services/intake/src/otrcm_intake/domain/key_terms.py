"""What an API key may do, and until when. Pure.

A key holds scopes: ``submit`` (post records), ``read`` (read anything of its tenant) and ``admin`` (the
tenant's administration, such as its billing profiles). A key may carry an expiry date: the first business
date on which it is refused. Keys made before scopes existed hold ``submit`` and ``read`` and never expire:
what every key could do then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from otrcm_intake.domain.violations import Violation


class Scope(StrEnum):
    SUBMIT = "submit"
    READ = "read"
    ADMIN = "admin"


DEFAULT_SCOPES = frozenset({Scope.SUBMIT, Scope.READ})
LEGACY_SCOPES = DEFAULT_SCOPES  # a key made before scopes keeps the powers every key had then
DEFAULT_GRACE_DAYS = 7  # a rotated key's old secret works a week more: time to deploy the new one
MAX_GRACE_DAYS = 90
KEY_HEADER_PATH = "headers.x-api-key"


class UnknownScope(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown scope '{name}': one of {', '.join(s.value for s in Scope)}")


def scopes_from(names: Iterable[str]) -> frozenset[Scope]:
    """The scopes named (case-insensitive); an unknown name raises ``UnknownScope``."""
    found = set()
    for name in names:
        try:
            found.add(Scope(name.strip().lower()))
        except ValueError:
            raise UnknownScope(name) from None
    return frozenset(found)


def scopes_text(scopes: Iterable[Scope]) -> str:
    """Scopes as stored and shown: space-separated, in a fixed order."""
    return " ".join(scope.value for scope in Scope if scope in set(scopes))


@dataclass(frozen=True)
class KeyTerms:
    scopes: frozenset[Scope]
    expires_on: date | None = None

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and today >= self.expires_on


LEGACY_TERMS = KeyTerms(LEGACY_SCOPES)


@dataclass(frozen=True)
class Refusal:
    """Why a live key is refused a route: 401 when it expired, 403 when it lacks the route's scope."""

    status: int
    violation: Violation


def refusal(terms: KeyTerms, needed: Scope, today: date) -> Refusal | None:
    """None when a key with ``terms`` may use a route that needs ``needed`` on the business date ``today``."""
    if terms.expired(today):
        message = "this API key has expired; use its replacement or ask an administrator for a new key"
        return Refusal(401, Violation(KEY_HEADER_PATH, "auth.key_expired", message))
    if needed not in terms.scopes:
        message = f"this API key lacks the '{needed.value}' scope, which this route needs"
        return Refusal(403, Violation(KEY_HEADER_PATH, f"auth.scope.{needed.value}", message))
    return None


def first_refused_day(today: date, grace_days: int) -> date:
    """When a rotated key stops working: ``grace_days`` after the rotation (0: at once)."""
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise ValueError(f"a grace period is 0 to {MAX_GRACE_DAYS} days")
    return today + timedelta(days=grace_days)


def expiry_problem(expires_on: date | None, today: date) -> str | None:
    """A new key's expiry must lie after the business date (a key expiring today would never work)."""
    if expires_on is not None and expires_on <= today:
        return f"the expiry date must be after the business date {today.isoformat()}"
    return None
