"""What the read API shows of a patient: the minimum a biller needs to check a claim. Pure.

HIPAA's minimum-necessary standard (45 CFR 164.502(b), 164.514(d)): name, birth date, and per coverage the
payer, its plan type, the member id masked but for its last 4 characters, and the dates it is in force.
No address, sex, group number or relationship: a claim check does not need them, so they are not kept
for reading.
"""

from __future__ import annotations

from typing import Any

from otrcm_shared.events.patients import Coverage
from otrcm_shared.refdata import PayerProfiles

SHOWN_CHARACTERS = 4
MASK = "*"


def mask_member_id(member_id: str) -> str:
    """Every character but the last 4 masked; an id of 4 characters or fewer is masked whole (showing its
    last 4 would show all of it)."""
    if len(member_id) <= SHOWN_CHARACTERS:
        return MASK * len(member_id)
    return MASK * (len(member_id) - SHOWN_CHARACTERS) + member_id[-SHOWN_CHARACTERS:]


def kept_coverage(coverage: Coverage) -> dict[str, Any]:
    """What is stored of a coverage for reading: never the whole member id."""
    return {
        "payer_id": coverage.payer_id,
        "member_id_masked": mask_member_id(coverage.member_id),
        "effective_from": coverage.effective_from.isoformat() if coverage.effective_from else None,
        "effective_to": coverage.effective_to.isoformat() if coverage.effective_to else None,
    }


def shown_coverage(kept: dict[str, Any], payers: PayerProfiles) -> dict[str, Any]:
    """A kept coverage as the API shows it, with the plan type (the payer profile's kind) in effect today."""
    payer_id = kept["payer_id"]
    plan_type = payers.get(payer_id).kind.value if payer_id in payers else None
    return {
        "payer_id": payer_id,
        "plan_type": plan_type,
        "member_id": kept.get("member_id_masked"),
        "effective_from": kept.get("effective_from"),
        "effective_to": kept.get("effective_to"),
    }
