"""Releasing held encounters: which state changes can resolve which reasons, and whether a held
encounter is releasable now.

Releasability is decided by running the same gate again on the new records, so a release never
disagrees with a fresh decision; a new reason that appeared meanwhile (say the authorization was used
up by other encounters) keeps the encounter held and is reported as new.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from otrcm_poc.domain.gate import BillingRecords, EncounterFacts, GateDecision, gate_encounter
from otrcm_poc.domain.payer_requirements import PayerRequirements
from otrcm_poc.domain.policy import PolicyDates
from otrcm_poc.domain.reasons import ReasonCode


class StateChange(StrEnum):
    """A change of the records that may release held encounters (a verbal order or its signature is
    ``plan_certified``; the plan being sent or a written order filed may meet the 2025 exception)."""

    PLAN_CREATED = "plan_created"
    PLAN_SENT = "plan_sent"
    WRITTEN_ORDER_FILED = "written_order_filed"
    PLAN_CERTIFIED = "plan_certified"
    PLAN_RECERTIFIED = "plan_recertified"
    LATE_REASON_RECORDED = "late_reason_recorded"
    PROGRESS_REPORT_FILED = "progress_report_filed"
    IEP_RECORDED = "iep_recorded"
    AUTHORIZATION_RECORDED = "authorization_recorded"
    REFERRAL_RECORDED = "referral_recorded"


_POC = frozenset({ReasonCode.POC_MISSING, ReasonCode.POC_NOT_CERTIFIED, ReasonCode.POC_EXPIRED})

REASONS_A_CHANGE_CAN_RESOLVE: dict[StateChange, frozenset[ReasonCode]] = {
    StateChange.PLAN_CREATED: frozenset({ReasonCode.POC_MISSING}),
    StateChange.PLAN_SENT: frozenset({ReasonCode.POC_NOT_CERTIFIED}),
    StateChange.WRITTEN_ORDER_FILED: frozenset({ReasonCode.POC_NOT_CERTIFIED}),
    StateChange.PLAN_CERTIFIED: _POC | {ReasonCode.POC_CERTIFICATION_LATE},
    StateChange.PLAN_RECERTIFIED: _POC | {ReasonCode.POC_CERTIFICATION_LATE},
    StateChange.LATE_REASON_RECORDED: frozenset({ReasonCode.POC_CERTIFICATION_LATE}),
    StateChange.PROGRESS_REPORT_FILED: frozenset({ReasonCode.PROGRESS_REPORT_OVERDUE}),
    StateChange.IEP_RECORDED: frozenset({ReasonCode.IEP_MISSING, ReasonCode.IEP_EXPIRED}),
    StateChange.AUTHORIZATION_RECORDED: frozenset(
        {ReasonCode.AUTH_MISSING, ReasonCode.AUTH_EXHAUSTED, ReasonCode.AUTH_EXPIRED}
    ),
    StateChange.REFERRAL_RECORDED: frozenset({ReasonCode.REFERRAL_MISSING}),
}
"""Which held reasons each change may resolve: a cheap filter before re-running the gate."""


def worth_rechecking(held_reasons: Iterable[ReasonCode], change: StateChange) -> bool:
    """True when ``change`` can resolve at least one of the reasons the encounter is held for."""
    return not REASONS_A_CHANGE_CAN_RESOLVE[change].isdisjoint(held_reasons)


@dataclass(frozen=True, slots=True)
class ReleaseCheck:
    """The fresh decision for a held encounter, and how its reasons moved.

    ``releasable`` when the fresh decision is cleared; ``resolved`` are held reasons gone now;
    ``still_held`` held reasons still present; ``new`` reasons the encounter was not held for before.
    """

    decision: GateDecision
    resolved: tuple[ReasonCode, ...]
    still_held: tuple[ReasonCode, ...]
    new: tuple[ReasonCode, ...]

    @property
    def releasable(self) -> bool:
        return self.decision.cleared


def check_release(
    held_reasons: Iterable[ReasonCode],
    requirements: PayerRequirements,
    encounter: EncounterFacts,
    records: BillingRecords,
    *,
    policy: PolicyDates,
    decided_on: date,
) -> ReleaseCheck:
    """Whether a held encounter may be released with the ``records`` on file now."""
    before = tuple(dict.fromkeys(held_reasons))
    decision = gate_encounter(requirements, encounter, records, policy=policy, decided_on=decided_on)
    now = decision.reason_codes
    return ReleaseCheck(
        decision=decision,
        resolved=tuple(code for code in before if code not in now),
        still_held=tuple(code for code in before if code in now),
        new=tuple(code for code in now if code not in before),
    )
