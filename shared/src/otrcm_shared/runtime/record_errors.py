"""How a consumer sorts what went wrong with a record: try again later (the infrastructure), or never (the
record: a dead letter). Messages name fields and rules only, never the record's values (they may be PHI)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from aiokafka.errors import KafkaError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

# Errors that say "try again later", not "this record is bad". IntegrityError and other DBAPIErrors
# are bugs on the record, except when the driver reports the connection itself was lost.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    KafkaError,
    ConnectionError,
    TimeoutError,
    OSError,
)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, INFRASTRUCTURE_ERRORS):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


class RecordRejected(Exception):
    """A record this stage will never be able to process; it goes to the dead-letter topic.

    The message must not quote the record's values (they may be PHI).
    """

    def __init__(self, reason_code: str, message: str, rule_ids: Sequence[str] = ()) -> None:
        super().__init__(f"{reason_code}: {message}")
        self.reason_code = reason_code
        self.message = message
        self.rule_ids = tuple(rule_ids)


def describe_validation_error(error: ValidationError) -> str:
    """Field paths and error kinds only; pydantic's own text quotes the input values."""
    parts = [f"{'.'.join(str(p) for p in item['loc']) or '<root>'}: {item['type']}" for item in error.errors()]
    return "; ".join(parts[:10]) + (f" (+{len(parts) - 10} more)" if len(parts) > 10 else "")


def tenant_of(body: bytes) -> str:
    """The tenant a record names, for its dead letter; "unknown" when it names none readable."""
    try:
        tenant = json.loads(body).get("tenant_id")
    except (ValueError, AttributeError):
        return "unknown"
    return tenant if isinstance(tenant, str) and 0 < len(tenant) <= 64 else "unknown"
