"""A beneficiary's OT spend against the year's therapy threshold (the KX threshold) and the targeted medical
review amount (docs/billing-rules.md), as a gauge: how full, and which mark it has passed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Gauge:
    spent: Decimal
    threshold: Decimal
    review_amount: Decimal
    provisional: bool

    @property
    def percent_of_review(self) -> int:
        """How full, against the targeted-review amount (the gauge's end), 0 to 100."""
        if self.review_amount <= 0:
            return 0
        return int(min(Decimal(100), self.spent * 100 / self.review_amount))

    @property
    def threshold_mark(self) -> int:
        """Where the threshold sits on the gauge, 0 to 100."""
        return int(self.threshold * 100 / self.review_amount) if self.review_amount > 0 else 0

    @property
    def stage(self) -> str:
        if self.spent >= self.review_amount:
            return "past the targeted-review amount: documentation may be reviewed"
        if self.spent >= self.threshold:
            return "past the threshold: KX and the medical-necessity attestation needed"
        return "under the threshold"
