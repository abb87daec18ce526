"""Why an encounter is held: stable reason codes, each with a message that carries no PHI.

A message may name plan, IEP and authorization ids, dates of service and plan dates, credentials and
counts. It never names the patient, a date of birth, a member id or the free-text late reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReasonCode(StrEnum):
    """Machine-readable hold reasons, in the order a decision lists them."""

    POC_MISSING = "POC_MISSING"
    POC_NOT_CERTIFIED = "POC_NOT_CERTIFIED"
    POC_EXPIRED = "POC_EXPIRED"
    POC_CERTIFICATION_LATE = "POC_CERTIFICATION_LATE"
    PROGRESS_REPORT_OVERDUE = "PROGRESS_REPORT_OVERDUE"
    IEP_MISSING = "IEP_MISSING"
    IEP_EXPIRED = "IEP_EXPIRED"
    AUTH_MISSING = "AUTH_MISSING"
    AUTH_EXHAUSTED = "AUTH_EXHAUSTED"
    AUTH_EXPIRED = "AUTH_EXPIRED"
    REFERRAL_MISSING = "REFERRAL_MISSING"


REASON_ORDER: tuple[ReasonCode, ...] = tuple(ReasonCode)


@dataclass(frozen=True, slots=True)
class HoldReason:
    """One reason an encounter cannot be billed yet: its code and a human message without PHI."""

    code: ReasonCode
    message: str


def in_reason_order(reasons: list[HoldReason]) -> tuple[HoldReason, ...]:
    """The reasons sorted by :data:`REASON_ORDER`, so a decision reads the same every time."""
    return tuple(sorted(reasons, key=lambda reason: REASON_ORDER.index(reason.code)))
