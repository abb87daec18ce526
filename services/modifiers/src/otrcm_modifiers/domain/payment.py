"""Expected allowed amount per line: Medicare PFS with MPPR and the assistant share, or a fee schedule.

Medicare (42 CFR 414.22-414.26; CMS Pub. 100-04 Ch. 5 §10.7; SSA §1834(v); docs/billing-rules.md#6-assistants-co,
docs/billing-rules.md#7-payment-and-mppr):
one unit = [work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI] x CF, with the non-facility PE
RVU (outpatient therapy practice) and the GPCIs of the billing location's locality. MPPR: among the day's
therapy units (PPRRVU multiple-procedure indicator 5) the single unit with the highest PE is paid in full
and every other unit gets ``mppr_later_unit_pe_share`` (50%) of its PE payment. A line with the assistant
modifier is then paid ``assistant_line_share`` (85% from 2022) of that amount: the two reductions stack.

Rounding (documented choice): unit amounts are kept exact; a line's amount is summed over its units,
multiplied by the assistant share, and rounded once, half-up to the cent. A MAC may round per unit, so
an estimate can differ from a remittance by a cent per unit.

Ties for the full-PE unit go to the earlier line, and within a split line to the part without the
assistant; which unit is ranked first does not change a day's total unless the parts are paid differently.

Other payers: the tenant fee schedule's amount per unit x units, rounded to the cent; no MPPR or
assistant share is applied (those are Medicare rules; a contract that has them is not modelled).

An expected amount is advisory: it never holds a line. A dataset without a version for the date is
carried forward from its newest earlier version (``MedicarePfsValues.provisional``); the line's ``basis``
names the versions used, and the rule result says the estimate is provisional. A line that cannot be
priced at all is flagged, not held.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from otrcm_modifiers.domain import sources
from otrcm_modifiers.domain.model import LinePart
from otrcm_modifiers.domain.working_line import ModifierRank, WorkingLine
from otrcm_shared.refdata.medicare_pfs import CodeRvus, LocalityGpci, MedicarePfsValues

MEDICARE_RULE = "medicare_expected_amount"
FEE_SCHEDULE_RULE = "fee_schedule_expected_amount"
CENT = Decimal("0.01")
FULL = Decimal(1)


def to_cents(amount: Decimal) -> Decimal:
    """Round a dollar amount half-up to the cent (the only rounding step of this module)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def unit_amount(rvus: CodeRvus, gpci: LocalityGpci, conversion_factor: Decimal, pe_share: Decimal = FULL) -> Decimal:
    """One unit's Medicare amount, unrounded, with ``pe_share`` of its practice-expense payment."""
    work = rvus.work * gpci.work
    practice_expense = rvus.pe_nonfacility * gpci.pe * pe_share
    malpractice = rvus.mp * gpci.mp
    return (work + practice_expense + malpractice) * conversion_factor


@dataclass(frozen=True, slots=True)
class _Priced:
    position: int
    entry: WorkingLine
    rvus: CodeRvus


def medicare_expected_amounts(
    lines: Sequence[WorkingLine], pricing: MedicarePfsValues | None, locality: str
) -> tuple[WorkingLine, ...]:
    """Rule: each billed line's Medicare expected amount, with MPPR across the day and the assistant share.

    Held lines and lines without units are not priced (their amount stays None), and take no part in
    MPPR: they are not on the claim.
    """
    gpci = pricing.gpcis.get(locality) if pricing is not None else None
    if pricing is None or gpci is None:
        why = "no Medicare PFS values for the date" if pricing is None else f"no GPCIs for locality {locality}"
        return tuple(
            _unpriced(entry, f"{why}; load them with otrcm_modifiers.adapters.refdata_files") for entry in lines
        )
    priced: list[_Priced] = []
    result: dict[int, WorkingLine] = {}
    for position, entry in enumerate(lines):
        rvus = pricing.rvus.get(entry.code) if entry.billed else None
        if entry.billed and rvus is None:
            result[position] = _unpriced(entry, f"{entry.code} has no RVUs in {pricing.rvus.version}")
        elif rvus is None:
            result[position] = entry
        else:
            priced.append(_Priced(position, entry, rvus))
    paid_in_full = _unit_paid_in_full(priced)
    cf = pricing.conversion_factor.amount
    for item in priced:
        entry, rvus = item.entry, item.rvus
        full_units = 1 if item.position == paid_in_full else 0
        reduced_units = entry.units - full_units if rvus.therapy_mppr_applies else 0
        full_units = entry.units - reduced_units
        amount = full_units * unit_amount(rvus, gpci, cf) + reduced_units * unit_amount(
            rvus, gpci, cf, pricing.shares.mppr_later_unit_pe_share
        )
        assisted = any(rank is ModifierRank.ASSISTANT for rank, _ in entry.added)
        if assisted:
            amount *= pricing.shares.assistant_line_share
        cents = to_cents(amount)
        detail = _medicare_detail(entry, rvus, gpci, pricing, full_units, reduced_units, assisted, cents)
        outcome = f"${cents} provisional" if pricing.provisional else f"${cents}"
        result[item.position] = replace(entry, amount=cents, basis=pricing.datasets_used).noting(
            MEDICARE_RULE, f"{sources.MEDICARE_PFS}; {sources.MPPR}; {sources.ASSISTANT_PAYMENT}", outcome, detail
        )
    return tuple(result[i] for i in range(len(lines)))


