"""Read a 999 implementation acknowledgment (005010X231A1): per transaction set, accepted or rejected.

AK1 names our functional group (GS06), AK2 our transaction set (ST02); IK3/IK4 locate errors, a
CTX*CLM01 names the claim in error; IK5 gives the set's verdict and codes; AK9 the group's.
IK404 (a copy of the bad data) is skipped: it may hold PHI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from otrcm_claims.adapters.x12.reader import ParsedSegment, read_segments, transaction_sets
from otrcm_claims.domain import ElementError, FunctionalGroupAck, SegmentError, TransactionSetAck


def _int_or_none(text: str) -> int | None:
    return int(text) if text else None


@dataclass
class _Segment:
    head: ParsedSegment
    elements: list[ElementError] = field(default_factory=list)
    claim_id: str | None = None

    def build(self) -> SegmentError:
        h = self.head
        position = int(h.get(2)) if h.get(2) else 0
        return SegmentError(h.get(1), position, h.get(3) or None, h.get(4) or None, tuple(self.elements), self.claim_id)


@dataclass
class _Set:
    head: ParsedSegment
    segments: list[_Segment] = field(default_factory=list)


def _element_error(ik4: ParsedSegment) -> ElementError:
    return ElementError(
        position=int(ik4.component(1, 1) or 0),
        component=_int_or_none(ik4.component(1, 2)),
        repeat=_int_or_none(ik4.component(1, 3)),
        data_element=ik4.get(2) or None,
        code=ik4.get(3),
    )


def _group(segments: list[ParsedSegment]) -> FunctionalGroupAck:
    ak1: ParsedSegment | None = None
    done: list[TransactionSetAck] = []
    current: _Set | None = None
    for segment in segments:
        if segment.id == "AK1":
            ak1 = segment
        elif segment.id == "AK2":
            current = _Set(segment)
        elif segment.id == "IK3" and current is not None:
            current.segments.append(_Segment(segment))
        elif segment.id == "IK4" and current is not None and current.segments:
            current.segments[-1].elements.append(_element_error(segment))
        elif segment.id == "CTX" and current is not None and current.segments and segment.component(1, 1) == "CLM01":
            current.segments[-1].claim_id = segment.component(1, 2) or None
        elif segment.id == "IK5" and current is not None:
            head = current.head
            codes = tuple(code for code in segment.elements[1:6] if code)
            errors = tuple(s.build() for s in current.segments)
            done.append(TransactionSetAck(head.get(1), head.get(2), head.get(3) or None, segment.get(1), codes, errors))
            current = None
        elif segment.id == "AK9":
            if ak1 is None:
                raise ValueError("999 AK9 without AK1")
            return FunctionalGroupAck(
                functional_id=ak1.get(1),
                group_control_number=ak1.get(2),
                version=ak1.get(3) or None,
                code=segment.get(1),
                included=int(segment.get(2) or 0),
                received=int(segment.get(3) or 0),
                accepted_count=int(segment.get(4) or 0),
                error_codes=tuple(code for code in segment.elements[4:9] if code),
                transaction_sets=tuple(done),
            )
    raise ValueError("999 transaction set without AK9")


def parse_999(text: str) -> tuple[FunctionalGroupAck, ...]:
    """One :class:`FunctionalGroupAck` per 999 transaction set in the interchange."""
    return tuple(_group(one_set) for one_set in transaction_sets(read_segments(text), "999"))
