"""The PHI scan: every log line, exported span and dead letter of the run, searched for every generated
name, birth date and member id. A hit names the file and the kind of value, never the value."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def _hits(text: str, sentinels: frozenset[str]) -> int:
    """Tokens of letters and digits (dash-joined ones too, so ISO dates stay whole) that are a sentinel,
    whole or by any dash-separated part; one pass over the text, case-insensitive."""
    count = 0
    for token in _TOKEN.findall(text.upper()):
        if token in sentinels or ("-" in token and any(part in sentinels for part in token.split("-"))):
            count += 1
    return count


def scan_texts(sources: dict[str, str], sentinels: Iterable[str]) -> dict[str, int]:
    """Hits per source name (zero-hit sources are left out)."""
    wanted = frozenset(word.upper() for word in sentinels)
    return {name: n for name, text in sources.items() if (n := _hits(text, wanted))}


def run_sources(var_dir: Path, dead_letters: list[dict[str, Any]]) -> dict[str, str]:
    """What the run exported: the services' logs, the spans file, and the dead letters (as JSON)."""
    sources = {
        str(path.relative_to(var_dir)): path.read_text(errors="replace") for path in (var_dir / "logs").glob("*")
    }
    spans = var_dir / "spans.jsonl"
    sources["spans.jsonl"] = spans.read_text(errors="replace") if spans.exists() else ""
    sources["dead-letters"] = json.dumps(dead_letters)
    return sources
