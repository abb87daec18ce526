"""Newest wins, written once: every per-entity stream numbers its events 1, 2, 3 ... and a reader keeps
the highest number it has applied for the entity, ignoring anything at or below it (a redelivery, or a
late event that another partition or a replay brought after a newer one).

Kafka keeps order within one partition of one topic, so a stream of one entity keyed by that entity
arrives in order; the revision makes a reader correct even when it does not (a replay, two producers
restarted, an old copy in flight), and lets a reader that joins several streams judge each on its own.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

Revision = Annotated[int, Field(ge=1, description="Position of this event in its entity's stream: 1, 2, 3 ...")]


def supersedes(candidate: int, applied: int | None) -> bool:
    """Rule: an event replaces what a reader holds only when its revision is higher than the one applied."""
    return applied is None or candidate > applied
