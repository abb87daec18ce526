"""Properties that hold for any input: the accrual adds up, KX never appears at or below the threshold,
and the assistant split never loses a unit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otrcm_modifiers.domain import (
    DayContribution,
    LineAmount,
    SeededAmount,
    SeedOrigin,
    accrued,
    apply_day_contribution,
    empty_accrual,
    seed,
    split_units_by_who_furnished_them,
)
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from tests.unit.modifiers.builders import BENEFICIARY, FIXTURE_FEES, line, run_day

pytestmark = pytest.mark.unit

OT = ThresholdBucket.OT
START = date(2025, 1, 1)
cents = st.integers(min_value=0, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2))


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=20), st.lists(cents, max_size=4)),
        max_size=25,
    )
)
def test_the_accrual_total_is_the_sum_of_each_days_latest_contribution(
    operations: list[tuple[int, list[Decimal]]],
) -> None:
    accrual = empty_accrual(BENEFICIARY)
    latest: dict[date, list[Decimal]] = {}
    for offset, amounts in operations:
        billing_day = START + timedelta(days=offset)
        lines = tuple(LineAmount(f"{offset}-{i}", amount) for i, amount in enumerate(amounts))
        accrual = apply_day_contribution(accrual, DayContribution(billing_day, OT, lines))
        latest[billing_day] = amounts
    assert accrued(accrual, 2025, OT).total == sum((sum(a, Decimal(0)) for a in latest.values()), Decimal(0))
    assert all(day.lines for day in accrual.days)


codes = st.sampled_from(["97530", "97110", "97140"])


@settings(max_examples=60, deadline=None)
@given(
    seeded=st.integers(min_value=0, max_value=300_000).map(lambda c: Decimal(c).scaleb(-2)),
    day_lines=st.lists(st.tuples(codes, st.integers(min_value=1, max_value=4)), min_size=1, max_size=5),
)
def test_kx_exactly_when_the_running_total_is_above_the_threshold(
    seeded: Decimal, day_lines: list[tuple[str, int]]
) -> None:
    threshold = Decimal("2410.00")  # shipped 2025 OT threshold
    accrual = seed(empty_accrual(BENEFICIARY), SeededAmount("s", 2025, OT, seeded, SeedOrigin.MANUAL_ENTRY))
    lines = [line(f"l{i}", code, units) for i, (code, units) in enumerate(day_lines)]
    outcome = run_day(date(2025, 6, 2), *lines, accrual=accrual)
    running = seeded
    for (code, units), result in zip(day_lines, outcome.lines, strict=True):
        running += FIXTURE_FEES[code] * units
        assert ("KX" in result.modifiers) == (running > threshold)


@given(
    minutes=st.integers(min_value=0, max_value=120),
    data=st.data(),
)
def test_the_assistant_split_keeps_every_unit_and_respects_de_minimis(minutes: int, data: st.DataObject) -> None:
    assistant = data.draw(st.integers(min_value=0, max_value=minutes))
    units = (minutes + 7) // 15
    split = split_units_by_who_furnished_them(units, minutes, assistant, timed=True)
    assert split.with_assistant + split.without_assistant == units
    if assistant * 10 <= minutes:
        assert split.with_assistant == 0
    if assistant == minutes and units:
        assert split.without_assistant == 0
