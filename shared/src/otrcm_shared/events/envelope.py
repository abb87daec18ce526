"""The one envelope every event travels in (its fields are listed in docs/events.md).

Trace context is not here: it rides in Kafka headers (W3C ``traceparent``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.ids import derive_event_id


class EventPayload(StrictModel):
    """Base of every payload: names its event type and schema version once, as class constants."""

    EVENT_TYPE: ClassVar[str] = ""
    SCHEMA_VERSION: ClassVar[int] = 1


PayloadT = TypeVar("PayloadT", bound=EventPayload)
NextT = TypeVar("NextT", bound=EventPayload)


class Envelope(StrictModel, Generic[PayloadT]):
    """Metadata common to all events, around one typed payload."""

    event_id: UUID = Field(description="Deterministic: derived from the causing event id and the stage.")
    event_type: str = Field(min_length=1)
    schema_version: int = Field(ge=1)
    occurred_at: datetime
    tenant_id: str = Field(min_length=1, max_length=64)
    subject: str = Field(min_length=1, description="Id of what the event is about: encounter, day or claim.")
    causation_id: UUID | None = Field(description="The event that caused this one; none for a root event.")
    correlation_id: UUID = Field(description="Shared by every event that descends from one root event.")
    payload: PayloadT

    @model_validator(mode="after")
    def _matches_payload_contract(self) -> Envelope[PayloadT]:
        """A reader of version n of an event type refuses any other type or version (never guesses)."""
        contract = type(self.payload)
        if contract.EVENT_TYPE and self.event_type != contract.EVENT_TYPE:
            raise PydanticCustomError(
                "event_type_unexpected",
                "event_type must be {expected} on this topic",
                {"expected": contract.EVENT_TYPE},
            )
        if contract.EVENT_TYPE and self.schema_version != contract.SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version_unsupported",
                "schema_version {found} is not the version {expected} this reader understands",
                {"found": self.schema_version, "expected": contract.SCHEMA_VERSION},
            )
        return self

    @classmethod
    def root(
        cls,
        payload: PayloadT,
        *,
        tenant_id: str,
        subject: str,
        natural_key: str,
        stage: str,
        occurred_at: datetime | None = None,
    ) -> Envelope[PayloadT]:
        """An event that starts a chain (e.g. intake accepting a request), identified by a natural key."""
        event_id = derive_event_id(f"{tenant_id}/{natural_key}", stage)
        return envelope_of(type(payload))(
            event_id=event_id,
            event_type=payload.EVENT_TYPE,
            schema_version=payload.SCHEMA_VERSION,
            occurred_at=occurred_at or datetime.now(UTC),
            tenant_id=tenant_id,
            subject=subject,
            causation_id=None,
            correlation_id=event_id,
            payload=payload,
        )

    def follow(
        self,
        payload: NextT,
        *,
        stage: str,
        subject: str | None = None,
        occurred_at: datetime | None = None,
    ) -> Envelope[NextT]:
        """The event a stage emits in response to this one: same tenant and correlation, derived id."""
        return envelope_of(type(payload))(
            event_id=derive_event_id(self.event_id, stage),
            event_type=payload.EVENT_TYPE,
            schema_version=payload.SCHEMA_VERSION,
            occurred_at=occurred_at or datetime.now(UTC),
            tenant_id=self.tenant_id,
            subject=subject or self.subject,
            causation_id=self.event_id,
            correlation_id=self.correlation_id,
            payload=payload,
        )


_ENVELOPES: dict[type[EventPayload], type[Envelope[Any]]] = {}


def envelope_of(payload_type: type[NextT]) -> type[Envelope[NextT]]:
    """The envelope class parametrized by a concrete payload type (so it serializes every field); looked up
    once per type (every event a stage emits asks)."""
    found = _ENVELOPES.get(payload_type)
    if found is None:
        found = _ENVELOPES[payload_type] = Envelope[payload_type]  # type: ignore[valid-type]
    return found
