"""The PHI scan: every log line, exported span and dead letter of the run, searched for every generated
name, birth date and member id. A hit names the file and the kind of value, never the value."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def _matcher(sentinels: Iterable[str]) -> re.Pattern[str]:
    # Names match as whole words (a syllable name could sit inside a longer token only by chance).
    words = sorted(set(sentinels), key=len, reverse=True)
    return re.compile("|".join(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])" for word in words))


def scan_texts(sources: dict[str, str], sentinels: Iterable[str]) -> dict[str, int]:
    """Hits per source name (zero-hit sources are left out)."""
    pattern = _matcher(sentinels)
    return {name: n for name, text in sources.items() if (n := len(pattern.findall(text)))}


def run_sources(var_dir: Path, dead_letters: list[dict[str, Any]]) -> dict[str, str]:
    """What the run exported: the services' logs, the spans file, and the dead letters (as JSON)."""
    sources = {
        str(path.relative_to(var_dir)): path.read_text(errors="replace") for path in (var_dir / "logs").glob("*")
    }
    spans = var_dir / "spans.jsonl"
    sources["spans.jsonl"] = spans.read_text(errors="replace") if spans.exists() else ""
    sources["dead-letters"] = json.dumps(dead_letters)
    return sources
