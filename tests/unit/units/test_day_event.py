"""The units event of a billing day: lines traced back to their encounters, rejections with reasons."""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import UnitMethod, UnitsError
from otrcm_units.usecases.translate import billing_day_key, units_calculated
from tests.support.factories import encounter_received

pytestmark = pytest.mark.unit

CATALOG = CodeCatalog.builtin(date(2026, 3, 2))


def test_two_visits_pool_and_each_line_points_back_to_its_encounter() -> None:
    """CMS Pub. 100-04 Ch. 5 §20.2: minutes of one day pool. 97530 20 min + 97530 10 min + 97140 8 min
    = 38 min -> 3 units; 97530 (30 min) 2 full units, 97140 (8 min) takes the third unit."""
    am = encounter_received("am", lines=(("97530", 20), ("97165", 45))).payload
    pm = encounter_received("pm", lines=(("97530", 10), ("97140", 8))).payload
    event = units_calculated([am, pm], UnitMethod.CMS, CATALOG, revision=2, trigger=pm)
    assert (event.total_timed_minutes, event.total_units) == (38, 4)  # + 1 untimed evaluation
    by_line = {(line.encounter_id, line.line_number, line.code): line.units for line in event.lines}
    assert by_line[("am", 2, "97165")] == 1
    assert by_line[("pm", 2, "97140")] == 1
    assert by_line[("am", 1, "97530")] + by_line[("pm", 1, "97530")] == 2
    assert event.revision == 2
    assert event.triggered_by == "pm"
    assert event.day_key == billing_day_key(pm) == "pk-1/2026-03-02/OT/medicare-wps-j5/1234567893"
    assert event.trace, "an auditor gets the steps"


def test_without_the_explanation_the_units_are_the_same() -> None:
    """The revenue audit reads the units only: the same lines, no trace, no words."""
    am = encounter_received("am", lines=(("97530", 20), ("97110", 18))).payload
    full = units_calculated([am], UnitMethod.CMS, CATALOG, revision=1, trigger=am)
    bare = units_calculated([am], UnitMethod.CMS, CATALOG, revision=1, trigger=am, explained=False)
    assert bare.lines == full.lines
    assert bare.choices == full.choices
    assert (bare.trace, bare.explanation) == ((), "")
    assert full.trace


def test_two_billing_providers_on_one_date_are_two_billing_days() -> None:
    """Minutes pool within one billing provider's day only: another practice's visit is its own day."""
    ours = encounter_received("ours", lines=(("97530", 5),)).payload
    theirs = ours.model_copy(update={"encounter_id": "theirs", "billing_provider_npi": "1245319599"})
    assert billing_day_key(ours) != billing_day_key(theirs)
    assert billing_day_key(ours) == billing_day_key(ours.model_copy(update={"encounter_id": "again"}))


def test_an_unknown_code_is_a_units_error_naming_the_code() -> None:
    encounter = encounter_received(lines=(("97014", 15),)).payload
    with pytest.raises(UnitsError, match="97014"):
        units_calculated([encounter], UnitMethod.CMS, CATALOG, revision=1, trigger=encounter)
