"""A claim's life as one stream: every status change of one claim on one topic keyed by the claim, so the
broker keeps its order and the ``revision`` (the claim's status-history step) tells a reader which is
newest. Replaced the six ``otrcm.claims.<verb>.v1`` topics (docs/adr/010)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.claims import Adjustment, PaymentPosting
from otrcm_shared.events.envelope import EventPayload
from otrcm_shared.events.revision import Revision


class ClaimStatus(StrEnum):
    """Where a claim is in its life (X222A1 out; X231A1 999, X214 277CA and X221A1 835 back)."""

    BUILT = "built"
    HELD = "held"
    VALIDATED = "validated"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"


class ClaimStatusChanged(EventPayload):
    """One step of one claim's status history (``revision`` = the step, 1, 2, ...), with what caused it."""

    EVENT_TYPE: ClassVar[str] = "claim.status-changed"
    SCHEMA_VERSION: ClassVar[int] = 2

    claim_id: str
    revision: Revision
    status: ClaimStatus
    previous_status: ClaimStatus | None = None
    source: str = Field(description="What moved it: batch, 999, 277ca, 835 or admin.")
    patient_key: str
    payer_id: str
    billing_provider_npi: str | None = Field(default=None, description="The billing provider the claim bills under.")
    day_keys: tuple[str, ...]
    encounter_ids: tuple[str, ...] = Field(default=(), description="The encounters whose lines the claim bills.")
    line_keys: tuple[str, ...] = Field(default=(), description="The lines this step is about (all when empty).")
    interchange_control_number: str | None = None
    charge: Decimal | None = None
    paid: Decimal | None = None
    reasons: tuple[str, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    denial_category: str | None = None
    patient_responsibility: Decimal | None = Field(
        default=None, description="An 835's CLP05: what the payer says the patient owes (835 steps only)."
    )
    payer_claim_control_number: str | None = Field(
        default=None, max_length=50, description="An 835's CLP07: the payer's number for the claim (835 steps only)."
    )
    posting: PaymentPosting | None = Field(
        default=None, description="An 835's payment posted line by line, with the claim's balance (835 steps only)."
    )
    frequency: str | None = Field(
        default=None,
        pattern=r"^[178]$",
        description="CLM05-3 claim frequency: 7 replacement, 8 void of ``replaces_claim_id`` (1 or none: an original).",
    )
    replaces_claim_id: str | None = Field(
        default=None, max_length=40, description="The claim a replacement (7) or void (8) corrects (its CLM01)."
    )
