"""The ``Claim`` aggregate: the only place a claim's status changes. Pure.

It holds the claim's status, the number of its latest status-history step and how that step was made
(source, previous status), and the facts every event about the claim repeats. Each transition method
checks the move against :mod:`otrcm_claims.domain.lifecycle` (raising ``InvalidTransition`` or
``ReversalRefused``), advances the aggregate and returns the steps it caused: each a ``ClaimStatusChanged``
(``revision`` = the step number, docs/adr/010) plus what only the history keeps (acknowledgment digest,
an administrator's note, the step a reversal undoes). The caller stores the steps and publishes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from otrcm_claims.domain.lifecycle import (
    ACKNOWLEDGED,
    ALLOWED_TRANSITIONS,
    CORRECTABLE,
    ClaimState,
    InvalidTransition,
    is_acknowledgment,
    may_correct,
    require_transition,
)
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.claims import Adjustment, PaymentPosting


class ReversalRefused(Exception):
    """An administrator's reversal is not allowed (the message names the claim id, statuses and steps only)."""


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What every status event of the claim repeats (ids, codes and amounts; never PHI)."""

    tenant_id: str
    claim_id: str
    patient_key: str
    payer_id: str
    day_keys: tuple[str, ...]
    encounter_ids: tuple[str, ...] = ()
    charge: Decimal | None = None
    interchange_control_number: int | None = None
    billing_provider_npi: str | None = None
    frequency: str | None = None  # CLM05-3 of a correction: 7 replacement, 8 void (None: an original)
    replaces_claim_id: str | None = None  # the claim a correction corrects


@dataclass(frozen=True, slots=True)
class Remitted:
    """What an 835 says of the claim besides the amounts paid and adjusted: the patient's share (CLP05) and the
    payer's claim control number (CLP07), and the payment posted line by line, carried on the step's event for the
    readers of the history."""

    patient_responsibility: Decimal | None = None
    payer_claim_control_number: str | None = None
    posting: PaymentPosting | None = None


@dataclass(frozen=True, slots=True)
class LastStep:
    """The claim's latest recorded history step."""

    step: int
    from_status: ClaimState | None
    to_status: ClaimState
    source: str


@dataclass(frozen=True, slots=True)
class StatusStep:
    """One step of the history: the event to publish and what only the history row keeps."""

    event: ClaimStatusChanged
    natural_key: str
    acknowledgment_digest: str | None = None
    note: str | None = None
    reverses_step: int | None = None

    @property
    def status(self) -> ClaimState:
        return ClaimState(self.event.status.value)


