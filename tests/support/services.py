"""Running one service in-process on the real broker and database, and publishing to it, for tests."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from otrcm_shared.runtime.kafka import ensure_topics, make_broker
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import all_topics


def settings_for(kafka_bootstrap: str, postgres_base_url: str, var_dir: Path) -> RuntimeSettings:
    return RuntimeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=var_dir)


@asynccontextmanager
async def running(name: str, settings: RuntimeSettings) -> AsyncIterator[ServiceRuntime]:
    """The service ``otrcm_<name>`` started with its subscribers (topics created first), stopped after."""
    await ensure_topics(settings, all_topics(), "test-admin")
    app_module = importlib.import_module(f"otrcm_{name}.entrypoints.app")
    runtime: ServiceRuntime = app_module.build_runtime(settings, setup_tracing(f"otrcm-{name}-test"))
    app = runtime.app(app_module.DESCRIPTION)
    await app.start()
    try:
        yield runtime
    finally:
        await app.stop()


async def publish(settings: RuntimeSettings, topic: str, bodies: Sequence[str | bytes], key: bytes) -> None:
    """Publish raw bodies in order under one key (one partition), as an upstream stage or feed would."""
    producer = make_broker(settings, "test-producer", setup_tracing("test-producer"))
    await producer.start()
    try:
        for body in bodies:
            await producer.publish(body, topic, key=key)
    finally:
        await producer.stop()
