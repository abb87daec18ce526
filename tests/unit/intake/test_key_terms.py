"""What a key may do and until when (domain/key_terms.py), and what a patient read shows (minimum_necessary.py)."""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_intake.domain.key_terms import (
    DEFAULT_SCOPES,
    LEGACY_TERMS,
    KeyTerms,
    Scope,
    UnknownScope,
    expiry_problem,
    first_refused_day,
    refusal,
    scopes_from,
    scopes_text,
)
from otrcm_intake.domain.minimum_necessary import kept_coverage, mask_member_id, shown_coverage
from otrcm_intake.domain.record_rules import validate_patient
from otrcm_intake.domain.submissions import PatientSubmission
from otrcm_shared.events.patients import Coverage
from otrcm_shared.refdata import PayerProfiles
from tests.support.intake_samples import patient

pytestmark = pytest.mark.unit

TODAY = date(2026, 3, 20)


def test_a_key_holding_the_scope_passes_and_one_lacking_it_is_refused_403_naming_the_scope() -> None:
    reader = KeyTerms(frozenset({Scope.READ}))
    assert refusal(reader, Scope.READ, TODAY) is None
    why = refusal(reader, Scope.SUBMIT, TODAY)
    assert why is not None
    assert (why.status, why.violation.rule) == (403, "auth.scope.submit")
    assert "'submit'" in why.violation.message
    assert refusal(KeyTerms(frozenset({Scope.ADMIN})), Scope.READ, TODAY) is not None, "admin does not imply read"


def test_a_key_is_refused_401_from_its_expiry_date_on_and_expiry_comes_before_the_scope() -> None:
    terms = KeyTerms(frozenset({Scope.READ}), expires_on=date(2026, 3, 21))
    assert refusal(terms, Scope.READ, TODAY) is None, "the day before its expiry date it still works"
    for day in (date(2026, 3, 21), date(2026, 4, 30)):
        why = refusal(terms, Scope.READ, day)
        assert why is not None
        assert (why.status, why.violation.rule) == (401, "auth.key_expired")
    lacking = refusal(terms, Scope.ADMIN, date(2026, 3, 21))
    assert lacking is not None
    assert lacking.status == 401, "an expired key learns nothing about its scopes"


def test_keys_made_before_scopes_keep_submit_and_read_and_never_expire() -> None:
    assert LEGACY_TERMS.scopes == DEFAULT_SCOPES == {Scope.SUBMIT, Scope.READ}
    assert refusal(LEGACY_TERMS, Scope.SUBMIT, date(2099, 1, 1)) is None
    assert refusal(LEGACY_TERMS, Scope.ADMIN, TODAY) is not None


def test_scopes_are_read_and_written_in_one_order_and_an_unknown_one_is_named() -> None:
    assert scopes_from(["READ", " submit"]) == {Scope.READ, Scope.SUBMIT}
    assert scopes_text({Scope.ADMIN, Scope.SUBMIT}) == "submit admin"
    assert scopes_from(scopes_text(set(Scope)).split()) == set(Scope)
    with pytest.raises(UnknownScope, match="'write'"):
        scopes_from(["write"])


def test_a_rotated_key_stops_after_its_grace_days_and_a_new_expiry_must_be_after_the_business_date() -> None:
    assert first_refused_day(TODAY, 0) == TODAY
    assert first_refused_day(TODAY, 7) == date(2026, 3, 27)
    with pytest.raises(ValueError, match="grace"):
        first_refused_day(TODAY, -1)
    with pytest.raises(ValueError, match="grace"):
        first_refused_day(TODAY, 91)
    assert expiry_problem(None, TODAY) is None
    assert expiry_problem(date(2026, 3, 21), TODAY) is None
    assert expiry_problem(TODAY, TODAY) is not None
    assert expiry_problem(date(2026, 1, 1), TODAY) is not None


def test_a_member_id_shows_only_its_last_four_characters() -> None:
    assert mask_member_id("1EG4TE5MK73") == "*******MK73"
    assert mask_member_id("ABCDE") == "*BCDE"
    assert mask_member_id("ABCD") == "****", "a short id is masked whole"
    assert mask_member_id("") == ""


def test_a_kept_coverage_never_holds_the_whole_member_id_and_shows_its_plan_type() -> None:
    coverage = Coverage(
        payer_id="medicare-wps-j5", member_id="1EG4TE5MK73", group_number="G-77", effective_from=date(2025, 1, 1)
    )
    kept = kept_coverage(coverage)
    assert "1EG4TE5MK73" not in str(kept)
    assert "G-77" not in str(kept)
    shown = shown_coverage(kept, PayerProfiles.builtin(TODAY))
    assert shown == {
        "payer_id": "medicare-wps-j5",
        "plan_type": "medicare",
        "member_id": "*******MK73",
        "effective_from": "2025-01-01",
        "effective_to": None,
    }
    assert shown_coverage({"payer_id": "no-such-payer"}, PayerProfiles.builtin(TODAY))["plan_type"] is None


def test_a_coverage_ending_before_it_starts_is_refused() -> None:
    dates = {"effective_from": "2026-01-01", "effective_to": "2025-12-31"}
    backwards = patient(coverages=[{"payer_id": "medicare-wps-j5", "member_id": "1EG4TE5MK73", **dates}])
    found = validate_patient(PatientSubmission.model_validate(backwards), PayerProfiles.builtin(TODAY), TODAY)
    assert [(v.path, v.rule) for v in found] == [("coverages.1.effective_to", "coverage.dates_ordered")]
    same_day = patient(coverages=[{"payer_id": "medicare-wps-j5", "member_id": "1EG4TE5MK73",
                                   "effective_from": "2026-01-01", "effective_to": "2026-01-01"}])  # fmt: skip
    assert validate_patient(PatientSubmission.model_validate(same_day), PayerProfiles.builtin(TODAY), TODAY) == []
