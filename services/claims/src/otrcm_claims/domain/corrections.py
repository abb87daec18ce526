"""Replacement and void claims: when a claim that left needs one, which frequency code it carries, and
whether it may be sent yet. Pure.

Source: ASC X12 005010X222A1 (837P TR3) 2300 CLM05-3, claim frequency type code (the NUBC code list):
1 original, 7 replacement of prior claim, 8 void/cancel of prior claim; and 2300 REF*F8, payer claim
control number, required when CLM05-3 is 7 or 8 (it names the claim being replaced or voided, as the
payer numbered it: the 277CA's 2200D REF*1K or the 835's CLP07). docs/billing-rules.md#14-replacement-and-void-claims.

- A newer version of a day whose claim left changes the claim only when what is billed changes (a code,
  its modifiers or units, a charge, a diagnosis pointer, the date, who rendered it): then a replacement
  (7) carrying every line of the day as it now stands; a day left with no line is a void (8). A new
  version that bills the same lines needs nothing.
- A claim the clearinghouse or payer rejected (999, 277CA) never entered adjudication, so there is
  nothing to replace: the corrected day goes as a new original (1).
- A replacement or void waits for the payer's claim control number of the claim it corrects, and (by
  default) for a biller's approval; a tenant whose policy says ``automatically`` sends it without one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from otrcm_claims.domain.claim import ClaimFrequency
from otrcm_claims.domain.lifecycle import ClaimState

WAITING_FOR_PAYER_NUMBER = "payer-claim-number:"  # a held correction's reason, until the 277CA/835 number arrives
WAITING_FOR_APPROVAL = "approval-needed:"  # a held correction's reason, until a biller approves it

# What a payer reads of a billed line; the control number (it embeds the claim id) and our own keys are not.
BILLED_FIELDS = ("code", "modifiers", "units", "charge", "diagnosis_pointers", "service_date", "rendering_provider_npi")


class SendPolicy(StrEnum):
    """The tenant's choice for corrections (its billing provider's ``corrections_sent``)."""

    AFTER_APPROVAL = "after_approval"
    AUTOMATICALLY = "automatically"


@dataclass(frozen=True, slots=True)
class CorrectionDecision:
    """Whether the correction claim may go into the next interchange now, or why it is held."""

    frequency: ClaimFrequency
    held_reasons: tuple[str, ...] = ()

    @property
    def may_send(self) -> bool:
        return not self.held_reasons


def _billed(line: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(line.get(name)) for name in BILLED_FIELDS)


def billed_content(lines: Iterable[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """The lines as the payer reads them, in a stable order."""
    return sorted(_billed(line) for line in lines)


def frequency_for_change(
    sent_lines: Iterable[Mapping[str, Any]], new_lines: Iterable[Mapping[str, Any]], sent_status: ClaimState
) -> ClaimFrequency | None:
    """The claim a changed day needs after its claim ``sent_lines`` left: None (nothing billed changed), an
    original (the sent claim was rejected), a replacement (7) or a void (8, no line left)."""
    new = billed_content(new_lines)
    if sent_status is ClaimState.REJECTED:
        return ClaimFrequency.ORIGINAL if new else None
    if new == billed_content(sent_lines):
        return None
    return ClaimFrequency.REPLACEMENT if new else ClaimFrequency.VOID


def may_be_voided(status: ClaimState) -> bool:
    """Rule: only a claim the payer may hold can be voided: sent and not rejected (built, held or validated
    claims have not left; a rejected one never entered adjudication)."""
    return status in {
        ClaimState.SUBMITTED, ClaimState.ACCEPTED, ClaimState.PAID, ClaimState.PARTIALLY_PAID, ClaimState.DENIED,
    }  # fmt: skip


def decide(
    frequency: ClaimFrequency,
    corrects: str,
    payer_claim_number: str | None,
    policy: SendPolicy,
    approved: bool,
) -> CorrectionDecision:
    """May the correction of claim ``corrects`` be sent? An original (after a rejection) always may; a
    replacement or void needs the payer's number for REF*F8 and, unless the policy sends corrections
    automatically, a biller's approval. Every reason that holds it is given at once."""
    if frequency is ClaimFrequency.ORIGINAL:
        return CorrectionDecision(frequency)
    kind = "replacement (CLM05-3 7)" if frequency is ClaimFrequency.REPLACEMENT else "void (CLM05-3 8)"
    reasons: list[str] = []
    if not payer_claim_number:
        reasons.append(
            f"{WAITING_FOR_PAYER_NUMBER} the {kind} of claim {corrects} waits for the payer's claim control number "
            "(REF*F8) from its 277CA or 835"
        )
    if policy is SendPolicy.AFTER_APPROVAL and not approved:
        reasons.append(f"{WAITING_FOR_APPROVAL} the {kind} of claim {corrects} is sent once a biller approves it")
    return CorrectionDecision(frequency, tuple(reasons))
