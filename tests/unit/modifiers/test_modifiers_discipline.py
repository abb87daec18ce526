"""GO on every OT line; a wrong discipline modifier is removed and flagged (CMS Pub. 100-04 Ch. 5 §20.1)."""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_modifiers.domain import HeldReason, UnknownCode
from otrcm_shared.events.encounters import Discipline
from tests.unit.modifiers.builders import MEDICAID_LIKE_POLICY, by_key, line, run_day

pytestmark = pytest.mark.unit

DAY = date(2025, 6, 2)


def test_every_ot_therapy_line_gets_go() -> None:
    outcome = run_day(DAY, line("a", "97530", 2), line("b", "97165", 1, 45))
    assert [r.modifiers for r in outcome.lines] == [("GO",), ("GO",)]
    rule = outcome.lines[0].rules[0]
    assert rule.rule_id == "discipline_modifier_on_every_therapy_line"
    assert "§20.1" in rule.source


def test_go_is_added_for_every_payer_policy() -> None:
    outcome = run_day(DAY, line("a", "97530", 1), policy=MEDICAID_LIKE_POLICY)
    assert outcome.lines[0].modifiers == ("GO",)


def test_a_sometimes_therapy_code_on_a_plan_gets_go() -> None:
    outcome = run_day(DAY, line("a", "92526", 1), ref=None)
    assert outcome.lines[0].modifiers == ("GO",)


def test_gp_on_an_ot_plan_line_is_removed_and_flagged() -> None:
    outcome = run_day(DAY, line("a", "97530", 1, modifiers=("GP", "RT")))
    result = outcome.lines[0]
    assert result.modifiers == ("GO", "RT")
    (flag,) = result.flags
    assert flag.rule_id == "wrong_discipline_modifier_removed"
    assert flag.outcome == "removed GP"


def test_go_given_by_the_clinician_is_kept_once() -> None:
    outcome = run_day(DAY, line("a", "97530", 1, modifiers=("GO",)))
    assert outcome.lines[0].modifiers == ("GO",)
    assert outcome.lines[0].flags == ()


def test_pt_plan_lines_get_gp() -> None:
    outcome = run_day(DAY, line("a", "97110", 1, discipline=Discipline.PT))
    assert outcome.lines[0].modifiers == ("GP",)


def test_an_ot_evaluation_on_a_pt_plan_is_held() -> None:
    outcome = run_day(DAY, line("a", "97165", 1, 45, discipline=Discipline.PT))
    assert outcome.lines[0].held == (HeldReason.CODE_NOT_OF_PLAN_DISCIPLINE,)


def test_an_orthosis_code_is_not_a_therapy_line_and_keeps_its_modifiers() -> None:
    outcome = run_day(DAY, line("a", "L3808", 1, 0, modifiers=("RT", "KX")))
    assert outcome.lines[0].modifiers == ("RT", "KX")


def test_a_given_kx_is_re_derived_not_trusted() -> None:
    outcome = run_day(DAY, line("a", "97530", 1, modifiers=("KX",)))
    result = by_key(outcome)["a"]
    assert "KX" not in result.modifiers  # nowhere near the threshold
    assert any(r.outcome == "removed given KX" for r in result.rules)


def test_an_unknown_code_names_the_line() -> None:
    with pytest.raises(UnknownCode, match="line a: code 97014"):
        run_day(DAY, line("a", "97014", 1))
