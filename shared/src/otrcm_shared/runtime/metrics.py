"""A service's metrics: OpenTelemetry instruments read by a Prometheus exporter, served on ``/metrics``.

What a record costs is kept small (the consume path is measured in microseconds): a poll adds once to the
consumed count per topic, a handler call adds to one histogram bucket, a dead letter adds once; plain Python
numbers, read by the instruments at scrape time. Everything
that is a state (outbox rows pending and their age, consumer lag, what the database holds) is asked for
when Prometheus scrapes (:meth:`ServiceMetrics.render`), never per record.

Labels are names from fixed sets (service, consumer group, topic, partition number, reason code, status,
acknowledgment kind): never an id of a tenant, patient, encounter or claim, and never PHI.
"""

from __future__ import annotations

import asyncio
import logging
import time
from bisect import bisect_left
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import HistogramMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from otrcm_shared.runtime.json_logs import EVENT_CONTEXT

log = logging.getLogger(__name__)

Labels = Mapping[str, str | int]
Points = Iterable[tuple[Labels, float]]
StateQuery = Callable[[], Awaitable[Points]]

# Handler latency buckets (seconds): a handler takes tens of microseconds to a few milliseconds.
HANDLER_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
STATE_TIMEOUT_S = 5.0


@dataclass(slots=True)
class _State:
    """One state metric: the query that reads it at scrape time and the points it read last."""

    query: StateQuery
    min_interval_s: float = 0.0
    points: list[tuple[Labels, float]] = field(default_factory=list)
    read_at: float | None = None

    def observe(self, _options: CallbackOptions) -> list[Observation]:
        return [Observation(value, dict(labels)) for labels, value in self.points]


class _Tally:
    """What one consumer saw on one topic since start: plain numbers, added to on the consume path."""

    __slots__ = ("buckets", "consumed", "seconds")

    def __init__(self) -> None:
        self.consumed = 0
        self.buckets = [0] * (len(HANDLER_BUCKETS) + 1)  # the last: above the highest bound
        self.seconds = 0.0


class _HandlerHistogram:
    """A prometheus_client collector of the tallies' handler durations (cumulative buckets, sum, count)."""

    def __init__(self, tallies: dict[tuple[str, str], _Tally], service: str) -> None:
        self._tallies = tallies
        self._service = service

    def describe(self) -> list[HistogramMetricFamily]:
        return [self._family()]

    def _family(self) -> HistogramMetricFamily:
        return HistogramMetricFamily(
            "otrcm_handler_duration_seconds",
            "Time a handler took on one event (first deliveries).",
            labels=("service", "consumer", "topic"),
        )

    def collect(self) -> list[HistogramMetricFamily]:
        family = self._family()
        for (group, topic), tally in list(self._tallies.items()):
            running, buckets = 0, []
            for bound, count in zip((*map(str, HANDLER_BUCKETS), "+Inf"), tally.buckets, strict=True):
                running += count
                buckets.append((bound, running))
            family.add_metric((self._service, group, topic), buckets, tally.seconds)
        return [family]


