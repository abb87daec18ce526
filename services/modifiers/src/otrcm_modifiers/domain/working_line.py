"""A line on its way through the rules: an immutable record each rule replaces with an updated copy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

from otrcm_modifiers.domain.model import DayLine, HeldReason, LinePart, LineResult, RuleResult, line_key_of
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.refdata import CodeInfo


class ModifierRank(IntEnum):
    """Where a rule-added modifier goes on the line: discipline, assistant, distinct service, then KX."""

    DISCIPLINE = 0
    ASSISTANT = 1
    DISTINCT = 2
    THRESHOLD = 3


@dataclass(frozen=True, slots=True)
class WorkingLine:
    """One (part of a) documented line with what the rules decided so far."""

    line: DayLine
    index: int
    info: CodeInfo
    units: int
    kept_modifiers: tuple[str, ...]
    part: LinePart = LinePart.WHOLE
    added: tuple[tuple[ModifierRank, str], ...] = ()
    held: tuple[HeldReason, ...] = ()
    rules: tuple[RuleResult, ...] = ()
    amount: Decimal | None = None
    basis: tuple[DatasetUsed, ...] = ()

    @property
    def key(self) -> str:
        return line_key_of(self.line.line_id, self.part)

    @property
    def code(self) -> str:
        return self.line.code

    @property
    def billed(self) -> bool:
        """True while the line has units and no hold: rules that pair or price lines look only at these."""
        return self.units > 0 and not self.held

    def noting(self, rule_id: str, source: str, outcome: str, detail: str, *, flag: bool = False) -> WorkingLine:
        result = RuleResult(rule_id, source, outcome, detail, self.key, flag)
        return self._with(self.added, self.held, (*self.rules, result))

    def adding(self, rank: ModifierRank, modifier: str, rule_id: str, source: str, detail: str) -> WorkingLine:
        if any(existing == modifier for _, existing in self.added):
            return self
        updated = self._with((*self.added, (rank, modifier)), self.held, self.rules)
        return updated.noting(rule_id, source, f"added {modifier}", detail)

    def holding(self, reason: HeldReason, rule_id: str, source: str, detail: str) -> WorkingLine:
        updated = self if reason in self.held else self._with(self.added, (*self.held, reason), self.rules)
        return updated.noting(rule_id, source, f"held {reason.value}", detail)

    def _with(
        self,
        added: tuple[tuple[ModifierRank, str], ...],
        held: tuple[HeldReason, ...],
        rules: tuple[RuleResult, ...],
    ) -> WorkingLine:
        """A copy with these rule outcomes (what ``dataclasses.replace`` does, without its per-field checks: every
        rule of every line makes one)."""
        kept = self.kept_modifiers
        return WorkingLine(
            self.line, self.index, self.info, self.units, kept, self.part, added, held, rules, self.amount, self.basis
        )

    def has_added(self, modifier: str) -> bool:
        return any(existing == modifier for _, existing in self.added)

    def final_modifiers(self) -> tuple[str, ...]:
        ordered = [modifier for _, modifier in sorted(self.added, key=lambda item: item[0])]
        return (*ordered, *[m for m in self.kept_modifiers if m not in ordered])

    def result(self) -> LineResult:
        return LineResult(
            line_id=self.line.line_id,
            part=self.part,
            code=self.code,
            units=self.units,
            modifiers=self.final_modifiers(),
            expected_amount=self.amount,
            held=self.held,
            rules=self.rules,
            basis=self.basis,
        )
