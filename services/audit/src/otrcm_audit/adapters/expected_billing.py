"""What each documented day should bill, by the pipeline's own rules and translations, in its own order:

1. units: ``otrcm_units.usecases.translate.units_calculated`` (the day's minutes pooled, CMS total time or AMA);
2. the gate: ``otrcm_poc.domain.gate_encounter`` per encounter, counting authorizations as the poc service does
   (``count_encounter``, kept only when the whole day clears), on the records of ``patient_records``;
3. modifiers and price: ``otrcm_modifiers.usecases.translate.billing_day_of`` then ``evaluate_billing_day`` on the
   beneficiary's threshold accrual, days in date order; only a cleared day adds to the accrual, as in the pipeline.

No rule is restated here: this module only feeds the rules and reads their results into :class:`ExpectedDay`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

from otrcm_audit.adapters.patient_records import PatientFiles, patient_files
from otrcm_audit.adapters.records_file import PracticeRecords
from otrcm_audit.domain.model import DayMatch, ExpectedDay, ExpectedLine, GateHold
from otrcm_modifiers.adapters.reference import day_reference
from otrcm_modifiers.domain import BillingDay, empty_accrual, evaluate_billing_day
from otrcm_modifiers.domain.errors import ModifiersError
from otrcm_modifiers.usecases.accruals import default_locality, locality_of
from otrcm_modifiers.usecases.translate import billing_day_of
from otrcm_poc.domain import (
    CURRENT_POLICY_DATES,
    BillingRecords,
    PayerRequirements,
    count_encounter,
    gate_encounter,
    plan_for_date_of_service,
)
from otrcm_poc.usecases.translate import encounter_facts
from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.encounters import Discipline, EncounterReceived, ServiceLine
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.refdata import CodeCatalog, NoVersionInEffect, PayerProfiles, UnknownPayer
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicies, UnknownPayerPolicy
from otrcm_units.domain import UnitMethod, UnitsError
from otrcm_units.usecases.translate import billing_day_key, units_calculated

ZERO = Decimal(0)
RULE_OF = {
    "UnknownPayer": "payer.known",
    "UnknownPayerPolicy": "payer.known",
    "NoVersionInEffect": "reference_data.in_effect",
}


def received(submission: EncounterSubmission) -> EncounterReceived:
    """The encounter as the pipeline carries it; the practice's patient id stands as the patient key."""
    return EncounterReceived(
        encounter_id=submission.encounter_id,
        patient_key=submission.patient_id,
        payer_id=submission.payer_id,
        date_of_service=submission.date_of_service,
        place_of_service=submission.place_of_service,
        discipline=submission.discipline,
        billing_provider_npi=submission.billing_provider_npi,
        rendering_provider=submission.rendering_provider,
        location_id=submission.location_id,
        diagnoses=tuple(code.upper() for code in submission.diagnoses),
        lines=tuple(ServiceLine(**line.model_dump()) for line in submission.lines),
        attestations=submission.attestations,
    )


def expected_days(records: PracticeRecords, as_of: date) -> tuple[list[ExpectedDay], list[str]]:
    """Every documented day with what it should bill, and what could not be judged (named, without PHI)."""
    skipped: list[str] = []
    days: dict[str, list[EncounterReceived]] = {}
    seen: set[str] = set()
    for file, row, submission in records.encounters:
        if submission.encounter_id in seen:
            skipped.append(
                f"{file} row {row}: encounter {submission.encounter_id} skipped: repeated (encounter.unique)"
            )
            continue
        seen.add(submission.encounter_id)
        encounter = received(submission)
        days.setdefault(billing_day_key(encounter), []).append(encounter)
    treatment: dict[tuple[str, Discipline], set[date]] = {}
    for encounters in days.values():
        first = encounters[0]
        treatment.setdefault((first.patient_key, first.discipline), set()).add(first.date_of_service)
    files = patient_files(records, treatment)
    skipped += files.skipped
    found = []
    for key in sorted(days, key=lambda k: (days[k][0].date_of_service, k)):
        try:
            found.append(_expected_day(days[key], records, files, as_of))
        except (UnknownPayer, UnknownPayerPolicy, NoVersionInEffect, UnitsError, ModifiersError, ValueError) as error:
            ids = ", ".join(e.encounter_id for e in days[key])
            rule = getattr(error, "rule", RULE_OF.get(type(error).__name__, "rules"))
            skipped.append(f"encounter {ids} skipped: {type(error).__name__} ({rule})")
    return found, skipped


def warm_reference_data(records: PracticeRecords) -> None:
    """Load the reference data of every date and payer the encounters name (cached per process), so that
    processes forked afterwards inherit it instead of each loading it again."""
    for on, payer in sorted({(e.date_of_service, e.payer_id) for _, _, e in records.encounters}):
        try:
            PayerProfiles.builtin(on).get(payer)
            CodeCatalog.builtin(on)
            PayerModifierPolicies.builtin(on).get(payer)
            day_reference(on, payer)
        except (UnknownPayer, UnknownPayerPolicy, NoVersionInEffect):
            continue  # the day itself is skipped, by name, when it is judged


