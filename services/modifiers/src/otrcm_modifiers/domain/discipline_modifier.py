"""Discipline modifiers: GO on every OT line (GP on PT, GN on SLP), and a wrong one taken off and flagged.

Source: CMS Pub. 100-04 Ch. 5 §20.1; docs/billing-rules.md#3-discipline-modifiers. "Always therapy" codes
need the modifier on every line or the claim is returned unprocessable; "sometimes therapy" codes need it
when furnished under a therapy plan of care, which is every line this service receives. 97165-97168 must carry GO, and a
modifier of another discipline is rejected. In effect for the whole period the datasets cover (2019 on).
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_modifiers.domain import sources
from otrcm_modifiers.domain.errors import UnknownCode
from otrcm_modifiers.domain.model import DayLine, HeldReason
from otrcm_modifiers.domain.working_line import ModifierRank, WorkingLine
from otrcm_shared.refdata import CodeCatalog, TherapyStatus
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers

RULE_OWNED_MODIFIERS = frozenset({"GO", "GP", "GN", "CO", "CQ", "KX", "59", "XE", "XS", "XP", "XU"})
THERAPY_STATUSES = frozenset({TherapyStatus.ALWAYS, TherapyStatus.SOMETIMES})

REMOVED_FOR_RE_DERIVATION = "rule_owned_modifier_re_derived"
WRONG_DISCIPLINE = "wrong_discipline_modifier_removed"
DISCIPLINE_ON_EVERY_LINE = "discipline_modifier_on_every_therapy_line"
CODE_OF_PLAN = "code_belongs_to_the_plan_discipline"


def lines_entering_the_rules(
    lines: Sequence[DayLine], catalog: CodeCatalog, disciplines: DisciplineModifiers
) -> tuple[WorkingLine, ...]:
    """The day's lines as working lines, with given rule-owned modifiers taken off to be re-derived.

    Therapy lines lose any GO/GP/GN, CO/CQ, KX, 59 or X{EPSU} they came with (the rules decide those);
    a discipline modifier of another discipline is flagged. Other modifiers pass through. Lines of codes
    that are not therapy (orthoses, L-codes) keep everything they came with.
    """
    working = []
    for index, line in enumerate(lines):
        if line.code not in catalog:
            raise UnknownCode(line.line_id, line.code, catalog.version)
        info = catalog.get(line.code)
        if info.therapy_status not in THERAPY_STATUSES:
            working.append(WorkingLine(line, index, info, line.units, tuple(dict.fromkeys(line.modifiers))))
            continue
        kept = tuple(m for m in dict.fromkeys(line.modifiers) if m not in RULE_OWNED_MODIFIERS)
        entry = WorkingLine(line, index, info, line.units, kept)
        entry = wrong_discipline_modifier_removed(entry, disciplines)
        for given in dict.fromkeys(line.modifiers):
            if given in RULE_OWNED_MODIFIERS and given not in disciplines.discipline_modifiers:
                entry = entry.noting(
                    REMOVED_FOR_RE_DERIVATION,
                    sources.RE_DERIVED,
                    f"removed given {given}",
                    f"{given} is decided by the modifier rules from the documentation, not taken as entered",
                )
        working.append(entry)
    return tuple(working)


def wrong_discipline_modifier_removed(entry: WorkingLine, disciplines: DisciplineModifiers) -> WorkingLine:
    """Rule: a discipline modifier of another discipline (GP/GN on an OT plan line) is removed and flagged.

    Source: CMS Pub. 100-04 Ch. 5 §20.1; docs/billing-rules.md#3-discipline-modifiers (a wrong discipline
    modifier is rejected).
    """
    own = disciplines.of(entry.line.discipline).modifier
    for given in dict.fromkeys(entry.line.modifiers):
        if given in disciplines.discipline_modifiers and given != own:
            entry = entry.noting(
                WRONG_DISCIPLINE,
                sources.DISCIPLINE_MODIFIERS,
                f"removed {given}",
                f"the line belongs to a {entry.line.discipline} plan of care, which bills {own}, not {given}",
                flag=True,
            )
    return entry


def discipline_modifier_on_every_therapy_line(entry: WorkingLine, disciplines: DisciplineModifiers) -> WorkingLine:
    """Rule: every therapy line carries its plan's discipline modifier (GO for OT, GP for PT, GN for SLP).

    Source: CMS Pub. 100-04 Ch. 5 §20.1; docs/billing-rules.md#3-discipline-modifiers. A code the catalog ties
    to one discipline (97165-97168 are OT) on another discipline's plan is held: no modifier would be right.
    """
    if entry.info.therapy_status not in THERAPY_STATUSES:
        return entry
    plan = str(entry.line.discipline)
    if entry.info.discipline is not None and entry.info.discipline != plan:
        return entry.holding(
            HeldReason.CODE_NOT_OF_PLAN_DISCIPLINE,
            CODE_OF_PLAN,
            sources.DISCIPLINE_MODIFIERS,
            f"{entry.code} is an {entry.info.discipline} code but the line is on a {plan} plan of care",
        )
    modifier = disciplines.of(plan).modifier
    status = "always" if entry.info.therapy_status is TherapyStatus.ALWAYS else "sometimes (under a plan of care)"
    return entry.adding(
        ModifierRank.DISCIPLINE,
        modifier,
        DISCIPLINE_ON_EVERY_LINE,
        sources.DISCIPLINE_MODIFIERS,
        f"{entry.code} is a {status} therapy code on a {plan} plan of care",
    )
