"""Read a 277CA claim acknowledgment (005010X214): per claim, accepted or rejected, with STC codes.

Levels (HL03): 20 information source (payer), 21 information receiver (us: 2200B TRN*2 echoes our
BHT03), 19 billing provider, PT patient (2200D: TRN*2 = our CLM01, STC, REF*1K payer claim control
number, REF*D9 clearinghouse trace, 2220D SVC/STC/REF*FJ per line). A claim is accepted or rejected
by its STC categories (:func:`otrcm_claims.domain.outcome_of`). Patient names are not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from otrcm_claims.adapters.x12.reader import ParsedSegment, parse_d8, read_segments, transaction_sets
from otrcm_claims.domain import BatchAcknowledgment, ClaimAcknowledgment, ClaimStatus, LineAcknowledgment
from otrcm_claims.domain.money import decimal_or_zero

STATUS_COMPOSITES = (1, 10, 11)  # STC01, STC10, STC11


def statuses_of(stc: ParsedSegment) -> list[ClaimStatus]:
    """The STC01/STC10/STC11 composites present, as statuses."""
    found = []
    for position in STATUS_COMPOSITES:
        category, code, entity = stc.component(position, 1), stc.component(position, 2), stc.component(position, 3)
        if category:
            found.append(ClaimStatus(category, code, entity or None))
    return found


@dataclass
class _Line:
    svc: ParsedSegment
    statuses: list[ClaimStatus] = field(default_factory=list)
    control_number: str | None = None

    def build(self) -> LineAcknowledgment:
        parts = self.svc.components(1)
        return LineAcknowledgment(
            procedure_code=parts[1] if len(parts) > 1 else "",
            modifiers=tuple(m for m in parts[2:6] if m),
            charge=decimal_or_zero(self.svc.get(2)),
            statuses=tuple(self.statuses),
            line_control_number=self.control_number,
        )


@dataclass
class _Claim:
    claim_id: str
    statuses: list[ClaimStatus] = field(default_factory=list)
    status_date: date | None = None
    total_charge: Decimal | None = None
    payer_claim_control_number: str | None = None
    clearinghouse_trace_number: str | None = None
    lines: list[_Line] = field(default_factory=list)

    def build(self, batch_reference: str) -> ClaimAcknowledgment:
        return ClaimAcknowledgment(
            batch_reference=batch_reference,
            claim_id=self.claim_id,
            statuses=tuple(self.statuses),
            status_date=self.status_date,
            total_charge=self.total_charge,
            payer_claim_control_number=self.payer_claim_control_number,
            clearinghouse_trace_number=self.clearinghouse_trace_number,
            lines=tuple(line.build() for line in self.lines),
        )


@dataclass
class _Batch:
    reference: str = ""
    statuses: list[ClaimStatus] = field(default_factory=list)
    claims: list[_Claim] = field(default_factory=list)

    def build(self) -> BatchAcknowledgment:
        claims = tuple(claim.build(self.reference) for claim in self.claims)
        return BatchAcknowledgment(self.reference, tuple(self.statuses), claims)


def _read_set(segments: list[ParsedSegment]) -> list[BatchAcknowledgment]:
    batches: list[_Batch] = []
    level = ""
    claim: _Claim | None = None
    line: _Line | None = None
    for segment in segments:
        if segment.id == "HL":
            level, claim, line = segment.get(3), None, None
            if level == "21":
                batches.append(_Batch())
        elif level == "21" and batches:
            _receiver_segment(batches[-1], segment)
        elif level == "PT" and batches:
            if segment.id == "TRN" and segment.get(1) == "2":
                claim, line = _Claim(segment.get(2)), None
                batches[-1].claims.append(claim)
            elif segment.id == "SVC" and claim is not None:
                line = _Line(segment)
                claim.lines.append(line)
            elif line is not None:
                _line_segment(line, segment)
            elif claim is not None:
                _claim_segment(claim, segment)
    return [batch.build() for batch in batches]


def _receiver_segment(batch: _Batch, segment: ParsedSegment) -> None:
    if segment.id == "TRN" and segment.get(1) == "2":
        batch.reference = segment.get(2)
    elif segment.id == "STC":
        batch.statuses.extend(statuses_of(segment))


def _claim_segment(claim: _Claim, segment: ParsedSegment) -> None:
    if segment.id == "STC":
        claim.statuses.extend(statuses_of(segment))
        claim.status_date = claim.status_date or parse_d8(segment.get(2))
        if segment.get(4):
            claim.total_charge = Decimal(segment.get(4))
    elif segment.id == "REF" and segment.get(1) == "1K":
        claim.payer_claim_control_number = segment.get(2)
    elif segment.id == "REF" and segment.get(1) == "D9":
        claim.clearinghouse_trace_number = segment.get(2)


def _line_segment(line: _Line, segment: ParsedSegment) -> None:
    if segment.id == "STC":
        line.statuses.extend(statuses_of(segment))
    elif segment.id == "REF" and segment.get(1) == "FJ":
        line.control_number = segment.get(2)


def parse_277ca(text: str) -> tuple[BatchAcknowledgment, ...]:
    """Every batch acknowledged in the interchange (one per 2000B), with its claims."""
    return tuple(batch for one_set in transaction_sets(read_segments(text), "277") for batch in _read_set(one_set))


def acknowledgments_for(
    batches: tuple[BatchAcknowledgment, ...], batch_reference: str
) -> tuple[ClaimAcknowledgment, ...]:
    """The claim acknowledgments of one of our batches (matched by the BHT03 the 277CA echoes)."""
    return tuple(claim for batch in batches if batch.batch_reference == batch_reference for claim in batch.claims)
