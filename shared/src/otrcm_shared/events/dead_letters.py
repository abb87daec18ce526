"""Dead letters: where a record that a stage could not process is reported, with a reason.

The original payload stays where it was (topic/partition/offset), so no PHI is copied here.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.envelope import EventPayload


class DeadLetter(EventPayload):
    EVENT_TYPE: ClassVar[str] = "dead-letter"

    stage: str = Field(description="The consumer that gave up on the record.")
    reason_code: str = Field(description="Stable machine-readable reason, e.g. SCHEMA_INVALID, RULE_FAILED.")
    message: str = Field(description="Human message; never contains the record's values.")
    source_topic: str
    source_partition: int
    source_offset: int
    rule_ids: tuple[str, ...] = ()
