"""One 837P interchange per payer per batch: ISA/GS/ST, the loops of every claim, SE/GE/IEA.

Deterministic: the same claims, partners, control numbers, batch reference and creation time give
the same text. Claims are grouped under one 2000A per billing provider (first-seen order); each
claim has its own 2000B (and 2000C when the patient is not the subscriber). The positions of each
claim's segments in the transaction set are kept so that validation findings can name the claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from otrcm_claims.adapters.x12.envelope import ControlNumbers, TradingPartners, gs, interchange, isa, transaction_set
from otrcm_claims.adapters.x12.loops_837p import (
    Receiver,
    Submitter,
    billing_provider_loop,
    claim_loop,
    header,
    patient_loop,
    subscriber_loop,
)
from otrcm_claims.adapters.x12.segments import DEFAULT_SEPARATORS, Segment, Separators, render_segments
from otrcm_claims.domain import BillingProvider, Claim

IMPLEMENTATION = "005010X222A1"
MAX_BATCH_REFERENCE = 50  # BHT03 maximum length


@dataclass(frozen=True, slots=True)
class Rendered837P:
    """The interchange text, its segments, and where each claim sits in the transaction set.

    ``claim_positions`` maps CLM01 to the first and last position (ST = 1, as SE01 and IK302 count)
    of the claim's 2000B..2400 segments.
    """

    text: str
    segments: tuple[Segment, ...]
    claim_positions: dict[str, tuple[int, int]]

    def claim_at(self, position: int) -> str | None:
        """The CLM01 whose segments include ``position``, if any."""
        return next((cid for cid, (first, last) in self.claim_positions.items() if first <= position <= last), None)


def render_837p(
    claims: Sequence[Claim],
    submitter: Submitter,
    receiver: Receiver,
    partners: TradingPartners,
    control: ControlNumbers,
    batch_reference: str,
    created_at: datetime,
    separators: Separators = DEFAULT_SEPARATORS,
) -> Rendered837P:
    """The 837P interchange for ``claims``, which must all go to one payer (one interchange per payer)."""
    if not claims:
        raise ValueError("an interchange needs at least one claim")
    if len({claim.payer.payer_id for claim in claims}) != 1:
        raise ValueError("one interchange per payer: the claims name more than one payer id")
    if not 1 <= len(batch_reference) <= MAX_BATCH_REFERENCE:
        raise ValueError("the batch reference (BHT03) is 1 to 50 characters")
    if len({claim.claim_id for claim in claims}) != len(claims):
        raise ValueError("claim ids (CLM01) repeat within the batch")

    body = header(batch_reference, created_at, submitter, receiver)
    positions: dict[str, tuple[int, int]] = {}
    hl_id = 0
    for provider, provider_claims in _by_billing_provider(claims):
        hl_id += 1
        provider_hl = hl_id
        body += billing_provider_loop(provider_hl, provider)
        for claim in provider_claims:
            first = len(body) + 2  # ST is position 1
            hl_id += 1
            subscriber_hl = hl_id
            body += subscriber_loop(subscriber_hl, provider_hl, claim)
            if claim.patient is not None:
                hl_id += 1
                body += patient_loop(hl_id, subscriber_hl, claim.patient)
            body += claim_loop(claim)
            positions[claim.claim_id] = (first, len(body) + 1)

    one_set = transaction_set("837", control.transaction_set, IMPLEMENTATION, body)
    segments = interchange(
        isa(partners, control, created_at, separators),
        gs("HC", IMPLEMENTATION, partners, control, created_at),
        [one_set],
        control,
    )
    return Rendered837P(render_segments(segments, separators), tuple(segments), positions)


def _by_billing_provider(claims: Sequence[Claim]) -> list[tuple[BillingProvider, list[Claim]]]:
    groups: dict[BillingProvider, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.billing_provider, []).append(claim)
    return list(groups.items())
