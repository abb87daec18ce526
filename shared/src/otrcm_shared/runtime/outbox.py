"""The outbox: outgoing events stored with the state change, published after the commit.

A consumer's poll publishes its own rows right after its commit (:meth:`OutboxRelay.claim`, ``settle``),
in commit order, when no older row is pending; the relay loop sends every row left pending (an older one
was pending, a publish failed, an API request or a CLI staged it). Rows go out in id order (so in order
per key) and are marked once acknowledged, in a transaction of their own: no database lock is held while
waiting for the broker. A crash between publish and mark republishes (consumers' inboxes absorb that);
a crash before publish loses nothing: the rows are still pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Tracer
from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.faults import fault_point
from otrcm_shared.runtime.outbox_store import Outgoing, Pending, outbox_rows, stage, stage_rows
from otrcm_shared.runtime.prepared import Prepared, execute_many
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.runtime.trace_carry import unsampled

__all__ = ["Claim", "OutboxRelay", "Outgoing", "Pending", "outbox_rows", "stage", "stage_rows"]

log = logging.getLogger(__name__)


@dataclass(eq=False, slots=True)
class Claim:
    """A poll's rows, to publish after its commit; ``committed`` None while its transaction is open."""

    rows: Sequence[Pending]
    committed: bool | None = None


