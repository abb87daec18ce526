"""From a day's encounters to the ``UnitsCalculated`` event: the domain's result in the shared contract."""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.events.units import (
    ClinicianChoice,
    LineUnitsResult,
    TraceEntry,
    UnitMethodName,
    UnitsCalculated,
)
from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import MinutesLine, UnitMethod, calculate_day
from otrcm_units.domain.plain_data import trace_step_as_plain_data


def billing_day_key(encounter: EncounterReceived) -> str:
    """One billing day: the patient, the date, the discipline, the payer (whose method applies) and the
    billing provider. Minutes are pooled only within one billing provider's day: each billing provider
    bills its own services on its own claim (X222A1 2010AA is one billing provider per claim), so two
    practices that saw the patient on one date never share a day, a unit or a claim."""
    on = encounter.date_of_service.isoformat()
    return f"{encounter.patient_key}/{on}/{encounter.discipline}/{encounter.payer_id}/{encounter.billing_provider_npi}"


def units_calculated(
    encounters: Sequence[EncounterReceived],
    method: UnitMethod,
    catalog: CodeCatalog,
    revision: int,
    trigger: EncounterReceived,
    *,
    explained: bool = True,
) -> UnitsCalculated:
    """Pool every line of the day's encounters (a voided one's bill nothing), calculate, and describe the result.

    ``explained=False`` leaves the trace and the explanation out (the revenue audit reads the units only)."""
    billed = [encounter for encounter in encounters if not encounter.voided]
    origins = [(encounter.encounter_id, line.line_number) for encounter in billed for line in encounter.lines]
    lines = [
        MinutesLine(str(index), line.code, line.minutes)
        for index, line in enumerate(line for encounter in billed for line in encounter.lines)
    ]
    day = calculate_day(lines, method, catalog)
    return UnitsCalculated(
        day_key=billing_day_key(trigger),
        patient_key=trigger.patient_key,
        payer_id=trigger.payer_id,
        date_of_service=trigger.date_of_service,
        discipline=trigger.discipline,
        revision=revision,
        triggered_by=trigger.encounter_id,
        method=UnitMethodName(method.value),
        catalog_version=day.catalog_version,
        total_timed_minutes=day.total_timed_minutes,
        total_units=day.total_units,
        encounters=tuple(encounters),
        lines=tuple(
            LineUnitsResult(
                encounter_id=origins[int(line.line_id)][0],
                line_number=origins[int(line.line_id)][1],
                code=line.code,
                billed_code=line.billed_code,
                minutes=line.minutes,
                units=line.units,
            )
            for line in day.lines
        ),
        choices=tuple(
            ClinicianChoice(
                tied_codes=choice.tied_codes,
                leftover_minutes=choice.leftover_minutes,
                units_available=choice.units_available,
                chosen_codes=choice.chosen_codes,
            )
            for choice in day.choices
        ),
        trace=tuple(_trace_entry(trace_step_as_plain_data(step)) for step in day.trace) if explained else (),
        explanation=day.explanation if explained else "",
    )


def _trace_entry(plain: dict[str, object]) -> TraceEntry:
    step = str(plain.pop("step"))
    return TraceEntry(step=step, detail=plain)