@dataclass
class Claim:
    """A claim's life. ``status`` None: not built yet. ``last``: its latest history step (None before any)."""

    facts: ClaimFacts
    status: ClaimState | None = None
    last: LastStep | None = None
    steps: list[StatusStep] = field(default_factory=list)  # made since it was loaded

    @property
    def revision(self) -> int:
        return self.last.step if self.last is not None else 0

    # --- building and sending (source "batch") ---
    def build(self, reasons: Sequence[str] = ()) -> list[StatusStep]:
        """A new claim is built; a held one is reopened (rebuilt at the next batch)."""
        if self.status is None:
            return self._step(ClaimState.BUILT, "batch", reasons)
        return self._move(ClaimState.BUILT, "batch", reasons)

    def hold(self, reasons: Sequence[str], natural_key: str) -> list[StatusStep]:
        return self._move(ClaimState.HELD, "batch", reasons, natural_key=natural_key)

    def validate(self, interchange_control_number: int) -> list[StatusStep]:
        self.facts = _with_icn(self.facts, interchange_control_number)
        return self._move(ClaimState.VALIDATED, "batch", ())

    def submit(self, reasons: Sequence[str]) -> list[StatusStep]:
        icn = self.facts.interchange_control_number
        return self._move(ClaimState.SUBMITTED, "batch", reasons, natural_key=f"submitted/{icn}")

    # --- acknowledgments (999, 277CA, 835) ---
    def accept(self, source: str, digest: str, natural_key: str, reasons: Sequence[str]) -> list[StatusStep]:
        """277CA acceptance, correcting an earlier-stage rejection if needed; or an 835 reversal (CLP02 22)."""
        return self._move(ClaimState.ACCEPTED, source, reasons, natural_key=natural_key, digest=digest)

    def reject(self, source: str, digest: str, natural_key: str, reasons: Sequence[str]) -> list[StatusStep]:
        return self._move(ClaimState.REJECTED, source, reasons, natural_key=natural_key, digest=digest)

    def pay(
        self,
        digest: str,
        natural_key: str,
        reasons: Sequence[str],
        *,
        paid: Decimal,
        adjustments: Sequence[Adjustment] = (),
        partially: bool = False,
        denied_lines: Sequence[str] = (),
        denial_category: str | None = None,
        remitted: Remitted | None = None,
    ) -> list[StatusStep]:
        """Paid in full, or in part (``partially``; ``denied_lines`` are the lines the 835 denied)."""
        wanted = ClaimState.PARTIALLY_PAID if partially else ClaimState.PAID
        return self._move(
            wanted, "835", reasons, natural_key=natural_key, digest=digest, paid=paid, adjustments=adjustments,
            line_keys=denied_lines, denial_category=denial_category, remitted=remitted,
        )  # fmt: skip

    def deny(
        self,
        digest: str,
        natural_key: str,
        reasons: Sequence[str],
        *,
        paid: Decimal | None = None,
        adjustments: Sequence[Adjustment] = (),
        line_keys: Sequence[str] = (),
        denial_category: str | None = None,
        remitted: Remitted | None = None,
    ) -> list[StatusStep]:
        return self._move(
            ClaimState.DENIED, "835", reasons, natural_key=natural_key, digest=digest, paid=paid,
            adjustments=adjustments, line_keys=line_keys, denial_category=denial_category, remitted=remitted,
        )  # fmt: skip

    # --- an administrator undoing an acknowledgment's change (ADR 008) ---
    def reverse(self, to: ClaimState, note: str) -> list[StatusStep]:
        """Restore ``to``, undoing the latest step when an acknowledgment made it and it came from ``to``."""
        current = self._current()
        last = self.last
        if last is None:
            if current not in ACKNOWLEDGED or current not in ALLOWED_TRANSITIONS[to]:
                raise ReversalRefused(
                    f"claim {self.facts.claim_id}: no recorded change, and {current} does not follow {to}"
                )
            reason = f"reversal by an administrator: {current.value} restored to {to.value} (no recorded step)"
            undone = None
        else:
            if not is_acknowledgment(last.source) or last.to_status is not current:
                raise ReversalRefused(
                    f"claim {self.facts.claim_id}: its latest change (step {last.step}, "
                    f"{_name(last.from_status)} -> {last.to_status}) came from {last.source}, "
                    "not from an acknowledgment"
                )
            if last.from_status is not to:
                raise ReversalRefused(
                    f"claim {self.facts.claim_id}: step {last.step} moved it from {_name(last.from_status)}; "
                    "--to must name that status"
                )
            reason = (
                f"reversal by an administrator: step {last.step} ({last.source}, "
                f"{current.value} restored to {to.value}) undone"
            )
            undone = last.step
        return self._step(to, "admin", [reason], natural_key=f"reversed/{self.revision + 1}", note=note, undoes=undone)

    # --- the rule and the bookkeeping ---
    def _current(self) -> ClaimState:
        if self.status is None:
            raise InvalidTransition(self.facts.claim_id, None, ClaimState.BUILT)
        return self.status

    def _move(self, wanted: ClaimState, source: str, reasons: Sequence[str], **details: Any) -> list[StatusStep]:
        current = self._current()
        if not self._corrects_an_acknowledgment(current, wanted, source):
            require_transition(self.facts.claim_id, current, wanted)
        return self._step(wanted, source, reasons, **details)

    def _corrects_an_acknowledgment(self, current: ClaimState, wanted: ClaimState, source: str) -> bool:
        if (current, wanted) not in CORRECTABLE or self.last is None or self.last.to_status is not current:
            return False
        return may_correct(current, wanted, self.last.source, source)

    def _step(
        self,
        wanted: ClaimState,
        source: str,
        reasons: Sequence[str],
        *,
        natural_key: str | None = None,
        digest: str | None = None,
        note: str | None = None,
        undoes: int | None = None,
        paid: Decimal | None = None,
        adjustments: Sequence[Adjustment] = (),
        line_keys: Sequence[str] = (),
        denial_category: str | None = None,
        remitted: Remitted | None = None,
    ) -> list[StatusStep]:
        revision = self.revision + 1
        facts = self.facts
        icn = facts.interchange_control_number
        event = ClaimStatusChanged(
            claim_id=facts.claim_id,
            revision=revision,
            status=ClaimStatus(wanted.value),
            previous_status=ClaimStatus(self.status.value) if self.status is not None else None,
            source=source,
            patient_key=facts.patient_key,
            payer_id=facts.payer_id,
            billing_provider_npi=facts.billing_provider_npi,
            day_keys=facts.day_keys,
            encounter_ids=facts.encounter_ids,
            line_keys=tuple(line_keys),
            interchange_control_number=f"{icn:09d}" if icn else None,
            charge=facts.charge,
            paid=paid,
            reasons=tuple(reasons),
            adjustments=tuple(adjustments),
            denial_category=denial_category,
            patient_responsibility=remitted.patient_responsibility if remitted else None,
            payer_claim_control_number=remitted.payer_claim_control_number if remitted else None,
            posting=remitted.posting if remitted else None,
            frequency=facts.frequency,
            replaces_claim_id=facts.replaces_claim_id,
        )
        step = StatusStep(event, natural_key or f"{wanted.value}/{revision}", digest, note, undoes)
        self.last = LastStep(revision, self.status, wanted, source)
        self.status = wanted
        self.steps.append(step)
        return [step]


def _with_icn(facts: ClaimFacts, icn: int) -> ClaimFacts:
    return replace(facts, interchange_control_number=icn)


def _name(status: ClaimState | None) -> str:
    return status.value if status is not None else "nothing"
