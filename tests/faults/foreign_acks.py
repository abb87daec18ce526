"""Acknowledgments addressed to someone else, dropped into a running claims inbox (a library: the fault
suite wires it; see ``invariants.claims_moved_by_acknowledgments_not_addressed_to_them``).

``drop_foreign_acknowledgments`` writes a 999 and an 835 (and a 277CA) whose envelopes name another
submitter and clearinghouse while their control numbers collide with one of our submitted claims: AK1
names our interchange's GS06, 2200B TRN02 our batch reference, CLP01 and REF*6R our claim. None of them
may move the claim. ``acknowledgment_rows`` reads back what the claims service recorded, for
``observe.record_acknowledgments``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.claims_samples import claim_ack_277ca, remittance_835, syntax_ack_999

ANOTHER_SUBMITTER = "INTRUDERSUB"
ANOTHER_CLEARINGHOUSE = "INTRUDERCH"
ANOTHER_NPI = "1497758544"
ANOTHER_TIN = "987654321"


def _drop(inbox: Path, name: str, text: str) -> str:
    """Write via a hidden temporary name and rename, as a clearinghouse drop would."""
    inbox.mkdir(parents=True, exist_ok=True)
    temporary = inbox / f".{name}.tmp"
    temporary.write_text(text, encoding="ascii")
    temporary.rename(inbox / name)
    return name


def drop_foreign_acknowledgments(
    inbox: Path, *, interchange_control_number: int, batch_reference: str, claim_id: str, control: int = 990_001
) -> list[str]:
    """Drop a rejecting 999, a rejecting 277CA and a denying 835, each addressed to another submitter with
    control numbers colliding with this submitted claim's; returns the file names."""
    tag = f"{interchange_control_number:09d}"
    rejection = syntax_ack_999(
        interchange_control_number, accepted=False, control=control,
        addressed_to=ANOTHER_SUBMITTER, from_=ANOTHER_CLEARINGHOUSE,
    )  # fmt: skip
    claim_rejection = claim_ack_277ca(
        batch_reference, claim_id, "120", "A7:562:85", control=control + 1, addressed_to=ANOTHER_SUBMITTER
    )
    denial = remittance_835(
        claim_id, "120", "0", "4", "97530:GO", ["CAS*CO*50*120"], control=control + 2,
        addressed_to=ANOTHER_SUBMITTER, payee_npi=ANOTHER_NPI, payee_tin=ANOTHER_TIN,
    )  # fmt: skip
    return [
        _drop(inbox, f"foreign-{tag}.999", rejection),
        _drop(inbox, f"foreign-{tag}.277", claim_rejection),
        _drop(inbox, f"foreign-{tag}.835", denial),
    ]


async def acknowledgment_rows(database_url: str, tenant: str) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """(the tenant's claim status changes, every (digest, tenant) an acknowledgment was matched to)."""
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        changes = await connection.fetch(
            "SELECT claim_id, step, from_status, to_status, source, acknowledgment_digest"
            " FROM claims.claim_status_changes WHERE tenant_id = $1 ORDER BY claim_id, step",
            tenant,
        )
        ours = await connection.fetch("SELECT digest, tenant_id FROM claims.acknowledgment_tenants")
    finally:
        await connection.close()
    rows = [dict(row) | {"tenant_id": tenant} for row in changes]
    return json.loads(json.dumps(rows, default=str)), [(row["digest"], row["tenant_id"]) for row in ours]


async def a_submitted_claim(database_url: str, tenant: str) -> dict[str, Any] | None:
    """The tenant's first submitted claim: its CLM01, interchange control number and batch reference."""
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        row = await connection.fetchrow(
            "SELECT claim_id, interchange_control_number, batch_reference FROM claims.claims"
            " WHERE tenant_id = $1 AND status = 'submitted' ORDER BY claim_id LIMIT 1",
            tenant,
        )
    finally:
        await connection.close()
    return None if row is None else dict(row)
