"""Fixtures shared by every tier.

Real components are found in this order: environment variables (``OTRCM_KAFKA_BOOTSTRAP``,
``OTRCM_DATABASE_URL``), then testcontainers when a Docker engine answers a ping, then the
project's own local scripts (``deploy/local``), which start a real Kafka and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.infra import kafka_bootstrap_servers, postgres_url


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    yield from kafka_bootstrap_servers()


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    yield from postgres_url()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fault suite restarts the broker and the database: it runs after everything else."""
    items.sort(key=lambda item: item.get_closest_marker("faults") is not None)