class OutboxRelay:
    """Publishes a service's outbox rows: a poll's own right after its commit (claims, sent in the order they
    were made), the rest from the relay loop (``wake()`` it when rows were left pending)."""

    def __init__(
        self,
        db: Database,
        tables: KitTables,
        producer: AIOKafkaProducer,
        *,
        batch_size: int = 500,
        idle_interval_s: float = 0.2,
        tracer: Tracer | None = None,
    ) -> None:
        self._db = db
        self._tables = tables
        self._producer = producer
        self._batch_size = batch_size
        self._idle_interval_s = idle_interval_s
        self._tracer = tracer or trace.get_tracer(__name__)
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._sending = asyncio.Lock()  # one sender at a time, so rows enter the producer in order
        self._claims: deque[Claim] = deque()
        self._owned: set[int] = set()  # rows claimed or being sent: the relay loop leaves them, and all after them
        self._relay_only = False  # a publish failed: the relay loop sends everything until the outbox is empty
        self._stopped_short = False  # the relay loop's last look ended at a claimed row
        self._marking: set[asyncio.Task[None]] = set()
        self._acknowledged: list[int] = []  # sent and acknowledged, not yet marked (marked together)
        outbox = tables.outbox
        pending_before = outbox.c.published_at.is_(None) & (outbox.c.id < bindparam("first"))
        self._mark_one = Prepared(
            update(outbox).where(outbox.c.id == bindparam("row_id")).values(published_at=bindparam("at"))
        )
        self._older = Prepared(select(outbox.c.id).where(pending_before).order_by(outbox.c.id).limit(bindparam("n")))

    def wake(self) -> None:
        self._wakeup.set()

    async def claim(self, session: AsyncSession, rows: Sequence[Pending]) -> Claim | None:
        """Inside the transaction that stored ``rows``: a claim on them (publish them after the commit) when
        no older row is left to the relay loop; None leaves them to it, which keeps per-key order."""
        if not rows or self._relay_only or not self._db.is_sqlite:
            return None  # PostgreSQL: the relay loop, whose row locks keep several instances from sending twice
        first = min(pending.id for pending in rows)
        older = await self._older.execute(session, {"first": first, "n": len(self._owned) + 1})
        if any(row_id not in self._owned for row_id in older.scalars()):
            return None
        claim = Claim(rows)
        self._claims.append(claim)
        self._owned |= {pending.id for pending in rows}
        return claim

    async def settle(self, claim: Claim, *, committed: bool) -> None:
        """After the claim's transaction ended: send its rows (committed) or forget them (rolled back). Claims
        go out in the order they were made: a claim waits for the claims before it to settle."""
        claim.committed = committed
        async with self._sending:
            while self._claims and self._claims[0].committed is not None:
                head = self._claims.popleft()
                if not head.committed:
                    self._release(head.rows)
                elif self._relay_only:
                    self._release(head.rows)
                    self.wake()  # the relay loop sends them
                else:
                    await self._send_claim(head.rows)

    async def _send_claim(self, rows: Sequence[Pending]) -> None:
        try:
            fault_point("relay-before-publish")
            deliveries = [await self._send(pending.row) for pending in rows]
        except Exception as error:
            self._left_pending(rows, error)
            return
        task = asyncio.create_task(self._mark_when_acknowledged(rows, deliveries))
        self._marking.add(task)
        task.add_done_callback(self._marking.discard)

    async def _mark_when_acknowledged(self, rows: Sequence[Pending], deliveries: list[asyncio.Future[Any]]) -> None:
        try:
            await asyncio.gather(*deliveries)
            fault_point("relay-after-publish")
        except Exception as error:
            self._left_pending(rows, error)
            return
        self._acknowledged += [pending.id for pending in rows]
        if len(self._acknowledged) == len(rows):  # none waiting before these: this task marks, until none wait
            while self._acknowledged:
                ids = list(self._acknowledged)  # those acknowledged meanwhile are marked together next round
                try:
                    await self._mark(ids)
                except Exception as error:
                    failed, self._acknowledged = self._acknowledged, []
                    self._left_pending([Pending(row_id, {}) for row_id in failed], error)
                    return
                self._acknowledged = self._acknowledged[len(ids) :]
                self._release([Pending(row_id, {}) for row_id in ids])

    def _left_pending(self, rows: Sequence[Pending], error: Exception) -> None:  # the type only: messages may quote PHI
        log.warning("outbox: publishing after the commit failed with %s; the relay takes over", type(error).__name__)
        self._relay_only = True  # later rows must not overtake these
        self._release(rows)
        self.wake()

    def _release(self, rows: Sequence[Pending]) -> None:
        self._owned -= {pending.id for pending in rows}
        if self._stopped_short:  # the relay loop left rows after these; its turn again
            self._stopped_short = False
            self.wake()

    async def _mark(self, ids: list[int]) -> None:
        now = datetime.now(UTC)
        async with self._db.transaction() as session:
            await execute_many(session, self._mark_one, [{"row_id": row_id, "at": now} for row_id in ids])

    async def publish_pending(self) -> int:
        """Publish one batch of the pending rows before the first claimed one; how many were published."""
        if not self._db.is_sqlite:
            return await self._publish_locked()
        outbox = self._tables.outbox
        async with self._sending:
            query = select(outbox).where(outbox.c.published_at.is_(None)).order_by(outbox.c.id)
            self._stopped_short = bool(self._owned)
            if self._owned:
                query = query.where(outbox.c.id < min(self._owned))
            async with self._db.transaction() as session:
                found = (await session.execute(query.limit(self._batch_size))).mappings().all()
            if not found:
                self._relay_only = self._relay_only and bool(self._owned)
                return 0
            rows = [Pending(row["id"], dict(row)) for row in found]
            self._owned |= {pending.id for pending in rows}
            try:
                fault_point("relay-before-publish")
                deliveries = [await self._send(pending.row) for pending in rows]
            except BaseException:
                self._owned -= {pending.id for pending in rows}
                raise
        try:
            await asyncio.gather(*deliveries)
            fault_point("relay-after-publish")
            await self._mark([pending.id for pending in rows])
        except Exception:
            self._relay_only = True  # these go again: no poll's rows may overtake them meanwhile
            raise
        finally:
            self._owned -= {pending.id for pending in rows}
        return len(rows)

    async def _publish_locked(self) -> int:
        """PostgreSQL: one batch under row locks (``FOR UPDATE SKIP LOCKED``) held until marked, so instances
        sharing the outbox never send a row twice; the locks block no consumer's insert."""
        outbox = self._tables.outbox
        query = select(outbox).where(outbox.c.published_at.is_(None)).order_by(outbox.c.id).limit(self._batch_size)
        async with self._db.transaction() as session:
            rows = (await session.execute(query.with_for_update(skip_locked=True))).mappings().all()
            if not rows:
                return 0
            fault_point("relay-before-publish")
            await asyncio.gather(*[await self._send(dict(row)) for row in rows])
            fault_point("relay-after-publish")
            ids = [row["id"] for row in rows]
            await session.execute(update(outbox).where(outbox.c.id.in_(ids)).values(published_at=datetime.now(UTC)))
        return len(rows)

    async def _send(self, row: Mapping[str, Any]) -> asyncio.Future[Any]:
        if unsampled(row["headers"]) is not None:  # a trace not kept: no publish span, the context as stored
            headers = [(name, value.encode()) for name, value in row["headers"].items()]
            sent: asyncio.Future[Any] = await self._producer.send(
                row["topic"], value=row["payload"], key=row["key"], headers=headers
            )
            return sent
        parent = propagate.extract(row["headers"])
        with self._tracer.start_as_current_span(
            f"{row['topic']} publish",
            context=parent,
            kind=SpanKind.PRODUCER,
            attributes={"messaging.system": "kafka", "messaging.destination.name": row["topic"]},
        ):
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            headers = [(name, value.encode()) for name, value in carrier.items()]
            future: asyncio.Future[Any] = await self._producer.send(
                row["topic"], value=row["payload"], key=row["key"], headers=headers
            )
            return future

    async def run(self) -> None:
        """Publish until ``stop()``; between empty polls wait for ``wake()`` or the idle interval."""
        while not self._stopping:
            try:
                published = await self.publish_pending()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # The type only: a driver's message can quote row values, and rows carry PHI.
                log.error("outbox relay failed with %s; retrying", type(error).__name__)
                published = 0
                await asyncio.sleep(1.0)
            if published == 0:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout=self._idle_interval_s)

    def stop(self) -> None:
        self._stopping = True
        self._wakeup.set()

    async def close(self) -> None:
        """Let acknowledgements in flight be marked, then flush and stop the producer (after ``run`` returned)."""
        if self._marking:
            await asyncio.wait(set(self._marking), timeout=10)
        await self._producer.stop()
