"""A console session's life: it ends after ``idle`` without a request, or when its user signs out."""

from __future__ import annotations

from datetime import datetime, timedelta


def expired(last_seen: datetime, now: datetime, idle: timedelta) -> bool:
    """Rule: a session unused for ``idle`` or longer is over (the next request must sign in again)."""
    return now - last_seen >= idle
