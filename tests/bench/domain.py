"""Part 4, the pure domain: units calculations and modifier-rule evaluations per second, each beside a
trivial loop over the same days measured in the same run (ratio = trivial loop / domain)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import Any

from otrcm_modifiers.adapters.reference import day_reference
from otrcm_modifiers.domain import Attestations, BillingDay, DayLine, DayReference, empty_accrual, evaluate_billing_day
from otrcm_shared.events.encounters import Discipline
from otrcm_shared.refdata import CodeCatalog
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicies
from otrcm_units.domain import UnitMethod
from tests.bench.bench_units import baseline_pass, build_days, measure, units_pass

MODIFIER_PAYERS = ("medicare-wps-j5", "blue-commercial-ama")
MODIFIER_CODES = ("97530", "97110", "97535", "97140")
ATTESTED = Attestations(medical_necessity_documented=True, distinct_time_blocks=True)
LOCALITY = "MO-99"

ModifierDay = tuple[BillingDay, DayReference]


def build_modifier_days(count: int, seed: int) -> list[ModifierDay]:
    """Seeded days of 1-4 timed OT lines (20-60 minutes, some with assistant minutes), Medicare and
    commercial, 2025-06..2025-11, each with the reference data the service would use for it."""
    rng = random.Random(seed)
    references: dict[tuple[date, str], DayReference] = {}
    policies = {}
    days: list[ModifierDay] = []
    for i in range(count):
        on = date(2025, rng.randint(6, 11), rng.randint(1, 28))
        payer = MODIFIER_PAYERS[i % len(MODIFIER_PAYERS)]
        if (on, payer) not in references:
            references[(on, payer)] = day_reference(on, payer)
            policies[(on, payer)] = PayerModifierPolicies.builtin(on).get(payer)
        codes = rng.sample(MODIFIER_CODES, rng.choice((1, 2, 2, 3, 3, 4)))
        lines = []
        for n, code in enumerate(codes, start=1):
            minutes = rng.randint(20, 60)
            assistant = rng.choice((0, 0, 0, minutes // 2))
            lines.append(
                DayLine(
                    line_id=f"enc-{i}#{n}#{code}",
                    code=code,
                    units=max(1, (minutes + 7) // 15),
                    minutes=minutes,
                    assistant_minutes=assistant,
                    discipline=Discipline.OT,
                    attestations=ATTESTED,
                )
            )
        day = BillingDay(f"pk-{i % 500}", on, payer, policies[(on, payer)], LOCALITY, tuple(lines))
        days.append((day, references[(on, payer)]))
    return days


def modifiers_pass(days: Sequence[ModifierDay]) -> None:
    for day, reference in days:
        evaluate_billing_day(day, empty_accrual(day.beneficiary_key), reference)


def modifiers_baseline_pass(days: Sequence[ModifierDay]) -> None:
    """The yardstick: touch every line of every day and add its units."""
    for day, _ in days:
        total = 0
        for line in day.lines:
            total += line.units


def run_domain(seconds: float, units_days: int, modifier_days: int, seed: int = 20_250_101) -> dict[str, Any]:
    catalog = CodeCatalog.builtin(date(2025, 1, 1))
    days = build_days(units_days, seed)
    units_baseline = measure(seconds, days, baseline_pass)
    figures: dict[str, Any] = {
        "units_days_in_mix": len(days),
        "units_baseline_days_per_second": round(units_baseline.median),
    }
    for method in (UnitMethod.CMS, UnitMethod.AMA):
        rate = measure(seconds, days, units_pass(method, catalog))
        figures[f"units_{method.value}_days_per_second"] = round(rate.median)
        figures[f"units_{method.value}_baseline_ratio"] = round(units_baseline.median / rate.median, 1)
    mdays = build_modifier_days(modifier_days, seed)
    mod_baseline = measure(seconds, mdays, modifiers_baseline_pass)
    mod_rate = measure(seconds, mdays, modifiers_pass)
    figures.update(
        modifier_days_in_mix=len(mdays),
        modifier_payers=list(MODIFIER_PAYERS),
        modifier_baseline_days_per_second=round(mod_baseline.median),
        modifier_days_per_second=round(mod_rate.median),
        modifier_baseline_ratio=round(mod_baseline.median / mod_rate.median, 1),
    )
    return figures
