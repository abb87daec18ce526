"""A remittance adjustment (835 CAS) as the claims stream carries it (``ClaimStatusChanged.adjustments``).
The ``.v1`` ``ClaimOutcome`` topics are retired (docs/adr/010)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from otrcm_shared.events.base import StrictModel


class Adjustment(StrictModel):
    group: str = Field(description="CAS group: CO, PR, OA, PI.")
    carc: str
    amount: Decimal
    rarcs: tuple[str, ...] = ()
    category: str | None = Field(default=None, description="Denial category, e.g. missing_modifier, bundling.")
