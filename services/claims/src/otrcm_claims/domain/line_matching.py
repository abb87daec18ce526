"""Match the lines an 835 paid back to the lines we billed, and say how each was matched.

Order of trust (docs/billing-rules.md#11-x12: REF*6R makes matching robust when a payer drops a modifier):
1. REF*6R line control number echoed in 2110;
2. procedure code and the same modifiers (in any order);
3. procedure code alone, when the payer dropped (or changed) a modifier; the dropped ones are reported.
SVC06, when present, is the code as submitted, so it is what is compared. Each billed line matches
at most once; ties go to the first billed line, preferring the same date of service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from otrcm_claims.domain.claim import ServiceLine
from otrcm_claims.domain.remittance import ServicePayment


class MatchMethod(StrEnum):
    LINE_CONTROL_NUMBER = "line_control_number"
    CODE_AND_MODIFIERS = "code_and_modifiers"
    CODE_ONLY = "code_only"
    UNMATCHED = "unmatched"


@dataclass(frozen=True, slots=True)
class LineMatch:
    """A paid line, the billed line it belongs to (or None) and how they were matched.

    ``modifiers_dropped`` are the billed modifiers absent from the adjudicated SVC01.
    """

    payment: ServicePayment
    line: ServiceLine | None
    method: MatchMethod
    modifiers_dropped: tuple[str, ...] = ()


def _code_as_submitted(payment: ServicePayment) -> tuple[str, tuple[str, ...]]:
    if payment.submitted_code:
        return payment.submitted_code, payment.submitted_modifiers
    return payment.procedure_code, payment.modifiers


def _same_modifiers(line: ServiceLine, payment: ServicePayment) -> bool:
    return sorted(line.modifiers) == sorted(_code_as_submitted(payment)[1])


def _same_code(line: ServiceLine, payment: ServicePayment) -> bool:
    return line.procedure_code == _code_as_submitted(payment)[0]


def _by_control_number(line: ServiceLine, payment: ServicePayment) -> bool:
    return payment.line_control_number is not None and payment.line_control_number == line.line_control_number


def _by_code_and_modifiers(line: ServiceLine, payment: ServicePayment) -> bool:
    return _same_code(line, payment) and _same_modifiers(line, payment)


def _by_code_only(line: ServiceLine, payment: ServicePayment) -> bool:
    return _same_code(line, payment) and set(_code_as_submitted(payment)[1]) <= set(line.modifiers)


PASSES: tuple[tuple[MatchMethod, Callable[[ServiceLine, ServicePayment], bool]], ...] = (
    (MatchMethod.LINE_CONTROL_NUMBER, _by_control_number),
    (MatchMethod.CODE_AND_MODIFIERS, _by_code_and_modifiers),
    (MatchMethod.CODE_ONLY, _by_code_only),
)


def match_lines(billed: Sequence[ServiceLine], paid: Sequence[ServicePayment]) -> tuple[LineMatch, ...]:
    """One :class:`LineMatch` per paid line, in the 835's order."""
    found: dict[int, LineMatch] = {}
    taken: set[int] = set()
    for method, fits in PASSES:
        for p_index, payment in enumerate(paid):
            if p_index in found:
                continue
            candidates = [i for i, line in enumerate(billed) if i not in taken and fits(line, payment)]
            if not candidates:
                continue
            same_day = [i for i in candidates if billed[i].service_date == payment.service_date]
            chosen = (same_day or candidates)[0]
            taken.add(chosen)
            line = billed[chosen]
            kept = set(payment.modifiers)
            dropped = tuple(modifier for modifier in line.modifiers if modifier not in kept)
            found[p_index] = LineMatch(payment, line, method, dropped)
    return tuple(found.get(i, LineMatch(payment, None, MatchMethod.UNMATCHED)) for i, payment in enumerate(paid))
