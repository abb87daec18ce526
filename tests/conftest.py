"""Fixtures shared by every tier.

Real components are found in this order: environment variables (``OTRCM_KAFKA_BOOTSTRAP``,
``OTRCM_DATABASE_URL``), then testcontainers when a Docker engine answers a ping, then the
project's own local scripts (``deploy/local``), which start a real Kafka and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings as hypothesis_settings

from tests.support.infra import kafka_bootstrap_servers, postgres_url

# Property tests check results, not speed: on a shared 2-core machine an example may take longer than
# hypothesis' default 200 ms deadline, and that must not fail a test (speed is `make bench`'s job).
hypothesis_settings.register_profile("otrcm", deadline=None)
hypothesis_settings.load_profile("otrcm")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    yield from kafka_bootstrap_servers()


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    yield from postgres_url()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fault suite restarts the broker and the database: it runs after everything else."""
    items.sort(key=lambda item: item.get_closest_marker("faults") is not None)
