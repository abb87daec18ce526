"""Read a 271 eligibility response (005010X279A1) into :class:`CoverageFacts`, one per subscriber or dependent
level that echoes a trace number (TRN*2, TRN02 = the 270's trace).

Per level (2000C subscriber, 2000D dependent; a dependent's level inherits its subscriber's member id):
NM1*IL NM109 the payer's member id; DTP*346 plan begin, DTP*347 plan end, DTP*291 plan (D8 or RD8, used
when 346/347 are absent); each EB (EB01 eligibility code, EB03 service types, repeated with the repetition
separator, EB06 time period, EB07 amount, EB12 in plan network); AAA03 reject reasons, at any level (a payer
or provider level rejection applies to every request in the set). Other segments are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from otrcm_claims.adapters.x12.reader import ParsedSegment, X12ReadError, parse_d8, read_segments, separators_of
from otrcm_claims.domain.eligibility import Benefit, CoverageFacts

SUBSCRIBER_LEVEL, DEPENDENT_LEVEL = "22", "23"


@dataclass
class _Level:
    trace: str | None = None
    member_id: str | None = None
    plan_begin: date | None = None
    plan_end: date | None = None
    plan_range: tuple[date | None, date | None] = (None, None)
    benefits: list[Benefit] = field(default_factory=list)
    rejections: list[str] = field(default_factory=list)

    def facts(self, inherited: list[str]) -> CoverageFacts | None:
        if self.trace is None:
            return None
        return CoverageFacts(
            trace=self.trace,
            member_id=self.member_id,
            plan_begin=self.plan_begin or self.plan_range[0],
            plan_end=self.plan_end or self.plan_range[1],
            benefits=tuple(self.benefits),
            rejections=tuple([*inherited, *self.rejections]),
        )


def _dates(segment: ParsedSegment) -> tuple[date | None, date | None]:
    if segment.get(2) == "RD8":
        start, _, end = segment.get(3).partition("-")
        return parse_d8(start), parse_d8(end)
    day = parse_d8(segment.get(3))
    return day, day


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def parse_271(text: str) -> list[CoverageFacts]:
    """The coverage facts of every level in every 271 transaction set of ``text`` that echoes a trace number."""
    repetition = separators_of(text).repetition
    segments = read_segments(text)
    if not any(segment.id == "ST" and segment.get(1) == "271" for segment in segments):
        raise X12ReadError("no 271 transaction set")
    found: list[CoverageFacts] = []
    upper_rejections: list[str] = []
    levels: list[_Level] = []
    current: _Level | None = None
    subscriber: _Level | None = None
    for segment in segments:
        if segment.id == "ST":
            upper_rejections, levels, current, subscriber = [], [], None, None
        elif segment.id == "HL":
            code = segment.get(3)
            current = _Level() if code in (SUBSCRIBER_LEVEL, DEPENDENT_LEVEL) else None
            if current is not None:
                if code == SUBSCRIBER_LEVEL:
                    subscriber = current
                elif subscriber is not None:
                    current.member_id = subscriber.member_id
                levels.append(current)
        elif segment.id == "AAA":
            (current.rejections if current is not None else upper_rejections).append(segment.get(3))
        elif current is None:
            continue
        elif segment.id == "TRN" and segment.get(1) == "2":
            current.trace = segment.get(2)
        elif segment.id == "NM1" and segment.get(1) == "IL":
            current.member_id = segment.get(9) or current.member_id
        elif segment.id == "DTP" and segment.get(1) in ("346", "347", "291") and not current.benefits:
            begin, end = _dates(segment)
            if segment.get(1) == "346":
                current.plan_begin = begin
            elif segment.get(1) == "347":
                current.plan_end = end
            else:
                current.plan_range = (begin, end)
        elif segment.id == "EB":
            service_types = tuple(code for code in segment.get(3).split(repetition) if code)
            current.benefits.append(
                Benefit(
                    segment.get(1),
                    service_types,
                    segment.get(6) or None,
                    _amount(segment.get(7)),
                    segment.get(12) or None,
                )
            )
        if segment.id == "SE":
            found += [facts for level in levels if (facts := level.facts(upper_rejections)) is not None]
            levels = []
    return found
