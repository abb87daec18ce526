"""NCCI PTP pairs: 97140 (column 1) / 97530 (column 2), modifier indicator 1 (docs/billing-rules.md#8-ncci-and-mue)."""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_modifiers.domain import HeldReason
from otrcm_shared.refdata.ncci_edits import ModifierIndicator, PtpEdit, PtpEdits
from tests.unit.modifiers.builders import MEDICAID_LIKE_POLICY, NOT_ATTESTED, by_key, line, reference, run_day

pytestmark = pytest.mark.unit

DAY = date(2025, 6, 2)
SHIPPED = PtpEdits.builtin(DAY)  # the labelled sample: the pair docs/billing-rules.md#8-ncci-and-mue states
WITH_PAIR = reference(DAY, ptp=SHIPPED)


def test_the_shipped_pair_list_is_a_labelled_sample_with_the_stated_pair() -> None:
    assert SHIPPED.is_sample
    edit = SHIPPED.pair("97140", "97530")
    assert edit is not None
    assert edit.modifier_indicator is ModifierIndicator.ALLOWED


def test_97140_and_97530_with_distinct_time_blocks_put_xu_on_97530() -> None:
    outcome = run_day(DAY, line("mt", "97140", 1), line("ta", "97530", 2), ref=WITH_PAIR)
    results = by_key(outcome)
    assert results["ta"].modifiers == ("GO", "XU")
    assert results["mt"].modifiers == ("GO",)
    assert results["ta"].rules[1].rule_id == "column_two_code_needs_distinct_service"


def test_the_distinct_modifier_is_the_payers_choice() -> None:
    outcome = run_day(DAY, line("mt", "97140", 1), line("ta", "97530", 1), ref=WITH_PAIR, policy=MEDICAID_LIKE_POLICY)
    assert by_key(outcome)["ta"].modifiers == ("GO", "59")


def test_97140_and_97530_without_the_attestation_hold_97530() -> None:
    outcome = run_day(
        DAY,
        line("mt", "97140", 1, attestations=NOT_ATTESTED),
        line("ta", "97530", 2, attestations=NOT_ATTESTED, modifiers=("59",)),
        ref=WITH_PAIR,
    )
    results = by_key(outcome)
    assert results["ta"].held == (HeldReason.NCCI_PAIR_NOT_DISTINCT,)
    assert "59" not in results["ta"].modifiers  # never just to pass the edit
    assert results["mt"].held == ()


def test_97530_alone_needs_no_modifier() -> None:
    outcome = run_day(DAY, line("ta", "97530", 2), ref=WITH_PAIR)
    assert outcome.lines[0].modifiers == ("GO",)


def test_indicator_zero_is_never_bypassed() -> None:
    fixture = PtpEdits(
        [PtpEdit(column1="97530", column2="97535", modifier_indicator=ModifierIndicator.NOT_ALLOWED)],
        "fixture",
        "test fixture, not a CMS edit",
        is_sample=True,
    )
    outcome = run_day(DAY, line("a", "97530", 1), line("b", "97535", 1), ref=reference(DAY, ptp=fixture))
    assert by_key(outcome)["b"].held == (HeldReason.NCCI_PAIR_NOT_BYPASSABLE,)


def test_a_deleted_edit_no_longer_applies() -> None:
    edit = PtpEdit(
        column1="97140",
        column2="97530",
        modifier_indicator=ModifierIndicator.ALLOWED,
        effective=date(2020, 1, 1),
        deleted=date(2025, 4, 1),
    )
    assert edit.in_effect(date(2025, 3, 31))
    assert not edit.in_effect(date(2025, 4, 1))


def test_held_column_two_lines_are_not_priced_or_accrued() -> None:
    outcome = run_day(
        DAY,
        line("mt", "97140", 1),
        line("ta", "97530", 2, attestations=NOT_ATTESTED),
        ref=WITH_PAIR,
    )
    assert by_key(outcome)["ta"].expected_amount is None
    assert outcome.accrual_estimates[0].own == by_key(outcome)["mt"].expected_amount
