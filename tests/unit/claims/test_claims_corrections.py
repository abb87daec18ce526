"""Replacement and void claims (X12 005010X222A1 2300 CLM05-3 and REF*F8;
docs/billing-rules.md#14-replacement-and-void-claims): which frequency a changed day needs, when a correction
may be sent, and the 837P of each, validated by pyx12."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from otrcm_claims.adapters.x12 import validate_837p
from otrcm_claims.domain import ClaimFrequency, check_claim
from otrcm_claims.domain.corrections import SendPolicy, decide, frequency_for_change, may_be_voided
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_claims.domain.modifiers import ModifierPolicy
from tests.unit.claims.builders import medicare_claim, render, segments_of

pytestmark = pytest.mark.unit

LINE: dict[str, Any] = {
    "line_key": "pk/e1#1", "control_number": "C1-1", "code": "97530", "modifiers": ["GO"], "units": 2,
    "charge": "120.00", "diagnosis_pointers": [1], "service_date": "2026-03-10", "encounter_id": "e1",
    "day_key": "pk/2026-03-10/OT", "rendering_provider_npi": "1122334455",
}  # fmt: skip


def _line(**changes: Any) -> dict[str, Any]:
    return {**LINE, **changes}


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"units": 3}, "units"),
        ({"code": "97110"}, "code"),
        ({"modifiers": ["GO", "KX"]}, "a modifier (KX after a re-evaluation)"),
        ({"charge": "180.00"}, "charge"),
        ({"diagnosis_pointers": [1, 2]}, "diagnosis pointers"),
        ({"rendering_provider_npi": "1245319599"}, "who rendered it"),
    ],
)
def test_a_change_in_what_a_line_bills_needs_a_replacement(change: dict[str, Any], why: str) -> None:
    assert frequency_for_change([LINE], [_line(**change)], ClaimState.SUBMITTED) is ClaimFrequency.REPLACEMENT, why


def test_a_line_more_needs_a_replacement_and_no_line_left_a_void() -> None:
    second = _line(code="97110", units=1, line_key="pk/e2#1")
    assert frequency_for_change([LINE], [LINE, second], ClaimState.ACCEPTED) is ClaimFrequency.REPLACEMENT
    assert frequency_for_change([LINE], [], ClaimState.PAID) is ClaimFrequency.VOID


def test_our_own_keys_changing_is_not_a_change_the_payer_sees() -> None:
    same = _line(control_number="C2-1", line_key="pk/e9#1", encounter_id="e9", day_key="other")
    assert frequency_for_change([LINE], [same], ClaimState.SUBMITTED) is None


def test_after_a_rejection_the_corrected_day_goes_as_an_original() -> None:
    assert frequency_for_change([LINE], [_line(units=3)], ClaimState.REJECTED) is ClaimFrequency.ORIGINAL
    assert frequency_for_change([LINE], [], ClaimState.REJECTED) is None, "nothing to void: it never entered"


def test_a_correction_waits_for_the_payers_number_and_an_approval_both_named() -> None:
    held = decide(ClaimFrequency.REPLACEMENT, "C1", None, SendPolicy.AFTER_APPROVAL, approved=False)
    assert not held.may_send
    assert [reason.split(":")[0] for reason in held.held_reasons] == ["payer-claim-number", "approval-needed"]
    assert all("C1" in reason and "CLM05-3 7" in reason for reason in held.held_reasons)


@pytest.mark.parametrize(
    ("number", "policy", "approved", "may_send"),
    [
        ("PCN1", SendPolicy.AFTER_APPROVAL, True, True),
        ("PCN1", SendPolicy.AFTER_APPROVAL, False, False),
        ("PCN1", SendPolicy.AUTOMATICALLY, False, True),
        (None, SendPolicy.AUTOMATICALLY, True, False),  # no REF*F8 without the payer's number, whatever the policy
    ],
)
def test_when_a_replacement_or_void_may_be_sent(
    number: str | None, policy: SendPolicy, approved: bool, may_send: bool
) -> None:
    for frequency in (ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID):
        assert decide(frequency, "C1", number, policy, approved).may_send is may_send


def test_an_original_after_a_rejection_is_sent_without_number_or_approval() -> None:
    assert decide(ClaimFrequency.ORIGINAL, "C1", None, SendPolicy.AFTER_APPROVAL, approved=False).may_send


@pytest.mark.parametrize("status", list(ClaimState))
def test_only_a_claim_the_payer_may_hold_can_be_voided(status: ClaimState) -> None:
    left_and_not_rejected = status in {"submitted", "accepted", "paid", "partially_paid", "denied"}
    assert may_be_voided(status) is left_and_not_rejected


@pytest.mark.parametrize(("frequency", "code"), [(ClaimFrequency.REPLACEMENT, "7"), (ClaimFrequency.VOID, "8")])
def test_replacement_and_void_837p_carry_the_frequency_and_ref_f8_and_pass_pyx12(
    frequency: ClaimFrequency, code: str
) -> None:
    claim = replace(medicare_claim(), frequency=frequency, payer_claim_control_number="WPS26071000123")
    rendered = render(claim)
    segments = segments_of(rendered.text)

    report = validate_837p([claim], rendered)

    assert report.pyx12_valid is True
    assert report.issues == ()
    [clm] = [segment for segment in segments if segment.startswith("CLM*")]
    assert clm.split("*")[5] == f"11:B:{code}"
    assert segments[segments.index(clm) + 1] == "REF*F8*WPS26071000123", "2300 REF*F8 follows CLM"


def test_a_replacement_without_ref_f8_is_held_by_the_projects_checks() -> None:
    claim = replace(medicare_claim(), frequency=ClaimFrequency.REPLACEMENT, payer_claim_control_number=None)
    issues = check_claim(claim, ModifierPolicy.builtin())
    assert [issue.id for issue in issues if issue.location == "2300 REF*F8"] == ["original-claim-reference"]
    assert "REF*F8" not in " ".join(segments_of(render(medicare_claim()).text)), "an original carries none"
