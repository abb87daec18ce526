"""Use case: an administrator undoes a status change that an acknowledgment made in error.

``otrcm-claims reverse CLAIM_ID --to STATUS --reason TEXT`` restores the status the claim had before its
latest change, when that change came from an acknowledgment (999, 277CA, 835) and ``--to`` names that
earlier status (a check that the person knows what they restore). The reversal is a new step of the
claim's history (source ``admin``, the step it undoes, the person's reason as a note), the claim's reasons
say which step was undone, and the restored status is published like any other change (its event's
reasons carry no free text: the note stays in the database). A claim rejected before the history existed
(no recorded step) may go back to a status the state machine allows before its current one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims import store
from otrcm_claims.lifecycle import ALLOWED_TRANSITIONS, ClaimState, is_acknowledgment
from otrcm_claims.outcomes import TOPIC_OF, outcome_event
from otrcm_shared.runtime.outbox import Outgoing

NOTE_LIMIT = 500
ACKNOWLEDGED = frozenset(
    {ClaimState.ACCEPTED, ClaimState.REJECTED, ClaimState.PAID, ClaimState.PARTIALLY_PAID, ClaimState.DENIED}
)


class ReversalRefused(Exception):
    """The reversal is not allowed (the message names the claim id, statuses and steps only)."""


def clean_note(text: str) -> str:
    """The person's reason on one line, without control characters, at most ``NOTE_LIMIT`` characters."""
    note = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())[:NOTE_LIMIT]
    if not note:
        raise ReversalRefused("a reversal needs a reason")
    return note


async def reverse_status(session: AsyncSession, claim_id: str, to: ClaimState, note: str) -> list[Outgoing]:
    """Restore ``to`` on the claim, undoing its latest acknowledgment-made change; returns its event."""
    note = clean_note(note)
    row = await store.claim_row(session, claim_id, for_update=True)
    if row is None:
        raise ReversalRefused(f"no claim {claim_id}")
    current = ClaimState(row["status"])
    last = await store.last_status_change(session, row["tenant_id"], claim_id)
    undone = _check(claim_id, current, to, last)
    natural_key = f"reversed/{1 if last is None else last['step'] + 1}"
    reason = (
        f"reversal by an administrator: step {undone['step']} ({undone['source']}, "
        f"{current.value} restored to {to.value}) undone"
        if undone is not None
        else f"reversal by an administrator: {current.value} restored to {to.value} (no recorded step)"
    )
    await store.set_claim(session, row["tenant_id"], claim_id, status=to.value, reasons=[*row["reasons"], reason])
    await store.record_status_change(
        session,
        row,
        to.value,
        source="admin",
        natural_key=natural_key,
        reasons=[reason],
        note=note,
        reverses_step=undone["step"] if undone is not None else None,
    )
    topic = TOPIC_OF.get(to)
    return [] if topic is None else [outcome_event(row, to.value, natural_key, topic=topic, reasons=[reason])]


def _check(claim_id: str, current: ClaimState, to: ClaimState, last: Any) -> Any:
    """The step being undone (None for a claim without history), or raise ``ReversalRefused``."""
    if last is None:
        if current not in ACKNOWLEDGED or current not in ALLOWED_TRANSITIONS[to]:
            raise ReversalRefused(f"claim {claim_id}: no recorded change, and {current} does not follow {to}")
        return None
    if not is_acknowledgment(last["source"]) or last["to_status"] != current.value:
        raise ReversalRefused(
            f"claim {claim_id}: its latest change (step {last['step']}, {last['from_status']} -> "
            f"{last['to_status']}) came from {last['source']}, not from an acknowledgment"
        )
    if last["from_status"] != to.value:
        raise ReversalRefused(
            f"claim {claim_id}: step {last['step']} moved it from {last['from_status']}; --to must name that status"
        )
    return last
