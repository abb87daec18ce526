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

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.claim_repository import load_claim, save
from otrcm_claims.domain.claim_aggregate import ReversalRefused
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.runtime.outbox import Outgoing

NOTE_LIMIT = 500
__all__ = ["ReversalRefused", "clean_note", "reverse_status"]


def clean_note(text: str) -> str:
    """The person's reason on one line, without control characters, at most ``NOTE_LIMIT`` characters."""
    note = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())[:NOTE_LIMIT]
    if not note:
        raise ReversalRefused("a reversal needs a reason")
    return note


async def reverse_status(session: AsyncSession, claim_id: str, to: ClaimState, note: str) -> list[Outgoing]:
    """Restore ``to`` on the claim (the aggregate checks it undoes an acknowledgment); returns its events."""
    note = clean_note(note)
    row = await store.claim_row(session, claim_id, for_update=True)
    if row is None:
        raise ReversalRefused(f"no claim {claim_id}")
    claim = await load_claim(session, row)
    claim.reverse(to, note)
    return await save(session, claim, row["reasons"])
