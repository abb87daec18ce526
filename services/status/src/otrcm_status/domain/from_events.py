"""The shared contracts' events as the facts a day holds (pure: no I/O)."""

from __future__ import annotations

from otrcm_shared.events.claim_lines import ClaimLinesReady, HeldLine
from otrcm_shared.events.claim_status import ClaimStatusChanged
from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.units import UnitsCalculated
from otrcm_status.domain.day_facts import ClaimFact, GateFact, LinesFact, Reason, UnitsFact


def units_fact(day: UnitsCalculated) -> UnitsFact:
    return UnitsFact(
        revision=day.revision,
        encounter_ids=tuple(e.encounter_id for e in day.encounters),
        total_units=day.total_units,
    )


def gate_fact(judged: DayJudged) -> GateFact:
    return GateFact(
        revision=judged.revision,
        units_revision=judged.units_revision,
        cleared=judged.verdict is Verdict.CLEARED,
        released=judged.released,
        encounter_ids=judged.encounter_ids,
        reasons=tuple(Reason(code=r.code, message=r.message) for r in judged.reasons),
    )


def line_reasons(line: HeldLine) -> tuple[Reason, ...]:
    """A held line's reasons: per detail its code, rule, a biller's sentence and what releases it (lines from
    before the details existed: each code with the line's message)."""
    if line.details:
        return tuple(
            Reason(code=d.code, rule_id=d.rule_id, message=d.message, action=d.action, line=line.line_key)
            for d in line.details
        )
    return tuple(Reason(code=code, message=line.message, line=line.line_key) for code in line.reasons)


def lines_fact(ready: ClaimLinesReady) -> LinesFact:
    ready_ids = tuple(sorted({line.encounter_id for line in ready.lines}))
    held: dict[str, tuple[Reason, ...]] = {}
    for line in ready.held_lines:
        if line.encounter_id not in ready_ids:
            held[line.encounter_id] = held.get(line.encounter_id, ()) + line_reasons(line)
    with_lines = set(ready_ids) | set(held)
    return LinesFact(
        version=ready.version,
        units_revision=ready.units_revision,
        gate_revision=ready.gate_revision,
        encounter_ids=tuple(sorted(set(ready.encounter_ids) | with_lines)),
        ready_ids=ready_ids,
        held=held,
        held_line_keys=tuple(line.line_key for line in ready.held_lines),
    )


def claim_fact(change: ClaimStatusChanged) -> ClaimFact:
    return ClaimFact(
        claim_id=change.claim_id,
        revision=change.revision,
        status=change.status.value,
        encounter_ids=change.encounter_ids,
        reasons=change.reasons,
        denial_category=change.denial_category,
    )
