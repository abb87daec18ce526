"""Which failures are retried (the infrastructure) and which are dead-lettered (the record)."""

from __future__ import annotations

import pytest
from aiokafka.errors import KafkaConnectionError
from sqlalchemy.exc import IntegrityError, OperationalError

from otrcm_shared.runtime.consumer import is_transient

pytestmark = pytest.mark.unit


def test_a_lost_connection_is_retried() -> None:
    assert is_transient(OperationalError("select 1", {}, Exception("server closed the connection")))
    assert is_transient(KafkaConnectionError())
    assert is_transient(ConnectionResetError())


def test_a_constraint_violation_is_not_retried_forever() -> None:
    """Regression: IntegrityError is a DBAPIError; retrying it would block its partition for good."""
    assert not is_transient(IntegrityError("insert", {}, Exception("duplicate key")))
    assert not is_transient(KeyError("x"))
