"""A claim's status history as a biller reads it: each step of ``otrcm.claims.status-changed.v2`` in revision
order, what moved it (the batch, an administrator, or an acknowledgment: a 999, a 277CA or an 835), and for an
835 what was paid and why the rest was not, each code in plain words. Pure.

Steps arrive in any order; each revision is kept once (the claims service publishes one event per step, its id
derived from claim and revision), and the history is sorted by revision, so a late step lands in its place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from otrcm_shared.events.claim_status import ClaimStatusChanged
from otrcm_shared.events.claims import Adjustment
from otrcm_status.domain.adjustment_codes import CARCS, EXPECTED_REDUCTIONS, GROUPS, RARCS, CodeMeaning, meaning
from otrcm_status.domain.payment_posting import PostingView, posting_view

# What a step's ``source`` says caused it: an acknowledgment from the payer side, or none (batch, admin).
ACKNOWLEDGMENT_OF_SOURCE = {"999": "999", "277ca": "277CA", "835": "835"}
ADJUDICATED = frozenset({"paid", "partially_paid", "denied"})


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    description: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class AdjustmentLine:
    """One CAS adjustment: group and reason in plain words, amount, remark codes; ``denial`` when it is one."""

    group: Code
    reason: Code
    amount: Decimal
    remarks: tuple[Code, ...]
    category: str | None
    denial: bool


@dataclass(frozen=True, slots=True)
class Remittance:
    """What an 835 said of the claim: charge, paid, the patient's share, the payer's claim number, adjustments."""

    charge: Decimal | None
    paid: Decimal | None
    patient_responsibility: Decimal | None
    payer_claim_control_number: str | None
    adjustments: tuple[AdjustmentLine, ...]
    denied_lines: tuple[str, ...]
    denial_category: str | None
    posting: PostingView | None = None  # the payment line by line (835 steps published with it)

    @property
    def denials(self) -> tuple[AdjustmentLine, ...]:
        return tuple(adjustment for adjustment in self.adjustments if adjustment.denial)


@dataclass(frozen=True, slots=True)
class HistoryStep:
    revision: int
    status: str
    previous_status: str | None
    source: str
    acknowledgment: str | None  # 999 | 277CA | 835 when one caused the step
    at: datetime
    reasons: tuple[str, ...]
    remittance: Remittance | None


def _code(table: dict[str, CodeMeaning], code: str) -> Code:
    found = meaning(table, code)
    return Code(code, found.description, found.source) if found is not None else Code(code, None, None)


def _adjustment(adjustment: Adjustment, step_status: str) -> AdjustmentLine:
    """Rule: an adjustment is a denial when the claims service categorised it as one, or when it is on a denied
    step and is not an expected reduction (the contract, the patient's share, a prior payer, sequestration)."""
    denial = adjustment.category is not None or (step_status == "denied" and adjustment.carc not in EXPECTED_REDUCTIONS)
    return AdjustmentLine(
        group=_code(GROUPS, adjustment.group),
        reason=_code(CARCS, adjustment.carc),
        amount=adjustment.amount,
        remarks=tuple(_code(RARCS, remark) for remark in adjustment.rarcs),
        category=adjustment.category,
        denial=denial,
    )


def remittance_of(change: ClaimStatusChanged) -> Remittance | None:
    """The 835's details of an adjudicated step (paid, partially paid, denied); None for any other step."""
    if change.source != "835" or change.status.value not in ADJUDICATED:
        return None
    status = change.status.value
    return Remittance(
        charge=change.charge,
        paid=change.paid,
        patient_responsibility=change.patient_responsibility,
        payer_claim_control_number=change.payer_claim_control_number,
        adjustments=tuple(_adjustment(adjustment, status) for adjustment in change.adjustments),
        denied_lines=change.line_keys if status != "paid" else (),
        denial_category=change.denial_category,
        posting=posting_view(change.posting, lambda a: _adjustment(a, status)) if change.posting else None,
    )


def claim_history(steps: Iterable[tuple[datetime, ClaimStatusChanged]]) -> tuple[HistoryStep, ...]:
    """Every step once, by revision (of two copies of one revision, the first kept)."""
    by_revision: dict[int, HistoryStep] = {}
    for at, change in steps:
        if change.revision in by_revision:
            continue
        by_revision[change.revision] = HistoryStep(
            revision=change.revision,
            status=change.status.value,
            previous_status=change.previous_status.value if change.previous_status else None,
            source=change.source,
            acknowledgment=ACKNOWLEDGMENT_OF_SOURCE.get(change.source.lower()),
            at=at,
            reasons=change.reasons,
            remittance=remittance_of(change),
        )
    return tuple(by_revision[revision] for revision in sorted(by_revision))


def outcome(history: tuple[HistoryStep, ...]) -> Remittance | None:
    """The claim's adjudication as it stands: the newest step's remittance when an 835 made it (a later step,
    such as a reversal back to accepted, takes it away)."""
    return history[-1].remittance if history else None