class ServiceMetrics:
    """The instruments of one service, on a meter provider and a Prometheus registry of its own (several
    services may run in one process, as the tests run them).

    OpenTelemetry's synchronous instruments cost tens of microseconds a call in Python (attribute checks and
    hashing), too much per record; so the consume path adds to plain numbers (:class:`_Tally`) and the
    instruments read them when Prometheus scrapes (observable counters; the handler histogram is a collector
    on the same registry)."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry(auto_describe=True)
        self._reader = PrometheusMetricReader(registry=self.registry)
        self.provider = MeterProvider(
            resource=Resource.create({SERVICE_NAME: f"otrcm-{service}"}), metric_readers=[self._reader]
        )
        self.meter = self.provider.get_meter("otrcm")
        self._tallies: dict[tuple[str, str], _Tally] = {}
        self._dead_letters: dict[tuple[str, str, str], int] = {}
        self.meter.create_observable_counter(
            "otrcm.records.consumed",
            callbacks=[self._observe_consumed],
            unit="1",
            description="Records a consumer group received, by topic.",
        )
        self.meter.create_observable_counter(
            "otrcm.records.dead_lettered",
            callbacks=[self._observe_dead_letters],
            unit="1",
            description="Records sent to the dead-letter topic, by reason.",
        )
        self.registry.register(_HandlerHistogram(self._tallies, service))
        self._states: list[_State] = []
        # the Prometheus names of what this service exports (the dashboards and alert rules use only these)
        self.exported: set[str] = {"otrcm_records_consumed_total", "otrcm_records_dead_lettered_total"}
        self.exported |= {f"otrcm_handler_duration_seconds_{part}" for part in ("bucket", "sum", "count")}

    def _tally(self, group: str, topic: str) -> _Tally:
        tally = self._tallies.get((group, topic))
        if tally is None:
            tally = self._tallies[(group, topic)] = _Tally()
        return tally

    def _observe_consumed(self, _options: CallbackOptions) -> list[Observation]:
        return [
            Observation(tally.consumed, {"service": self.service, "consumer": group, "topic": topic})
            for (group, topic), tally in list(self._tallies.items())
        ]

    def _observe_dead_letters(self, _options: CallbackOptions) -> list[Observation]:
        return [
            Observation(count, {"service": self.service, "consumer": group, "topic": topic, "reason": reason})
            for (group, topic, reason), count in list(self._dead_letters.items())
        ]

    def consumed(self, group: str, topic: str, count: int) -> None:
        self._tally(group, topic).consumed += count

    def dead_lettered(self, group: str, topic: str, reason: str) -> None:
        key = (group, topic, reason)
        self._dead_letters[key] = self._dead_letters.get(key, 0) + 1

    def observed(self, handler: Callable[..., Awaitable[Any]], group: str, topic: str) -> Callable[..., Awaitable[Any]]:
        """``handler`` adding its duration to the histogram's buckets, with the event's tenant and type set for
        the log lines it writes."""
        tally = self._tally(group, topic)
        buckets = tally.buckets
        bounds = HANDLER_BUCKETS
        clock = time.perf_counter
        context = EVENT_CONTEXT

        async def observed_handler(session: Any, event: Any) -> Any:
            token = context.set((event.tenant_id, event.event_type))
            started = clock()
            try:
                return await handler(session, event)
            finally:
                elapsed = clock() - started
                buckets[bisect_left(bounds, elapsed)] += 1
                tally.seconds += elapsed
                context.reset(token)

        return observed_handler

    def state(
        self,
        name: str,
        query: StateQuery,
        *,
        description: str,
        unit: str = "1",
        counter: bool = False,
        min_interval_s: float = 0.0,
    ) -> None:
        """A metric read from the service's state when Prometheus scrapes (at most every ``min_interval_s``): a
        gauge, or a counter when the value only grows (a count of rows that are never deleted)."""
        self.exported.add(prometheus_name(name, unit, counter=counter))
        state = _State(query, min_interval_s)
        self._states.append(state)
        make = self.meter.create_observable_counter if counter else self.meter.create_observable_gauge
        make(name, callbacks=[state.observe], unit=unit, description=description)

    def tally_by(self, name: str, label: str, *, description: str) -> dict[str, int]:
        """A counter by ``label`` that the service adds to in a plain dict (cheap on the consume path)."""
        counts: dict[str, int] = {}
        self.exported.add(prometheus_name(name, "1", counter=True))

        def observe(_options: CallbackOptions) -> list[Observation]:
            return [Observation(count, {label: value}) for value, count in list(counts.items())]

        self.meter.create_observable_counter(name, callbacks=[observe], unit="1", description=description)
        return counts

    async def refresh(self) -> None:
        """Read every state metric (each with a timeout; one that fails keeps its last points)."""

        now = time.monotonic()

        async def one(state: _State) -> None:
            if state.read_at is not None and now - state.read_at < state.min_interval_s:
                return
            try:
                async with asyncio.timeout(STATE_TIMEOUT_S):
                    state.points = [(labels, float(value)) for labels, value in await state.query()]
                state.read_at = now
            except Exception as error:
                log.warning("metrics: a state query failed with %s", type(error).__name__)

        await asyncio.gather(*(one(state) for state in self._states))

    async def render(self) -> tuple[bytes, str]:
        """The Prometheus text exposition, states read first."""
        await self.refresh()
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def shutdown(self) -> None:
        self.provider.shutdown()


def prometheus_name(name: str, unit: str, *, counter: bool) -> str:
    """The name the Prometheus exporter gives an instrument: dots to underscores, the unit, ``_total``."""
    base = name.replace(".", "_") + ("_seconds" if unit == "s" else "")
    return f"{base}_total" if counter else base


def counted_by(values: Iterable[Sequence[Any]], label: str) -> Points:
    """Rows of (label value, count) as points labelled ``label``."""
    return [({label: str(value)}, float(count)) for value, count in values]


def reason_codes(reasons: Any) -> list[str]:
    """The reason codes of a stored list of reasons (codes, or reasons as plain data with a ``code``)."""
    if not isinstance(reasons, list):
        return []
    return [str(r.get("code")) if isinstance(r, dict) else str(r) for r in reasons if r]


def by_reason(lists_of_reasons: Iterable[Any]) -> Points:
    """How many rows hold each reason code (a row with two reasons counts under both)."""
    counts: dict[str, int] = {}
    for reasons in lists_of_reasons:
        for code in dict.fromkeys(reason_codes(reasons)):
            counts[code] = counts.get(code, 0) + 1
    return [({"reason": code}, float(count)) for code, count in sorted(counts.items())]
