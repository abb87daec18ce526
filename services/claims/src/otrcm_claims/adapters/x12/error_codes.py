"""Descriptions of acknowledgment error codes (999, TA1), read from ``data/ack_error_codes.json``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

Level = Literal["segment", "element", "transaction_set", "group", "interchange"]


@cache
def _table() -> dict[str, dict[str, str]]:
    text = resources.files("otrcm_claims.adapters.x12").joinpath("data/ack_error_codes.json").read_text("utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)
    return data


def describe(level: Level, code: str) -> str:
    """The standard description of ``code`` at ``level``, or a neutral text for an unlisted code."""
    return _table()[level].get(code, f"error code {code}")
