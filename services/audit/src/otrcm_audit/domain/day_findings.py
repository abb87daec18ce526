"""One documented day against the claim that billed it: unbilled, held by the gate yet billed, units, modifiers.

Pure. What the day *should* bill comes in as :class:`ExpectedDay`, made by the pipeline's own rules (units,
poc gate, modifiers); this module only compares and prices the differences with the day's own repricers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal

from otrcm_audit.domain.findings import Category, Finding
from otrcm_audit.domain.model import AuditSettings, BilledLine, ExpectedDay, ExpectedLine
from otrcm_audit.domain.rules import DISTINCT_SERVICE_MODIFIERS, HOLD_CATEGORIES, KX_HOLD, RULES

ZERO = Decimal(0)


def finding(category: Category, day: ExpectedDay, amount: Decimal, **fields: object) -> Finding:
    rule, source = RULES[category]
    base = Finding(category, day.date_of_service, day.payer_id, amount, rule, source, provisional=day.provisional)
    return replace(base, **fields)  # type: ignore[arg-type]


def unbilled_findings(day: ExpectedDay, settings: AuditSettings) -> list[Finding]:
    """A day no accepted claim billed: recoverable while the payer's timely filing limit allows.

    Not a finding: a day the gate holds (not billing it is right), a day younger than the billing lag, or a
    day whose lines bill nothing."""
    age = (settings.as_of - day.date_of_service).days
    if day.holds or age <= settings.billing_lag_days:
        return []
    left = None if day.timely_filing_days is None else day.timely_filing_days - age
    late = left is not None and left <= settings.filing_warning_days
    category = Category.TIMELY_FILING_RISK if late else Category.ENCOUNTER_UNBILLED
    found = []
    for encounter_id in day.encounter_ids:
        if not any(line.billable for line in day.lines if line.encounter_id == encounter_id):
            continue  # every line held (or no unit earned): the pipeline would not bill it either
        amount = day.amount(encounter_id)
        words = f"documented {age} days before the audit date; no claim billed it"
        if left is not None and left < 0:
            words += f"; the payer's {day.timely_filing_days}-day filing limit passed {-left} days ago"
        elif left is not None:
            words += f"; {left} days left of the payer's {day.timely_filing_days}-day filing limit"
        found.append(finding(category, day, amount, encounter_id=encounter_id, evidence=words))
    return found


def hold_findings(day: ExpectedDay, claim_id: str) -> list[Finding]:
    """A billed day the plan-of-care gate would have held: its amount is at risk of denial or recoupment."""
    found: dict[tuple[str, Category], list[str]] = {}
    for hold in day.holds:
        category = HOLD_CATEGORIES.get(hold.reason)
        if category is not None:
            found.setdefault((hold.encounter_id, category), []).append(f"{hold.reason}: {hold.message}")
    return [
        finding(
            category,
            day,
            -day.amount(encounter_id),
            encounter_id=encounter_id,
            claim_id=claim_id,
            evidence="billed while the gate holds it; " + "; ".join(messages),
        )
        for (encounter_id, category), messages in found.items()
    ]


def _units_by_code(lines: Iterable[ExpectedLine] | Iterable[BilledLine]) -> dict[str, int]:
    units: dict[str, int] = {}
    for line in lines:
        units[line.code] = units.get(line.code, 0) + line.units
    return units


def units_findings(day: ExpectedDay, billed: tuple[BilledLine, ...], claim_id: str) -> list[Finding]:
    """Units billed per code against the payer's method (codes tied for a unit are compared by their sum)."""
    sent = _units_by_code(billed)
    # a held line is not billed; one held only for KX that was billed anyway is a modifier finding, not units
    counted = [x for x in day.lines if x.billable or (set(x.held) == {KX_HOLD} and sent.get(x.code, 0) > 0)]
    expected = _units_by_code(counted)
    tied = sorted(day.tied_codes)
    if tied and sum(expected.get(c, 0) for c in tied) == sum(sent.get(c, 0) for c in tied):
        expected = {c: u for c, u in expected.items() if c not in day.tied_codes}
        sent = {c: u for c, u in sent.items() if c not in day.tied_codes}
    differing = sorted(code for code in set(expected) | set(sent) if expected.get(code, 0) != sent.get(code, 0))
    if not differing:
        return []
    as_expected, as_billed = day.reprice(_with_all(expected, day)), day.reprice(_with_all(sent, day))
    found = []
    for code in differing:
        should, did = expected.get(code, 0), sent.get(code, 0)
        amount = as_expected.get(code, ZERO) - as_billed.get(code, ZERO)
        category = Category.UNITS_UNDERBILLED if did < should else Category.UNITS_OVERBILLED
        words = f"{code}: billed {did} units, the {day.method.upper()} method gives {should}"
        found.append(
            finding(
                category,
                day,
                amount,
                encounter_id=_encounter_of(day, code),
                claim_id=claim_id,
                code=code,
                billed_units=did,
                expected_units=should,
                evidence=words,
            )
        )
    return found


