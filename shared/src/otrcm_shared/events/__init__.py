"""Event contracts: the envelope, the payloads, deterministic ids."""

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.envelope import Envelope, EventPayload, envelope_of
from otrcm_shared.events.ids import derive_event_id

__all__ = ["Envelope", "EventPayload", "StrictModel", "derive_event_id", "envelope_of"]
