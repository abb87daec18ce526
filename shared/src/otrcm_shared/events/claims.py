"""Claim outcomes: submitted, accepted or rejected (277CA), paid or denied (835), with denial categories."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.envelope import EventPayload


class Adjustment(StrictModel):
    group: str = Field(description="CAS group: CO, PR, OA, PI.")
    carc: str
    amount: Decimal
    rarcs: tuple[str, ...] = ()
    category: str | None = Field(default=None, description="Denial category, e.g. missing_modifier, bundling.")


class ClaimOutcome(EventPayload):
    """One step of a claim's life; the same shape on every claims topic."""

    EVENT_TYPE: ClassVar[str] = "claim.outcome"

    claim_id: str
    status: str = Field(description="submitted, accepted, rejected, paid, partially_paid, denied.")
    patient_key: str
    payer_id: str
    day_keys: tuple[str, ...]
    encounter_ids: tuple[str, ...] = Field(default=(), description="The encounters whose lines the claim bills.")
    line_keys: tuple[str, ...] = Field(default=(), description="The lines this outcome is about (all when empty).")
    interchange_control_number: str | None = None
    charge: Decimal | None = None
    paid: Decimal | None = None
    reasons: tuple[str, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    denial_category: str | None = None