def _expected_day(
    encounters: list[EncounterReceived], records: PracticeRecords, files: PatientFiles, as_of: date
) -> ExpectedDay:
    first = encounters[0]
    on, payer = first.date_of_service, first.payer_id
    profile = PayerProfiles.builtin(on).get(payer)
    catalog = CodeCatalog.builtin(on)
    units = units_calculated(encounters, UnitMethod(profile.unit_method), catalog, 1, first, explained=False)
    holds = _judge(units, files, catalog, PayerRequirements.from_mapping(profile.requirements), as_of)
    policy = PayerModifierPolicies.builtin(on).get(payer)
    locality = locality_of(first.location_id, on, default_locality())
    judged = DayJudged(
        day_key=units.day_key,
        revision=1,
        verdict=Verdict.CLEARED,
        patient_key=first.patient_key,
        encounter_ids=tuple(e.encounter_id for e in encounters),
        units_revision=1,
        day=units,
    )
    day = billing_day_of(judged, policy, locality)
    reference = day_reference(on, payer)
    outcome = evaluate_billing_day(day, files.accrual(first.patient_key), reference)
    if not holds:
        files.accruals[first.patient_key] = outcome.accrual
    lines = tuple(
        ExpectedLine(
            result.line_id.rsplit("#", 2)[0],
            result.code,
            result.units,
            result.modifiers,
            result.expected_amount,
            bool(result.provisional),
            tuple(r.value for r in result.held),
            result.line_key,
        )
        for result in outcome.lines
    )
    tied = frozenset(code for choice in units.choices for code in choice.tied_codes)
    member = records.member_ids.get((first.patient_key, payer), first.patient_key)
    return ExpectedDay(
        match=DayMatch(member, payer, first.billing_provider_npi, on),
        payer_id=payer,
        method=profile.unit_method,
        encounter_ids=tuple(e.encounter_id for e in encounters),
        lines=lines,
        holds=holds,
        tied_codes=tied,
        timely_filing_days=profile.timely_filing_days,
        reprice=lambda wanted: _priced(_with_units(day, wanted), reference),
        reprice_without_assistant=lambda line_key: _assistant_share(day, line_key, reference),
    )


def _judge(
    day: UnitsCalculated, files: PatientFiles, catalog: CodeCatalog, requirements: PayerRequirements, as_of: date
) -> tuple[GateHold, ...]:
    """The poc gate over every encounter of the day (as its ``judge`` use case wires it)."""
    plans = [p for p in files.plans.get(day.patient_key, []) if p.discipline == day.discipline]
    plan = plan_for_date_of_service(plans, day.date_of_service)
    started = [iep for iep in files.ieps.get(day.patient_key, []) if iep.starts_on <= day.date_of_service]
    iep = max(started, key=lambda i: (i.starts_on, i.plan_id)) if started else None  # as the poc gating picks it
    auths = {a.authorization_id: a for a in files.authorizations.get(day.patient_key, []) if a.payer_id == day.payer_id}
    holds: list[GateHold] = []
    for encounter in day.encounters:
        facts = encounter_facts(day, encounter, catalog)
        billing = BillingRecords(plan=plan, iep=iep, authorizations=tuple(auths.values()))
        decision = gate_encounter(requirements, facts, billing, policy=CURRENT_POLICY_DATES, decided_on=as_of)
        holds += [GateHold(encounter.encounter_id, r.code.value, r.message) for r in decision.reasons]
        if decision.cleared and decision.authorization_id is not None:
            auth = auths[decision.authorization_id]
            auths[auth.authorization_id] = count_encounter(auth, facts.encounter_id, facts.date_of_service, facts.units)
    if not holds:
        kept = [a for a in files.authorizations.get(day.patient_key, []) if a.authorization_id not in auths]
        files.authorizations[day.patient_key] = kept + list(auths.values())
    return tuple(holds)


def _with_units(day: BillingDay, wanted: Mapping[str, int]) -> BillingDay:
    """The day with each code's units as ``wanted`` (a change goes on the code's first line)."""
    lines, done = [], set()
    for line in day.lines:
        if line.code not in wanted:
            lines.append(line)
            continue
        others = sum(other.units for other in day.lines if other.code == line.code and other is not line)
        units = wanted[line.code] - others if line.code not in done else line.units
        done.add(line.code)
        if units > 0:
            lines.append(replace(line, units=units))
    for code in sorted(set(wanted) - {line.code for line in day.lines}):
        if wanted[code] > 0 and day.lines:  # a code billed but not documented: priced as the therapist's
            template = day.lines[0]
            extra = replace(
                template,
                line_id=f"billed#0#{code}",
                code=code,
                units=wanted[code],
                minutes=15 * wanted[code],
                assistant_minutes=0,
                modifiers=(),
            )
            lines.append(extra)
    return replace(day, lines=tuple(lines))


def _priced(day: BillingDay, reference: object) -> dict[str, Decimal]:
    outcome = evaluate_billing_day(day, empty_accrual(day.beneficiary_key), reference)  # type: ignore[arg-type]
    amounts: dict[str, Decimal] = {}
    for line in outcome.lines:
        if line.expected_amount is not None:
            amounts[line.code] = amounts.get(line.code, ZERO) + line.expected_amount
    return amounts


def _assistant_share(day: BillingDay, line_key: str, reference: object) -> Decimal | None:
    """The line's amount as the rules price it, less its amount were the assistant's minutes the therapist's."""
    line_id = line_key.split(":")[0]
    alone = replace(day, lines=tuple(replace(x, assistant_minutes=0) if x.line_id == line_id else x for x in day.lines))
    now = _line_amount(day, line_id, reference)
    without = _line_amount(alone, line_id, reference)
    return None if now is None or without is None else now - without


def _line_amount(day: BillingDay, line_id: str, reference: object) -> Decimal | None:
    outcome = evaluate_billing_day(day, empty_accrual(day.beneficiary_key), reference)  # type: ignore[arg-type]
    amounts = [line.expected_amount for line in outcome.lines if line.line_id == line_id]
    if not amounts or any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), ZERO)
