"""CO when the assistant furnished more than 10% of a service, split per unit for timed codes.

Sources: CMS Pub. 100-04 Ch. 5 §20.1; CMS CQ/CO billing examples; CY 2022 PFS final rule;
docs/billing-rules.md#6-assistants-co.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_modifiers.domain import LinePart, split_units_by_who_furnished_them
from otrcm_shared.events.encounters import Discipline
from tests.unit.modifiers.builders import MEDICAID_LIKE_POLICY, by_key, line, run_day

pytestmark = pytest.mark.unit

DAY = date(2025, 6, 2)


def test_exactly_ten_percent_is_de_minimis_no_co() -> None:
    # 100 minutes of 97530 (7 units), the assistant 10 of them: 10 x 10 = 100, not more than 100
    split = split_units_by_who_furnished_them(7, 100, 10, timed=True)
    assert (split.with_assistant, split.without_assistant) == (0, 7)
    outcome = run_day(DAY, line("a", "97530", 7, 100, assistant=10))
    assert [(r.part, r.units, r.modifiers) for r in outcome.lines] == [(LinePart.WHOLE, 7, ("GO",))]


def test_eleven_percent_puts_co_on_part_of_the_line() -> None:
    # 100 minutes, assistant 11 (11%): therapist 89 = 5 whole blocks + 14 left; assistant 0 blocks + 11 left;
    # 7 units - 5 blocks = 2 units left, each did 9-14 minutes -> one unit with CO, one without.
    split = split_units_by_who_furnished_them(7, 100, 11, timed=True)
    assert (split.with_assistant, split.without_assistant) == (1, 6)
    results = by_key(run_day(DAY, line("a", "97530", 7, 100, assistant=11)))
    assert (results["a:without-assistant"].units, results["a:without-assistant"].modifiers) == (6, ("GO",))
    assert (results["a:with-assistant"].units, results["a:with-assistant"].modifiers) == (1, ("GO", "CO"))


def test_whole_blocks_go_to_whoever_furnished_them() -> None:
    # therapist 15 + assistant 15 = 30 minutes, 2 units: one block each, nothing left over
    split = split_units_by_who_furnished_them(2, 30, 15, timed=True)
    assert (split.with_assistant, split.without_assistant) == (1, 1)


def test_a_service_all_by_the_assistant_carries_co_on_every_unit() -> None:
    outcome = run_day(DAY, line("a", "97110", 2, 30, assistant=30))
    assert [(r.part, r.units, r.modifiers) for r in outcome.lines] == [(LinePart.WHOLE, 2, ("GO", "CO"))]


def test_the_final_unit_is_without_co_when_the_therapist_alone_met_eight_minutes() -> None:
    # therapist 10 + assistant 12 = 22 minutes, 1 unit: the therapist alone did 8+ of it
    split = split_units_by_who_furnished_them(1, 22, 12, timed=True)
    assert (split.with_assistant, split.without_assistant) == (0, 1)


def test_the_final_unit_is_with_co_when_the_therapist_did_not_meet_eight_minutes() -> None:
    # therapist 5 + assistant 10 = 15 minutes, 1 unit: the assistant did 10 of 15 (more than 10%)
    split = split_units_by_who_furnished_them(1, 15, 10, timed=True)
    assert (split.with_assistant, split.without_assistant) == (1, 0)


def test_two_units_left_with_each_nine_to_fourteen_minutes_split_one_and_one() -> None:
    # therapist 12 + assistant 12 = 24 minutes, 2 units
    split = split_units_by_who_furnished_them(2, 24, 12, timed=True)
    assert (split.with_assistant, split.without_assistant) == (1, 1)
    assert "each 9-14" in split.reason


def test_an_untimed_service_over_ten_percent_is_co_whole() -> None:
    split = split_units_by_who_furnished_them(1, 45, 10, timed=False)
    assert (split.with_assistant, split.without_assistant) == (1, 0)


def test_a_pt_line_gets_cq() -> None:
    outcome = run_day(DAY, line("a", "97110", 1, 15, assistant=15, discipline=Discipline.PT))
    assert outcome.lines[0].modifiers == ("GP", "CQ")


def test_a_payer_that_does_not_use_co_gets_none() -> None:
    outcome = run_day(DAY, line("a", "97530", 2, 30, assistant=30), policy=MEDICAID_LIKE_POLICY)
    assert [(r.part, r.modifiers) for r in outcome.lines] == [(LinePart.WHOLE, ("GO",))]
    assert outcome.lines[0].rules[-2].outcome == "no assistant modifier"


def test_a_leftover_outside_the_cms_examples_is_flagged() -> None:
    # 2 units for 17 minutes can only come from pooled minutes of other codes: assistant 14, therapist 3
    split = split_units_by_who_furnished_them(2, 17, 14, timed=True)
    assert split.outside_cms_examples
    assert split.with_assistant + split.without_assistant == 2
