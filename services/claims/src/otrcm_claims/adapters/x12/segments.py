"""Typed X12 segments: an id and its elements, an element being text or a composite of components.

Rendering follows the X12 syntax rules the implementation guides repeat: trailing empty elements
(and trailing empty components) are dropped, so there is never a trailing separator; values are
never padded except in ISA, whose fields are fixed width. A value holding a separator is refused.
"""

from __future__ import annotations

from dataclasses import dataclass


class X12SyntaxError(ValueError):
    """A value cannot be written as X12. The message names the segment and position, never the value."""


@dataclass(frozen=True, slots=True)
class Separators:
    """Element ``*``, component ``:``, segment ``~`` and repetition ``^`` (ISA11/ISA16 carry two of them)."""

    element: str = "*"
    component: str = ":"
    segment: str = "~"
    repetition: str = "^"

    @property
    def all(self) -> frozenset[str]:
        return frozenset({self.element, self.component, self.segment, self.repetition})


DEFAULT_SEPARATORS = Separators()


@dataclass(frozen=True, slots=True)
class Composite:
    """A composite element (``HC:97530:GO:KX``); trailing empty components are not written."""

    components: tuple[str, ...]

    @classmethod
    def of(cls, *components: str | None) -> Composite:
        return cls(tuple("" if component is None else component for component in components))

    def render(self, separators: Separators) -> str:
        return separators.component.join(_trim(self.components))


Element = str | Composite


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: ``id`` (``NM1``) and its elements (``elements[0]`` is NM101)."""

    id: str
    elements: tuple[Element, ...]

    def element(self, position: int) -> Element:
        """The element at 1-based ``position`` (``""`` when absent)."""
        return self.elements[position - 1] if 0 < position <= len(self.elements) else ""

    def render(self, separators: Separators = DEFAULT_SEPARATORS) -> str:
        """The segment text without its terminator; trailing empty elements dropped."""
        texts = []
        for position, element in enumerate(self.elements, 1):
            if self.id != "ISA":  # ISA11 and ISA16 carry the separators themselves
                _refuse_separators(self.id, position, element, separators)
            texts.append(element.render(separators) if isinstance(element, Composite) else element)
        return separators.element.join((self.id, *_trim(tuple(texts))))


def seg(segment_id: str, *elements: Element | None) -> Segment:
    """A segment from its elements in order; ``None`` is an empty (skipped) element."""
    return Segment(segment_id, tuple("" if element is None else element for element in elements))


def render_segments(segments: list[Segment], separators: Separators = DEFAULT_SEPARATORS) -> str:
    """The segments as one X12 text, each followed by the segment terminator (no line breaks)."""
    return "".join(segment.render(separators) + separators.segment for segment in segments)


def _trim(values: tuple[str, ...]) -> tuple[str, ...]:
    end = len(values)
    while end and values[end - 1] == "":
        end -= 1
    return values[:end]


def _refuse_separators(segment_id: str, position: int, element: Element, separators: Separators) -> None:
    parts = element.components if isinstance(element, Composite) else (element,)
    for part in parts:
        if any(char in separators.all or not char.isprintable() for char in part):
            raise X12SyntaxError(f"{segment_id}{position:02d} holds a separator or control character")