def _unit_paid_in_full(priced: Sequence[_Priced]) -> int | None:
    """The position of the line whose first unit keeps its full PE: highest PE RVU, then line order."""
    candidates = [item for item in priced if item.rvus.therapy_mppr_applies and item.entry.units > 0]
    if not candidates:
        return None
    part_order = {LinePart.WHOLE: 0, LinePart.WITHOUT_ASSISTANT: 0, LinePart.WITH_ASSISTANT: 1}
    best = min(candidates, key=lambda item: (-item.rvus.pe_nonfacility, item.entry.index, part_order[item.entry.part]))
    return best.position


def _medicare_detail(
    entry: WorkingLine,
    rvus: CodeRvus,
    gpci: LocalityGpci,
    pricing: MedicarePfsValues,
    full_units: int,
    reduced_units: int,
    assisted: bool,
    cents: Decimal,
) -> str:
    cf = pricing.conversion_factor.amount
    work, pe, mp = f"{rvus.work} x {gpci.work}", f"{rvus.pe_nonfacility} x {gpci.pe}", f"{rvus.mp} x {gpci.mp}"
    share = pricing.shares.mppr_later_unit_pe_share
    parts = [
        f"{entry.code} x{entry.units} in {gpci.locality}: unit = ({work} + {pe} + {mp}) x {cf}",
        f"{full_units} unit(s) with full PE, {reduced_units} with {share} of PE (MPPR)",
    ]
    if assisted:
        parts.append(f"assistant line at {pricing.shares.assistant_line_share}")
    parts.append(f"= ${cents} (rounded half-up to the cent once per line)")
    parts.append(f"RVUs {pricing.rvus.version}, GPCIs {pricing.gpcis.version}, CF {pricing.conversion_factor.version}")
    if pricing.provisional:
        carried = ", ".join(f"{used.dataset} {used.version}" for used in pricing.provisional)
        parts.append(f"PROVISIONAL: no {_carried_years(pricing)} version of {carried} is loaded; carried forward")
    return "; ".join(parts)


def _carried_years(pricing: MedicarePfsValues) -> str:
    years = {used.year for used in pricing.provisional if used.year is not None}
    return "/".join(str(year) for year in sorted(years)) or "current"


def fee_schedule_expected_amounts(
    lines: Sequence[WorkingLine], schedule: Mapping[str, Decimal], payer_id: str
) -> tuple[WorkingLine, ...]:
    """Rule: a non-Medicare line's expected amount is the tenant fee schedule amount x units."""
    result = []
    for entry in lines:
        if not entry.billed:
            result.append(entry)
            continue
        per_unit = schedule.get(entry.code)
        if per_unit is None:
            result.append(_unpriced(entry, f"the fee schedule of {payer_id} has no amount for {entry.code}"))
            continue
        cents = to_cents(per_unit * entry.units)
        result.append(
            replace(entry, amount=cents).noting(
                FEE_SCHEDULE_RULE,
                sources.FEE_SCHEDULE,
                f"${cents}",
                f"{entry.code}: ${per_unit} x {entry.units} = ${cents}",
            )
        )
    return tuple(result)


def _unpriced(entry: WorkingLine, why: str) -> WorkingLine:
    if not entry.billed:
        return entry
    return entry.noting(MEDICARE_RULE, sources.MEDICARE_PFS, "no expected amount", why, flag=True)
