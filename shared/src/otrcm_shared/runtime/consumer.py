"""Idempotent consumption: decode, apply once (inbox + state + outbox in one transaction), or dead-letter.

Errors are sorted three ways:
- the record cannot be decoded, or a rule rejects it (:class:`RecordRejected`): dead letter, go on;
- the infrastructure failed (database, broker, network): raise, so the offset is not committed and
  the record is retried after a pause;
- anything else is a bug on this record: dead letter with the exception type only, go on.

A poll's records are applied in one transaction (:meth:`IdempotentConsumer.consume_batch`): the common
case pays one commit for many records. When any record of the batch would be dead-lettered, the batch
is rolled back and replayed record by record, so the good records around a bad one still commit alone.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from opentelemetry import propagate, trace
from opentelemetry.trace import Tracer
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events.dead_letters import DeadLetter
from otrcm_shared.events.envelope import Envelope, EventPayload, envelope_of
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.inbox import first_deliveries, first_delivery
from otrcm_shared.runtime.outbox import Claim, OutboxRelay, Outgoing, Pending, outbox_rows, stage, stage_rows
from otrcm_shared.runtime.record_errors import (
    INFRASTRUCTURE_ERRORS,
    RecordRejected,
    describe_validation_error,
    is_transient,
    tenant_of,
)
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.runtime.trace_carry import carrying, unsampled
from otrcm_shared.topics import DEAD_LETTERS, TopicSpec

__all__ = [
    "INFRASTRUCTURE_ERRORS",
    "Delivered",
    "Handler",
    "IdempotentConsumer",
    "RecordPosition",
    "RecordRejected",
    "describe_validation_error",
    "is_transient",
]

log = logging.getLogger(__name__)

P = TypeVar("P", bound=EventPayload)
Handler = Callable[[AsyncSession, Envelope[P]], Awaitable[Sequence[Outgoing]]]

# The reasons every consumer dead-letters a record for, whatever its service: the record cannot be decoded
# as the topic's contract, or the handler failed on it (a bug). A service's own reasons are in its domain.
CONSUMER_REASONS: dict[str, str] = {
    "SCHEMA_INVALID": "the record is not an event of the topic's contract",
    "HANDLER_FAILED": "the handler raised an unexpected exception on the record (a bug, reported by type)",
}


@dataclass(frozen=True, slots=True)
class RecordPosition:
    """Where a consumed record sits in Kafka."""

    topic: str
    partition: int
    offset: int


@dataclass(frozen=True, slots=True)
class Delivered:
    """One consumed record: its bytes, where it sits, and its headers (trace context)."""

    body: bytes
    position: RecordPosition
    headers: dict[str, str]


class _OneByOne(Exception):
    """A record of the batch needs its own transaction (a dead letter, or a bug on the record)."""


class IdempotentConsumer(Generic[P]):
    """Applies one topic's events once each for one named consumer."""

    def __init__(
        self,
        name: str,
        topic: TopicSpec,
        handler: Handler[P],
        *,
        db: Database,
        tables: KitTables,
        on_staged: Callable[[], None] | None = None,
        relay: Callable[[], OutboxRelay | None] | None = None,
        retry_pause_s: float = 1.0,
        tracer: Tracer | None = None,
    ) -> None:
        self.name = name
        self.topic = topic
        self._handler = handler
        self._envelope: type[Envelope[Any]] = envelope_of(topic.payload)
        self._db = db
        self._tables = tables
        self._on_staged = on_staged  # rows were left pending: wake the relay loop
        self._relay = relay or (lambda: None)  # publishes a poll's rows right after its commit
        self._retry_pause_s = retry_pause_s
        self._tracer = tracer or trace.get_tracer(__name__)

    async def consume_batch(self, records: Sequence[Delivered]) -> int:
        """Apply a poll's records in one transaction; how many changed state.

        Each record is processed under its own span, parented by the trace context it arrived with, so
        the events it causes stay in its trace. A transient failure raises (the whole batch is retried);
        a record that would be dead-lettered sends the batch down the one-record-at-a-time path.
        """
        try:
            changed = await self._apply_batch(records)
        except _OneByOne:
            changed = 0
            for record in records:
                with self._span(record):
                    changed += await self.consume(record.body, record.position)
            return changed
        except Exception as error:
            await self._pause_if_transient(error, "batch")
            raise
        return changed

    async def _pause_if_transient(self, error: Exception, unit: str) -> bool:
        """True (after a pause, so a retry does not spin) when the infrastructure failed, not the record."""
        if not is_transient(error):
            return False
        log.warning("%s: %s; the %s will be retried", self.name, type(error).__name__, unit)
        await asyncio.sleep(self._retry_pause_s)
        return True

    async def _apply_batch(self, records: Sequence[Delivered]) -> int:
        """Decode the poll, record its event ids in the inbox with one statement, run the handler on each first
        delivery (in order, each under its own span), store all their outgoing events with one statement, and
        publish those right after the commit (or leave them to the relay loop when older rows are pending)."""
        events = []
        for record in records:
            try:
                events.append(self._envelope.model_validate_json(record.body))
            except ValidationError:
                raise _OneByOne from None
        claim: Claim | None = None
        relay = self._relay()
        try:
            async with self._db.transaction() as session:
                changed, rows, claim = await self._apply_poll(session, records, events, relay)
        except BaseException:
            if claim is not None and relay is not None:
                await relay.settle(claim, committed=False)
            raise
        if claim is not None and relay is not None:
            await relay.settle(claim, committed=True)
        elif self._on_staged is not None and rows:
            self._on_staged()
        return changed

    async def _apply_poll(
        self, session: AsyncSession, records: Sequence[Delivered], events: list[Envelope[P]], relay: OutboxRelay | None
    ) -> tuple[int, list[Pending], Claim | None]:
        """The poll's work in ``session``: how many records changed state, the outbox rows stored, and the
        relay's claim on them (None: the relay loop sends them)."""
        changed, rows = 0, []
        fresh = await first_deliveries(session, self._tables, self.name, (event.event_id for event in events))
        for record, event in zip(records, events, strict=True):
            event_id = str(event.event_id)
            if event_id not in fresh:
                continue  # processed before, or earlier in this poll
            fresh.discard(event_id)
            with self._span(record):
                try:
                    outgoing = await self._handler(session, event)
                except Exception as error:
                    if is_transient(error):
                        raise
                    raise _OneByOne from None
                rows += outbox_rows(outgoing)
            changed += 1
        stored = await stage_rows(session, self._tables, rows)
        claim = await relay.claim(session, stored) if relay is not None else None
        return changed, stored, claim

    def _span(self, record: Delivered) -> Any:
        carried = unsampled(record.headers)
        if carried is not None:  # a trace not kept: no span, its context passes on unchanged
            return carrying(carried)
        parent = propagate.extract(record.headers)
        where = record.position
        return self._tracer.start_as_current_span(
            f"{where.topic} process",
            context=parent,
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation": "process",
                "messaging.destination.name": where.topic,
                "messaging.kafka.destination.partition": where.partition,
                "messaging.kafka.message.offset": where.offset,
                "otrcm.consumer": self.name,
            },
        )

    async def consume(self, body: bytes, position: RecordPosition) -> bool:
        """Process one record; True when it changed state, False for a duplicate or a dead letter."""
        try:
            event = self._envelope.model_validate_json(body)
        except ValidationError as error:
            await self.dead_letter(position, body, tenant_of(body), "SCHEMA_INVALID", describe_validation_error(error))
            return False
        try:
            return await self.apply(event)
        except RecordRejected as rejected:
            await self.dead_letter(
                position, body, event.tenant_id, rejected.reason_code, rejected.message, rejected.rule_ids
            )
            return False
        except Exception as error:
            if await self._pause_if_transient(error, "record"):
                raise
            log.error("%s: handler failed with %s", self.name, type(error).__name__)
            await self.dead_letter(
                position, body, event.tenant_id, "HANDLER_FAILED", f"the handler raised {type(error).__name__}"
            )
            return False

    async def apply(self, event: Envelope[P]) -> bool:
        """Inbox check, the handler's state change and its outgoing events: one transaction."""
        async with self._db.transaction() as session:
            outgoing = await self._apply_in(session, event)
        if outgoing is None:
            return False
        if self._on_staged is not None and outgoing:
            self._on_staged()
        return True

    async def _apply_in(self, session: AsyncSession, event: Envelope[P]) -> Sequence[Outgoing] | None:
        """Inbox row, the handler's state change and its outbox rows in ``session``; None for a duplicate."""
        if not await first_delivery(session, self._tables, self.name, event.event_id):
            return None
        outgoing = await self._handler(session, event)
        await stage(session, self._tables, outgoing)
        return outgoing

    async def dead_letter(
        self,
        position: RecordPosition,
        body: bytes,
        tenant_id: str,
        reason_code: str,
        message: str,
        rule_ids: Sequence[str] = (),
    ) -> None:
        """Report the record on the dead-letter topic (once, however often it is redelivered).

        The letter's id comes from the record's position and a digest of its bytes: a redelivery is the
        same letter, while a different record at a reused offset (a recreated topic) is a new one.
        """
        where = f"{position.topic}/{position.partition}/{position.offset}"
        digest = hashlib.sha256(body).hexdigest()[:16]
        letter = Envelope.root(
            DeadLetter(
                stage=self.name,
                reason_code=reason_code,
                message=message,
                source_topic=position.topic,
                source_partition=position.partition,
                source_offset=position.offset,
                rule_ids=tuple(rule_ids),
            ),
            tenant_id=tenant_id,
            subject=where,
            natural_key=f"{where}/{digest}",
            stage=f"{self.name}.dead-letter",
        )
        log.warning("%s: dead-lettered %s with %s", self.name, where, reason_code)
        async with self._db.transaction() as session:
            await stage(session, self._tables, [Outgoing(DEAD_LETTERS, f"{self.name}:{where}".encode(), letter)])
        if self._on_staged is not None:
            self._on_staged()
