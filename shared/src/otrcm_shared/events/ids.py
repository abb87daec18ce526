"""Deterministic event ids: the same input processed by the same stage always yields the same id.

That is what makes redelivery harmless downstream: a consumer's inbox sees the id again and does nothing.
An id is the RFC 4122 (RFC 9562) name-based version 5 UUID of ``"<source>|<stage>"`` in ``OTRCM_NAMESPACE``:
exactly what ``uuid.uuid5`` returns, built here without its argument checks, because every event a stage emits
derives one.
"""

from hashlib import sha1
from uuid import UUID, SafeUUID

# A fixed namespace for every id otrcm derives; changing it would change every derived id.
OTRCM_NAMESPACE = UUID("6f1d7c2e-8a53-5b7e-9c0d-2f4a6b8e1c35")
_NAMESPACE_BYTES = OTRCM_NAMESPACE.bytes
# Version 5 in bits 76-79 and the RFC 4122 variant (binary 10) in bits 62-63 of the 128-bit value.
_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_MARKS = (5 << 76) | (0x8000 << 48)
_set = object.__setattr__  # UUID is immutable to ``setattr``; this is how ``uuid.UUID.__init__`` sets itself


def derive_event_id(source: UUID | str, stage: str) -> UUID:
    """Id of the event that ``stage`` emits in response to ``source`` (an event id or a natural key)."""
    if not stage:
        raise ValueError("stage must name the stage that derives the id")
    digest = sha1(_NAMESPACE_BYTES + f"{source}|{stage}".encode(), usedforsecurity=False).digest()
    derived = UUID.__new__(UUID)
    _set(derived, "int", (int.from_bytes(digest[:16], "big") & _KEEP) | _MARKS)
    _set(derived, "is_safe", SafeUUID.unknown)
    return derived
