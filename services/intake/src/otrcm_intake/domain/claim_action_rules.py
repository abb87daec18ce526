"""Whether a biller's action on a claim may be asked, judged on the claim's status as the status service shows it.
Pure. (The claims service judges again on its own state: the front door refuses what it can already see.)

- void: only a claim that left and was not rejected (submitted, accepted, paid, partially paid, denied); a
  void (CLM05-3 8) names the payer's claim number, which a claim that never reached the payer has not
  (X12 005010X222A1 2300 CLM05-3, REF*F8; docs/billing-rules.md#14-replacement-and-void-claims).
- approve: only a replacement or void held for a biller's approval.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_intake.domain.violations import Violation

VOIDABLE = frozenset({"submitted", "accepted", "paid", "partially_paid", "denied"})
WAITING_FOR_APPROVAL = "approval-needed:"  # the claims service's reason for a correction held for approval


def why_not_void(status: str) -> Violation | None:
    if status in VOIDABLE:
        return None
    return Violation(
        "claim_id",
        "claim.may_be_voided",
        f"only a claim sent and not rejected can be voided (submitted, accepted, paid, partially_paid, denied); "
        f"this claim is {status}",
    )


def why_not_approve(status: str, reasons: Sequence[str]) -> Violation | None:
    if status == "held" and any(reason.startswith(WAITING_FOR_APPROVAL) for reason in reasons):
        return None
    return Violation(
        "claim_id",
        "claim.awaits_approval",
        f"only a replacement or void claim held for approval can be approved; this claim is {status}",
    )
