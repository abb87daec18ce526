"""Prior therapy spend: amounts other providers billed for a beneficiary in a year, per threshold bucket.

The practice cannot see other providers' claims; a biller records what the eligibility response (271) or
another source says, and the modifiers service starts the beneficiary's threshold accrual from it (CMS
Pub. 100-04 Ch. 5 §10.3: the threshold counts every provider's allowed amounts). No PHI: the opaque
patient key only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.envelope import EventPayload


class TherapySpendRecorded(EventPayload):
    """The latest amount for one patient, year and bucket; a newer record replaces it."""

    EVENT_TYPE: ClassVar[str] = "therapy-spend.recorded"

    record_id: str = Field(description="Stable per patient, year and bucket: a new record replaces the older.")
    patient_key: str
    year: int = Field(ge=2019, le=2100)
    bucket: str = Field(pattern=r"^(ot|pt_slp)$", description="'ot', or 'pt_slp' (PT and SLP share one threshold).")
    amount: Decimal = Field(ge=0, description="Allowed amounts applied by other providers, in dollars.")
    source: str = Field(pattern=r"^(eligibility_271|manual_entry)$")
    as_of: date = Field(description="The date the amount was current (e.g. the 271's date).")
