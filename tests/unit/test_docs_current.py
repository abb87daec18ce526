"""docs/events.md and docs/asyncapi/*.json are generated (`make docs`); this fails when they are stale."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


def test_generated_docs_are_current() -> None:
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    stale = [
        str(path.relative_to(ROOT))
        for path, text in generate.rendered().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], f"run `make docs`: {stale}"
    assert "otrcm.claim-lines.ready.v1" in (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
