"""Deterministic event ids: the same input processed by the same stage always yields the same id.

That is what makes redelivery harmless downstream: a consumer's inbox sees the id again and does nothing.
"""

from uuid import UUID, uuid5

# A fixed namespace for every id otrcm derives; changing it would change every derived id.
OTRCM_NAMESPACE = UUID("6f1d7c2e-8a53-5b7e-9c0d-2f4a6b8e1c35")


def derive_event_id(source: UUID | str, stage: str) -> UUID:
    """Id of the event that ``stage`` emits in response to ``source`` (an event id or a natural key)."""
    if not stage:
        raise ValueError("stage must name the stage that derives the id")
    return uuid5(OTRCM_NAMESPACE, f"{source}|{stage}")