def _with_all(units: dict[str, int], day: ExpectedDay) -> dict[str, int]:
    """Units for every code of the day (tied codes as the day has them when the sums agreed)."""
    merged = {line.code: 0 for line in day.lines}
    for code in day.tied_codes:
        merged[code] = day.units_of(code)
    merged.update(units)
    return merged


def _encounter_of(day: ExpectedDay, code: str) -> str | None:
    return next((line.encounter_id for line in day.lines if line.code == code), day.encounter_ids[0])


def modifier_findings(day: ExpectedDay, billed: tuple[BilledLine, ...], claim_id: str) -> list[Finding]:
    """GO, KX, CO and 59/XU the rules put on a line that the claim's lines of that code do not carry."""
    found: list[Finding] = []
    billed_codes = {line.code for line in billed}
    for code in sorted({line.code for line in day.lines} & billed_codes):
        sent = {modifier for line in billed if line.code == code for modifier in line.modifiers}
        lines = [line for line in day.lines if line.code == code]
        checks: list[tuple[Category, Callable[[ExpectedLine], bool], bool]] = [
            (Category.MODIFIER_MISSING_GO, lambda line: "GO" in line.modifiers, "GO" not in sent),
            (Category.MODIFIER_MISSING_KX, _needs_kx, "KX" not in sent),
            (Category.MODIFIER_MISSING_CO, lambda line: "CO" in line.modifiers, "CO" not in sent),
            (
                Category.NCCI_UNMODIFIED_PAIR,
                lambda line: bool(DISTINCT_SERVICE_MODIFIERS & set(line.modifiers)),
                not DISTINCT_SERVICE_MODIFIERS & sent,
            ),
        ]
        for category, needs, missing in checks:
            wanting = [line for line in lines if needs(line)]
            if wanting and missing:
                found.append(_modifier_finding(category, day, wanting, sent, claim_id))
    return found


def _needs_kx(line: ExpectedLine) -> bool:
    return "KX" in line.modifiers or KX_HOLD in line.held


def _modifier_finding(
    category: Category, day: ExpectedDay, lines: list[ExpectedLine], sent: set[str], claim_id: str
) -> Finding:
    code = lines[0].code
    priced = sum((line.amount for line in lines if line.amount is not None), ZERO)
    if category is Category.MODIFIER_MISSING_CO:  # negative: billed as the therapist's, owed at the CO rate
        line_ids = sorted({line.line_key.split(":")[0] for line in lines})
        shares = [day.reprice_without_assistant(line_id) for line_id in line_ids]
        amount = sum((share for share in shares if share is not None), ZERO)
    else:
        amount = priced
    wanted = sorted(
        {m for line in lines for m in line.modifiers} | ({"KX"} if any(_needs_kx(x) for x in lines) else set())
    )
    words = f"{code}: billed with [{' '.join(sorted(sent)) or 'no modifier'}], the rules give [{' '.join(wanted)}]"
    units = sum(line.units for line in lines)
    return finding(
        category,
        day,
        amount,
        encounter_id=lines[0].encounter_id,
        claim_id=claim_id,
        code=code,
        expected_units=units,
        billed_units=units,
        evidence=words,
    )
