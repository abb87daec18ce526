"""The plain-English paragraph an auditor reads: minutes, units, why each code got them, choices left.

Written from the trace (:mod:`trace`), so the words and the structured steps can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_units.domain.model import UnitChoice, UnitMethod
from otrcm_units.domain.trace import (
    FamilyUnitsSplit,
    FullUnitsGiven,
    LeftoverUnitsRanked,
    ShortServicesCombined,
    TimedMinutesPooled,
    TraceStep,
    UnitsAllocated,
    UnitTableLookup,
    UntimedLinesBilled,
)
from otrcm_units.domain.unit_table import MINUTES_FOR_FIRST_UNIT, MINUTES_PER_UNIT


def explain_the_day(method: UnitMethod, trace: Sequence[TraceStep], choices: Sequence[UnitChoice]) -> str:
    """One paragraph: total timed minutes, the units they give, why each code got its units, choices."""
    sentences = _total_time_sentences(trace, choices) if method is UnitMethod.CMS else _per_code_sentences(trace)
    sentences.extend(_family_sentence(step) for step in trace if isinstance(step, FamilyUnitsSplit))
    sentences.extend(_untimed_sentence(step) for step in trace if isinstance(step, UntimedLinesBilled))
    sentences.extend(_choice_sentence(choice) for choice in choices)
    sentences.extend(_total_sentence(step, trace) for step in trace if isinstance(step, UnitsAllocated))
    return " ".join(sentences)


def _total_time_sentences(trace: Sequence[TraceStep], choices: Sequence[UnitChoice]) -> list[str]:
    opening = "CMS total-time method (CMS Pub. 100-04 Ch. 5 §20.2):"
    pooled = next(step for step in trace if isinstance(step, TimedMinutesPooled))
    if not pooled.minutes_by_code:
        return [f"{opening} no timed code was furnished, so there are no timed units."]
    per_code = ", ".join(f"{entry.code} {entry.minutes} min" for entry in pooled.minutes_by_code)
    lookup = next(step for step in trace if isinstance(step, UnitTableLookup))
    head = f"{opening} the timed codes of the day add up to {pooled.total_minutes} minutes ({per_code})"
    if lookup.units == 0:
        return [f"{head}, under the {MINUTES_FOR_FIRST_UNIT} minutes one unit needs, so no timed unit is billed."]
    sentences = [f"{head}, and {lookup.range_low}-{lookup.range_high} minutes earns {_units(lookup.units)}."]
    for step in trace:
        if isinstance(step, FullUnitsGiven):
            whole = [
                f"{entry.code} gets {entry.full_units} for the first {entry.full_units * MINUTES_PER_UNIT} "
                f"of its {entry.minutes} minutes"
                for entry in step.entries
                if entry.full_units > 0
            ]
            if whole:
                sentences.append(f"Whole 15-minute units come first: {_join(whole)}.")
    short = next((step for step in trace if isinstance(step, ShortServicesCombined)), None)
    if short is not None:
        tie_note = " (a tie: see the clinician's choice)" if choices else ""
        sentences.append(
            f"No code reached {MINUTES_FOR_FIRST_UNIT} minutes on its own, but together they reach "
            f"{short.total_minutes} minutes, which earns {_units(short.units)}, billed under "
            f"{_join(list(short.billed_under))}, the code{'s' if short.units > 1 else ''} with the most minutes"
            f"{tie_note}."
        )
    leftover = next((step for step in trace if isinstance(step, LeftoverUnitsRanked)), None)
    if leftover is not None and short is None:
        ranking = ", ".join(f"{entry.code} {entry.minutes} min" for entry in leftover.ranking)
        receivers = _join(list(leftover.receivers))
        if len(leftover.ranking) == 1:
            only = leftover.ranking[0]
            sentences.append(f"The remaining unit goes to the {only.minutes} leftover minutes of {only.code}.")
        elif leftover.units_to_place == 1:
            sentences.append(
                f"The 1 unit left goes to the largest leftover minutes (ranked: {ranking}), so {receivers} gets it."
            )
        else:
            sentences.append(
                f"The {leftover.units_to_place} units left go one each to the largest leftover minutes "
                f"(ranked: {ranking}), so {receivers} get one each."
            )
    outcome = next(step for step in trace if isinstance(step, UnitsAllocated))
    without = [entry.code for entry in outcome.timed if entry.units == 0]
    if without:
        one = len(without) == 1
        if leftover is None:
            reason = "the whole 15-minute units of the other codes use up the day's units"
        elif one:
            reason = "its leftover ranks below those that got a unit"
        else:
            reason = "their leftovers rank below those that got a unit"
        sentences.append(
            f"{_join(without)} get{'s' if one else ''} no unit: "
            f"{'its' if one else 'their'} minutes count in the total, but {reason}."
        )
    return sentences


def _per_code_sentences(trace: Sequence[TraceStep]) -> list[str]:
    opening = "AMA/CPT per-code method (rule of eights):"
    lookups = [step for step in trace if isinstance(step, UnitTableLookup)]
    if not lookups:
        return [f"{opening} no timed code was furnished, so there are no timed units."]
    each = [
        f"{step.code} {step.minutes} min earns {_units(step.units)}"
        + (
            f" (under {MINUTES_FOR_FIRST_UNIT} minutes)"
            if step.units == 0
            else f" ({step.range_low}-{step.range_high} minutes)"
        )
        for step in lookups
    ]
    total_minutes = sum(step.minutes for step in lookups)
    total_units = sum(step.units for step in lookups)
    return [
        f"{opening} each timed code's minutes earn units on their own and are never pooled: {_join(each)}.",
        f"The timed codes total {total_minutes} minutes and earn {_units(total_units)}.",
    ]


def _family_sentence(step: FamilyUnitsSplit) -> str:
    family = step.family.replace("_", " ")
    label = step.code
    first = f"{step.first_of_day_units} of {step.first_of_day_code} (the first unit of the day)"
    if step.add_on_units == 0:
        return f"{label} count as one {family} code: its {_units(step.units)} bills as {first}."
    return (
        f"{label} count as one {family} code: its {_units(step.units)} bill as {first} "
        f"and {step.add_on_units} of {step.add_on_code} (add-on)."
    )


def _untimed_sentence(step: UntimedLinesBilled) -> str:
    codes = _join(list(dict.fromkeys(step.codes)))
    return f"Untimed {codes} {'is' if step.units == 1 else 'are'} billed 1 unit per line, minutes not counted."


def _choice_sentence(choice: UnitChoice) -> str:
    return (
        f"Clinician's choice: {_join(list(choice.tied_codes))} tie at {choice.leftover_minutes} leftover "
        f"minutes for {_units(choice.units_available)}; {_join(list(choice.chosen_codes))} got it here, "
        f"but the clinician may give it to any of them."
    )


def _total_sentence(outcome: UnitsAllocated, trace: Sequence[TraceStep]) -> str:
    splits = {step.code: step for step in trace if isinstance(step, FamilyUnitsSplit)}
    parts: list[str] = []
    for entry in outcome.timed:
        split = splits.get(entry.code)
        if split is not None:
            parts.append(f"{split.first_of_day_units} of {split.first_of_day_code}")
            if split.add_on_units:
                parts.append(f"{split.add_on_units} of {split.add_on_code}")
        elif entry.units:
            parts.append(f"{entry.units} of {entry.code}")
    untimed = next((step for step in trace if isinstance(step, UntimedLinesBilled)), None)
    if untimed is not None:
        counts: dict[str, int] = {}
        for code in untimed.codes:
            counts[code] = counts.get(code, 0) + 1
        parts.extend(f"{count} of {code}" for code, count in counts.items())
    listing = f": {_join(parts)}" if parts else ""
    return f"In all, {_units(outcome.total_units)}{listing}."


def _units(count: int) -> str:
    return f"{count} unit" if count == 1 else f"{count} units"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
