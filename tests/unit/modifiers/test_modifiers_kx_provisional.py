"""KX under uncertainty: a provisional total within the margin (5% of the threshold, dataset
kx_provisional_margin) is decided as if it crossed the threshold; the line's rule result says so.

2026 (CMS RVU26C, CF 33.4009, GPCI2025 MO-01 carried forward, so every 2026 estimate is provisional):
97530 one unit = (0.44 x 1.000 + 0.60 x 0.952 + 0.01 x 0.994) x 33.4009 = 34.10699503 -> $34.11.
OT threshold 2026 $2,480.00; margin 5% = $124.00, so totals from $2,356.00 to $2,480.00 count as crossing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otrcm_modifiers.domain import DayOutcome, HeldReason
from otrcm_modifiers.domain.kx_threshold import decided_as_crossing
from otrcm_shared.refdata.medicare_pfs import MedicarePfsValues
from otrcm_shared.refdata.payer_modifier_policy import MEDICARE_POLICY
from otrcm_shared.refdata.therapy_limits import SourcedAmount, kx_provisional_margin
from tests.unit.modifiers.builders import NOT_ATTESTED, line, reference, run_day, seeded_ot

pytestmark = pytest.mark.unit

DAY = date(2026, 10, 14)


def _day(seed: str, attested: bool = True) -> DayOutcome:
    ref = reference(DAY, medicare=MedicarePfsValues.builtin(DAY))
    entry = line("a", "97530", 1) if attested else line("a", "97530", 1, attestations=NOT_ATTESTED)
    return run_day(DAY, entry, ref=ref, policy=MEDICARE_POLICY, accrual=seeded_ot(seed, 2026))


def test_the_margin_is_five_percent_of_the_threshold_as_data() -> None:
    assert kx_provisional_margin(DAY).amount == Decimal("0.05")


def test_a_provisional_total_within_the_margin_gets_kx_when_attested() -> None:
    # 2,400.00 + 34.11 = 2,434.11: not above 2,480.00, but provisional and >= 2,356.00
    (result,) = _day("2400.00").lines
    assert result.modifiers == ("GO", "KX")
    kx = next(r for r in result.rules if r.rule_id == "kx_required_once_threshold_exceeded")
    assert "$2434.11" in kx.detail
    assert "decided as if crossing it" in kx.detail
    assert "$124.00 margin" in kx.detail


def test_a_provisional_total_within_the_margin_is_held_without_the_attestation() -> None:
    (result,) = _day("2400.00", attested=False).lines
    assert result.held == (HeldReason.KX_NEEDS_ATTESTATION,)
    assert "decided as if crossing it" in result.rules[-1].detail


def test_a_provisional_total_below_the_margin_gets_no_kx() -> None:
    # 2,300.00 + 34.11 = 2,334.11 < 2,356.00
    (result,) = _day("2300.00").lines
    assert result.modifiers == ("GO",)
    assert result.rules[-1].outcome == "no KX"


def test_only_a_provisional_total_uses_the_margin() -> None:
    threshold = SourcedAmount(amount=Decimal("2480.00"), version="2026", source="t", dataset="therapy_thresholds")
    assert not decided_as_crossing(Decimal("2470.00"), threshold, provisional=False, margin=Decimal("0.05"))
    assert decided_as_crossing(Decimal("2470.00"), threshold, provisional=True, margin=Decimal("0.05"))
    assert decided_as_crossing(Decimal("2356.00"), threshold, provisional=True, margin=Decimal("0.05"))
    assert not decided_as_crossing(Decimal("2355.99"), threshold, provisional=True, margin=Decimal("0.05"))
    carried = threshold.model_copy(update={"provisional": True})
    assert decided_as_crossing(Decimal("2470.00"), carried, provisional=False, margin=Decimal("0.05"))
