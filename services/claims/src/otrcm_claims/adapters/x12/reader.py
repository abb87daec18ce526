"""Read an inbound X12 interchange into segments, taking the separators from its ISA.

ISA is fixed width: the element separator is its 4th character, the repetition separator ISA11
(position 83), the component separator ISA16 (position 105) and the segment terminator the 106th
character. Line breaks between segments are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from otrcm_claims.adapters.x12.segments import Separators

ISA_LENGTH = 106


class X12ReadError(ValueError):
    """The text is not an X12 interchange this reader can split (no valid ISA)."""


@dataclass(frozen=True, slots=True)
class ParsedSegment:
    """A received segment: ``elements[0]`` is XX01. Components are split on demand."""

    id: str
    elements: tuple[str, ...]
    component_separator: str

    def get(self, position: int) -> str:
        """Element ``position`` (1-based), ``""`` when absent."""
        return self.elements[position - 1] if 0 < position <= len(self.elements) else ""

    def components(self, position: int) -> tuple[str, ...]:
        text = self.get(position)
        return tuple(text.split(self.component_separator)) if text else ()

    def component(self, position: int, index: int) -> str:
        parts = self.components(position)
        return parts[index - 1] if 0 < index <= len(parts) else ""


def separators_of(text: str) -> Separators:
    """The separators an interchange declares in its ISA."""
    start = text.lstrip("\ufeff \r\n\t")
    if not start.startswith("ISA") or len(start) < ISA_LENGTH:
        raise X12ReadError("the text does not start with a complete ISA segment")
    return Separators(element=start[3], component=start[104], segment=start[105], repetition=start[82])


def read_segments(text: str) -> list[ParsedSegment]:
    """Every segment of the interchange, in order."""
    separators = separators_of(text)
    body = text.lstrip("\ufeff \r\n\t")
    segments = []
    for raw in body.split(separators.segment):
        raw = raw.strip("\r\n")
        if not raw:
            continue
        parts = raw.split(separators.element)
        segments.append(ParsedSegment(parts[0], tuple(parts[1:]), separators.component))
    return segments


def parse_d8(text: str) -> date | None:
    """A CCYYMMDD date element, or None when empty."""
    return datetime.strptime(text, "%Y%m%d").date() if text else None


def transaction_sets(segments: list[ParsedSegment], set_id: str) -> Iterator[list[ParsedSegment]]:
    """The segments of each ST..SE of type ``set_id`` (ST and SE included)."""
    current: list[ParsedSegment] | None = None
    for segment in segments:
        if segment.id == "ST":
            current = [segment] if segment.get(1) == set_id else None
        elif current is not None:
            current.append(segment)
            if segment.id == "SE":
                yield current
                current = None
