"""A claim's status history: every step once, in revision order whatever order they arrived in, the
acknowledgment that caused each, and an 835's payment and denials with their codes in plain words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import permutations

import pytest

from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.claims import Adjustment
from otrcm_status.domain.claim_history import claim_history, outcome

pytestmark = pytest.mark.unit

S = ClaimStatus
T0 = datetime(2026, 4, 1, 9, tzinfo=UTC)


def change(revision: int, status: ClaimStatus, source: str, **fields: object) -> tuple[datetime, ClaimStatusChanged]:
    payload = ClaimStatusChanged(
        claim_id="C1", revision=revision, status=status, source=source, patient_key="pk", payer_id="medicare-wps-j5",
        day_keys=("d",), encounter_ids=("e1",), **fields,  # type: ignore[arg-type]
    )  # fmt: skip
    return T0 + timedelta(days=revision), payload


PARTIAL = change(
    5, S.PARTIALLY_PAID, "835", charge=Decimal("300.00"), paid=Decimal("151.20"),
    patient_responsibility=Decimal("37.80"), payer_claim_control_number="22126000123456", line_keys=("e1#2",),
    denial_category="bundled", adjustments=(
        Adjustment(group="CO", carc="45", amount=Decimal("36.00")),
        Adjustment(group="PR", carc="2", amount=Decimal("37.80")),
        Adjustment(group="CO", carc="97", amount=Decimal("75.00"), rarcs=("N20", "N999"), category="bundled"),
    ),
)  # fmt: skip
STEPS = (
    change(1, S.BUILT, "batch"),
    change(2, S.VALIDATED, "batch"),
    change(3, S.SUBMITTED, "batch"),
    change(4, S.ACCEPTED, "277ca", reasons=("277CA A2:20 accepted",)),
    PARTIAL,
)


def test_the_history_is_in_revision_order_whatever_order_the_steps_arrived_in() -> None:
    histories = {claim_history(order) for order in permutations(STEPS)}
    assert len(histories) == 1
    (history,) = histories
    assert [(s.revision, s.status, s.acknowledgment) for s in history] == [
        (1, "built", None), (2, "validated", None), (3, "submitted", None), (4, "accepted", "277CA"),
        (5, "partially_paid", "835"),
    ]  # fmt: skip
    assert history[3].reasons == ("277CA A2:20 accepted",)
    assert history[4].at == T0 + timedelta(days=5)
    assert claim_history([*STEPS, change(5, S.DENIED, "835")])[4].status == "partially_paid", "one step per revision"


def test_an_835_step_shows_what_was_paid_and_why_the_rest_was_not_in_plain_words() -> None:
    remittance = outcome(claim_history(STEPS))
    assert remittance is not None
    assert (remittance.paid, remittance.patient_responsibility) == (Decimal("151.20"), Decimal("37.80"))
    assert (remittance.payer_claim_control_number, remittance.denied_lines) == ("22126000123456", ("e1#2",))
    (denial,) = remittance.denials
    assert (denial.group.code, denial.reason.code, denial.amount, denial.category) == (
        "CO", "97", Decimal("75.00"), "bundled")  # fmt: skip
    assert denial.reason.description is not None
    assert "bundled" in denial.reason.description
    assert denial.group.description is not None
    assert "contractual" in denial.group.description
    n20, unknown = denial.remarks
    assert n20.description == "not payable with another service on the same date"
    assert (unknown.code, unknown.description, unknown.source) == ("N999", None, None), "shown with its code"
    expected = [a for a in remittance.adjustments if not a.denial]
    assert [(a.group.code, a.reason.code) for a in expected] == [("CO", "45"), ("PR", "2")], "not denials"


def test_a_denied_step_counts_its_unexpected_adjustments_as_denials_and_a_reversal_takes_the_outcome_away() -> None:
    denied = change(5, S.DENIED, "835", paid=Decimal("0"), adjustments=(
        Adjustment(group="CO", carc="50", amount=Decimal("300.00"), rarcs=("N115",)),
        Adjustment(group="CO", carc="45", amount=Decimal("0.00")),
    ))  # fmt: skip
    remittance = outcome(claim_history([*STEPS[:4], denied]))
    assert remittance is not None
    assert [d.reason.code for d in remittance.denials] == ["50"], "CARC 50 on a denied claim, even uncategorised"
    reversed_ = change(6, S.ACCEPTED, "835", reasons=("835 reversal (CLP02 22)",))
    history = claim_history([*STEPS, reversed_])
    assert outcome(history) is None, "the payment was taken back"
    assert history[4].remittance is not None, "the history still shows the reversed payment"
