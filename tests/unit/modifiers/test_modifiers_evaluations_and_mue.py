"""One evaluation per discipline per day, and MUE unit limits (docs/billing-rules.md#8-ncci-and-mue)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from otrcm_modifiers.domain import HeldReason
from otrcm_shared.events.encounters import Discipline
from otrcm_shared.refdata.ncci_edits import MueAdjudication, MueLimit, MueLimits
from tests.unit.modifiers.builders import MEDICAID_LIKE_POLICY, by_key, line, reference, run_day

pytestmark = pytest.mark.unit

DAY = date(2025, 6, 2)
SAMPLE_MUE = MueLimits.builtin(DAY)  # the shipped, labelled sample: 97530 has 6 units per date of service


def test_two_evaluations_on_one_day_hold_the_second() -> None:
    outcome = run_day(DAY, line("eval", "97165", 1, 45), line("reeval", "97168", 1, 30))
    results = by_key(outcome)
    assert results["eval"].held == ()
    assert results["reeval"].held == (HeldReason.TWO_EVALUATIONS_SAME_DAY,)
    assert "line eval already bills 97165" in results["reeval"].rules[-1].detail


def test_an_evaluation_line_with_two_units_is_held() -> None:
    outcome = run_day(DAY, line("eval", "97166", 2, 60))
    assert outcome.lines[0].held == (HeldReason.TWO_EVALUATIONS_SAME_DAY,)


def test_one_evaluation_per_discipline_not_per_day() -> None:
    outcome = run_day(
        DAY,
        line("ot", "97165", 1, 45),
        line("pt", "97110", 1, discipline=Discipline.PT),
    )
    assert all(result.held == () for result in outcome.lines)


def test_the_shipped_mue_is_labelled_as_a_sample() -> None:
    assert SAMPLE_MUE.is_sample
    limit = SAMPLE_MUE.get("97530")
    assert limit is not None
    assert limit.rationale == "sample, not a CMS value"


def test_units_one_above_the_mue_are_held() -> None:
    ref = reference(DAY, mue=SAMPLE_MUE)
    outcome = run_day(DAY, line("a", "97530", 7), ref=ref)
    (result,) = outcome.lines
    assert HeldReason.MUE_EXCEEDED in result.held
    assert "7 units of 97530 on the date of service; the MUE is 6" in result.rules[-1].detail
    assert "SAMPLE" in result.rules[-1].detail


def test_units_at_the_mue_pass() -> None:
    ref = reference(DAY, mue=SAMPLE_MUE)
    outcome = run_day(DAY, line("a", "97530", 6), ref=ref)
    assert outcome.lines[0].held == ()


def test_a_date_of_service_limit_adds_the_lines_of_the_day() -> None:
    ref = reference(DAY, mue=SAMPLE_MUE)
    outcome = run_day(DAY, line("am", "97530", 4), line("pm", "97530", 3), ref=ref)
    assert [r.held for r in outcome.lines] == [(HeldReason.MUE_EXCEEDED,), (HeldReason.MUE_EXCEEDED,)]


def test_a_line_limit_reads_each_line_alone() -> None:
    fixture = MueLimits([MueLimit(code="97530", units=4, adjudication_indicator=MueAdjudication.LINE)], "f", "t", False)
    outcome = run_day(DAY, line("am", "97530", 4), line("pm", "97530", 3), ref=reference(DAY, mue=fixture))
    assert [r.held for r in outcome.lines] == [(), ()]


def test_a_payer_without_ncci_edits_is_not_checked() -> None:
    policy = replace(MEDICAID_LIKE_POLICY, applies_ncci=False)
    outcome = run_day(DAY, line("a", "97530", 7), ref=reference(DAY, mue=SAMPLE_MUE), policy=policy)
    assert outcome.lines[0].held == ()
