"""An encounter's status through the pipeline, as the status service (its single writer) derives it from
the day's units, the gate's verdicts, the ready and held lines and the claim's status stream.

The topic is compacted and keyed by tenant and encounter: the newest record per encounter is its status.
Only ids, codes and statuses: never PHI (hold messages are the rules' own sentences).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.envelope import EventPayload
from otrcm_shared.events.revision import Revision


class EncounterStatusChanged(EventPayload):
    """Step ``revision`` of one encounter's status (1, 2, ... per encounter, assigned by the status service)."""

    EVENT_TYPE: ClassVar[str] = "encounter.status-changed"

    encounter_id: str
    revision: Revision
    status: str = Field(
        description="received, units_calculated, held, cleared, ready, claim_held, submitted, accepted, rejected, "
        "paid, partially_paid or denied."
    )
    previous_status: str | None = None
    patient_key: str
    day_key: str
    claim_id: str | None = Field(default=None, description="The claim that bills the encounter, once there is one.")
    reason_codes: tuple[str, ...] = Field(default=(), description="Why it is held (gate, line or claim codes).")
