"""Finding or starting the real broker and database for tests."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def docker_engine_answers() -> bool:
    """True only when a Docker engine answers a ping (the client binary alone is not enough)."""
    try:
        import docker  # type: ignore[import-untyped]

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def _local(script: str) -> None:
    subprocess.run([str(ROOT / "deploy" / "local" / script), "up"], check=True, cwd=ROOT)


def kafka_bootstrap_servers() -> Iterator[str]:
    configured = os.environ.get("OTRCM_KAFKA_BOOTSTRAP")
    if configured:
        yield configured
        return
    if docker_engine_answers():
        from testcontainers.kafka import KafkaContainer  # type: ignore[import-untyped]

        with KafkaContainer("apache/kafka:4.1.1").with_kraft() as container:
            yield container.get_bootstrap_server()
        return
    _local("kafka/kafka.sh")
    yield "127.0.0.1:9092"


def postgres_url() -> Iterator[str]:
    configured = os.environ.get("OTRCM_DATABASE_URL")
    if configured:
        yield configured
        return
    if docker_engine_answers():
        from testcontainers.postgres import PostgresContainer  # type: ignore[import-untyped]

        with PostgresContainer("postgres:15", driver="asyncpg") as container:
            yield container.get_connection_url()
        return
    _local("postgres/db.sh")
    yield "postgresql+asyncpg://otrcm:otrcm@127.0.0.1:5432/otrcm"
