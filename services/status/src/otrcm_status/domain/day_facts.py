"""What the status service knows about one billing day: the newest fact of each stream about it.

Each stream is judged on its own with the shared rule ``supersedes`` (docs/adr/010): the units by their
revision, the gate by its verdict number, the ready lines by their version, and each claim by its
status-history step. A fact at or below the applied one (a redelivery, a late read from another topic)
leaves the day as it was.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from otrcm_shared.events.revision import supersedes


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(_Fact):
    """Why something is held: a code, a sentence without PHI, and (for a line) the rule and what releases it."""

    code: str
    message: str
    rule_id: str | None = None
    action: str | None = None
    line: str | None = None

    def shown(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class UnitsFact(_Fact):
    revision: int
    encounter_ids: tuple[str, ...]
    total_units: int


class GateFact(_Fact):
    revision: int
    units_revision: int
    cleared: bool
    released: bool = False
    encounter_ids: tuple[str, ...]
    reasons: tuple[Reason, ...] = ()


class LinesFact(_Fact):
    """The day's ready lines (version n): who has a billable line, and each held line's reasons."""

    version: int
    units_revision: int | None
    gate_revision: int | None
    encounter_ids: tuple[str, ...]
    ready_ids: tuple[str, ...]
    held: dict[str, tuple[Reason, ...]] = {}
    held_line_keys: tuple[str, ...] = ()


class ClaimFact(_Fact):
    """One claim's newest step from ``claims.status-changed.v2`` (``contract`` 2). ``contract`` 1 marks a
    step read from a retired ``.v1`` claims topic before ADR 010 step 5 (its revision made up from the
    status's place in a claim's life): such a stored fact still loads, and the claim's next ``.v2`` step
    replaces it whatever its revision."""

    claim_id: str
    revision: int
    contract: int = 2
    status: str
    encounter_ids: tuple[str, ...]
    reasons: tuple[str, ...] = ()
    denial_category: str | None = None


class DayFacts(_Fact):
    day_key: str
    patient_key: str
    units: UnitsFact | None = None
    gate: GateFact | None = None
    lines: LinesFact | None = None
    claims: dict[str, ClaimFact] = {}

    def with_units(self, fact: UnitsFact) -> DayFacts | None:
        """The day with ``fact``, or None when it is not newer than what the day holds."""
        if not supersedes(fact.revision, self.units.revision if self.units else None):
            return None
        return self.model_copy(update={"units": fact})

    def with_gate(self, fact: GateFact) -> DayFacts | None:
        if not supersedes(fact.revision, self.gate.revision if self.gate else None):
            return None
        return self.model_copy(update={"gate": fact})

    def with_lines(self, fact: LinesFact) -> DayFacts | None:
        if not supersedes(fact.version, self.lines.version if self.lines else None):
            return None
        return self.model_copy(update={"lines": fact})

    def with_claim(self, fact: ClaimFact) -> DayFacts | None:
        applied = self.claims.get(fact.claim_id)
        if applied is not None and applied.contract != fact.contract:
            if applied.contract > fact.contract:
                return None  # an older contract never replaces the claim's own stream
        elif applied is not None and not supersedes(fact.revision, applied.revision):
            return None
        return self.model_copy(update={"claims": {**self.claims, fact.claim_id: fact}})

    @property
    def units_revision(self) -> int:
        """The newest units revision any stream has named (a verdict may be read before its units)."""
        named = [
            self.units.revision if self.units else 0,
            self.gate.units_revision if self.gate else 0,
            (self.lines.units_revision or 0) if self.lines else 0,
        ]
        return max(named)

    @property
    def encounter_ids(self) -> tuple[str, ...]:
        found: set[str] = set()
        for fact in (self.units, self.gate, self.lines):
            if fact is not None:
                found.update(fact.encounter_ids)
        for claim in self.claims.values():
            found.update(claim.encounter_ids)
        return tuple(sorted(found))
