"""What the plan, authorization and worklist read models need to know of one billing day: its date, discipline,
payer and encounters (with their locations), the gate's newest verdict, and the encounters a cleared verdict
counted on an authorization. Pure; the day's units and verdicts arrive in any order.

Each stream is judged on its own with the shared rule ``supersedes``: the units by their revision, the verdict
by its number. A verdict read late still adds the encounters it cleared to ``counted`` (a union, so the order
of arrival does not change it).

Which days count as a used visit (as poc counts them, ``count_encounter`` in poc's gate): an encounter is
counted once a verdict of its day cleared it (the gate counts a cleared day's encounters on the authorization
it chose, and never takes a count back, not even when a later revision of the day is held). A visit
authorization uses one visit per counted encounter; a unit authorization the encounter's billed units as the
first verdict that cleared it saw them (at least 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.revision import supersedes
from otrcm_shared.events.units import UnitsCalculated


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HeldReason(_Record):
    code: str
    message: str
    encounter_id: str | None = None


class DayVerdict(_Record):
    revision: int
    units_revision: int
    cleared: bool
    reasons: tuple[HeldReason, ...] = ()

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(reason.code for reason in self.reasons))


class CountedEncounter(_Record):
    """An encounter a cleared verdict counted: the first such verdict's number and its billed units."""

    gate_revision: int
    units: int


@dataclass(frozen=True, slots=True)
class HeldDay:
    """A held billing day as a plan or an authorization shows it: the reasons that wait on that record."""

    day_key: str
    date_of_service: date
    encounter_ids: tuple[str, ...]
    reason_codes: tuple[str, ...]
    messages: tuple[str, ...]


class UnitsLine(_Record):
    """One line's units as the newest units revision counted them (a code family's line may appear twice)."""

    encounter_id: str
    line_number: int
    code: str
    billed_code: str
    minutes: int
    units: int


class BillingDay(_Record):
    day_key: str
    patient_key: str
    payer_id: str
    date_of_service: date
    discipline: str
    units_revision: int = 0
    locations: dict[str, str | None] = {}  # each encounter of the newest units and its location
    clinicians: dict[str, str] = {}  # each encounter's rendering NPI (the worklist's clinician filter)
    units_lines: tuple[UnitsLine, ...] = ()  # the newest units per line, with the explanation below
    units_method: str | None = None
    units_explanation: str | None = None
    verdict: DayVerdict | None = None
    counted: dict[str, CountedEncounter] = {}

    @classmethod
    def of(cls, day: UnitsCalculated) -> BillingDay:
        return cls(
            day_key=day.day_key,
            patient_key=day.patient_key,
            payer_id=day.payer_id,
            date_of_service=day.date_of_service,
            discipline=day.discipline.value,
        )

    @property
    def held(self) -> bool:
        return self.verdict is not None and not self.verdict.cleared

    @property
    def encounter_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self.locations))

    def with_units(self, day: UnitsCalculated) -> BillingDay | None:
        """The day with these units, or None when they are not newer than what it holds."""
        if not supersedes(day.revision, self.units_revision or None):
            return None
        locations = {encounter.encounter_id: encounter.location_id for encounter in day.encounters}
        clinicians = {encounter.encounter_id: encounter.rendering_provider.npi for encounter in day.encounters}
        lines = tuple(UnitsLine(**line.model_dump()) for line in day.lines)
        newest = {
            "units_revision": day.revision,
            "locations": locations,
            "clinicians": clinicians,
            "units_lines": lines,
            "units_method": day.method.value,
            "units_explanation": day.explanation,
        }
        return self.model_copy(update=newest)

    def with_verdict(self, judged: DayJudged) -> BillingDay | None:
        """The day with this verdict (when newer) and its cleared encounters counted; None when nothing changed."""
        day = self.with_units(judged.day) or self
        if supersedes(judged.revision, self.verdict.revision if self.verdict else None):
            reasons = tuple(HeldReason(code=r.code, message=r.message, encounter_id=r.encounter_id)
                            for r in judged.reasons)  # fmt: skip
            verdict = DayVerdict(
                revision=judged.revision,
                units_revision=judged.units_revision,
                cleared=judged.verdict is Verdict.CLEARED,
                reasons=reasons,
            )
            day = day.model_copy(update={"verdict": verdict})
        if judged.verdict is Verdict.CLEARED:
            day = day.model_copy(update={"counted": _counted(day.counted, judged)})
        return None if day == self else day


def _counted(counted: dict[str, CountedEncounter], judged: DayJudged) -> dict[str, CountedEncounter]:
    merged = dict(counted)
    for encounter_id in judged.encounter_ids:
        units = sum(line.units for line in judged.day.lines if line.encounter_id == encounter_id)
        found = CountedEncounter(gate_revision=judged.revision, units=max(units, 1))
        known = merged.get(encounter_id)
        if known is None or found.gate_revision < known.gate_revision:
            merged[encounter_id] = found
    return dict(sorted(merged.items()))
