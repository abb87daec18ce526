"""What a correction of an encounter may change (not its billing day) and what it must say (who and why)."""

from __future__ import annotations

import pytest

from otrcm_intake.domain.correction_rules import billing_day_changes, not_voided, note_problems

pytestmark = pytest.mark.unit

DAY = {"patient_key": "pk-1", "date_of_service": "2026-03-02", "payer_id": "medicare-wps-j5",
       "billing_provider_npi": "1234567893", "discipline": "OT", "place_of_service": "11"}  # fmt: skip


def test_changing_what_was_furnished_keeps_the_day() -> None:
    assert billing_day_changes(DAY, {**DAY, "place_of_service": "12", "lines": []}) == []


@pytest.mark.parametrize(
    ("field", "path"),
    [("patient_key", "encounter.patient_id"), ("date_of_service", "encounter.date_of_service"),
     ("payer_id", "encounter.payer_id"), ("billing_provider_npi", "encounter.billing_provider_npi"),
     ("discipline", "encounter.discipline")],
)  # fmt: skip
def test_each_field_of_the_billing_day_is_named_when_it_changes_and_its_value_never_quoted(
    field: str, path: str
) -> None:
    [problem] = billing_day_changes(DAY, {**DAY, field: "CHANGED"})
    assert (problem.path, problem.rule) == (path, "correction.same_billing_day")
    assert "CHANGED" not in problem.message
    assert DAY[field] not in problem.message


def test_who_and_why_are_required() -> None:
    assert [p.rule for p in note_problems("", None, "corrected_by")] == ["correction.who", "correction.why"]
    assert [p.path for p in note_problems(" ", "x" * 501, "voided_by")] == ["voided_by", "reason"]
    assert note_problems("staff-17", "minutes were 40", "corrected_by") == []


def test_a_voided_encounter_is_not_corrected() -> None:
    assert [p.rule for p in not_voided(True)] == ["encounter.not_voided"]
    assert not_voided(False) == []
