"""Kafka connections built from settings: the FastStream broker, a raw producer, topic creation."""

from __future__ import annotations

import logging
import random
import ssl
from functools import lru_cache
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import murmur2
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512
from opentelemetry.trace import TracerProvider

from otrcm_shared.runtime.settings import KafkaSecurityProtocol, RuntimeSettings
from otrcm_shared.runtime.topic_admin import apply_registry
from otrcm_shared.topics import TopicSpec

log = logging.getLogger(__name__)

# aiokafka's debug records quote whole message values, and the patients topic carries PHI: its loggers
# never go below WARNING, whatever the root level (a PHI test checks this with logging at DEBUG).
logging.getLogger("aiokafka").setLevel(logging.WARNING)


def _ssl_context(settings: RuntimeSettings) -> ssl.SSLContext | None:
    if settings.kafka_security_protocol in (KafkaSecurityProtocol.SSL, KafkaSecurityProtocol.SASL_SSL):
        cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
        return ssl.create_default_context(cafile=cafile)
    return None


def bootstrap_servers(settings: RuntimeSettings) -> list[str]:
    """``OTRCM_KAFKA_BOOTSTRAP`` as a list: FastStream takes a string as one address, so a cluster's
    comma-separated list must be split (aiokafka's own clients split it themselves)."""
    return [address.strip() for address in settings.kafka_bootstrap.split(",") if address.strip()]


def client_options(settings: RuntimeSettings, client_id: str) -> dict[str, Any]:
    """Keyword arguments for aiokafka clients (producer, consumer, admin)."""
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers(settings),
        "client_id": client_id,
        "security_protocol": settings.kafka_security_protocol.value,
    }
    context = _ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.kafka_security_protocol.value.startswith("SASL"):
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism
        options["sasl_plain_username"] = settings.kafka_sasl_username
        password = settings.kafka_sasl_password
        options["sasl_plain_password"] = password.get_secret_value() if password else None
    return options


def _faststream_security(settings: RuntimeSettings) -> BaseSecurity | None:
    context = _ssl_context(settings)
    if not settings.kafka_security_protocol.value.startswith("SASL"):
        return BaseSecurity(ssl_context=context) if context else None
    password = settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else ""
    username = settings.kafka_sasl_username or ""
    kinds: dict[str, type[SASLPlaintext] | type[SASLScram256] | type[SASLScram512]] = {
        "PLAIN": SASLPlaintext,
        "SCRAM-SHA-256": SASLScram256,
        "SCRAM-SHA-512": SASLScram512,
    }
    return kinds[settings.kafka_sasl_mechanism](username=username, password=password, ssl_context=context)


def make_broker(settings: RuntimeSettings, client_id: str, tracer_provider: TracerProvider | None) -> KafkaBroker:
    """A FastStream broker: idempotent producer acknowledged by all in-sync replicas, security from settings,
    and FastStream's tracing middleware when ``tracer_provider`` is given (a broker that publishes: the
    middleware injects ``traceparent``).

    A service's runtime passes None: its subscribers make their own span per record (parented by the
    record's headers) and its events leave through the outbox relay, so a second layer would only cost."""
    middlewares = [KafkaTelemetryMiddleware(tracer_provider=tracer_provider)] if tracer_provider else []
    return KafkaBroker(
        bootstrap_servers(settings),
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        security=_faststream_security(settings),
        middlewares=middlewares,
        log_level=logging.DEBUG,  # a line per message is noise at INFO; failures are still logged
        logger=logging.getLogger("otrcm.broker"),  # the root's handler (JSON lines), not FastStream's colours
    )


@lru_cache(maxsize=65_536)
def _key_hash(key: bytes) -> int:
    """Kafka's partitioning hash of a key (murmur2, positive), as the Java client computes it; a service sends
    many events under each patient's key, so each key is hashed once (aiokafka's murmur2 is pure Python)."""
    hashed: int = murmur2(key) & 0x7FFFFFFF
    return hashed


def keyed_partitioner(key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
    """aiokafka's default partitioner (the Java client's: same key, same partition), with the hash cached."""
    if key is None:
        return random.choice(available or all_partitions)
    return all_partitions[_key_hash(key) % len(all_partitions)]


def make_producer(settings: RuntimeSettings, client_id: str) -> AIOKafkaProducer:
    """A raw idempotent producer (the outbox relay's), acknowledged by all in-sync replicas."""
    return AIOKafkaProducer(
        **client_options(settings, client_id),
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        partitioner=keyed_partitioner,
    )


async def ensure_topics(settings: RuntimeSettings, specs: list[TopicSpec], client_id: str) -> list[str]:
    """Apply the registry's ``specs`` to the cluster (``topic_admin.apply_registry``): create the missing topics
    with their declared partitions, replication and configs, and bring existing ones back to them. Returns the
    names it created."""
    admin = AIOKafkaAdminClient(**client_options(settings, client_id))
    await admin.start()
    try:
        created, _changed = await apply_registry(admin, specs)
        return created
    finally:
        await admin.close()
