"""Code, data and docs cite only what a reader of the repository can open: a file of the repository
(docs/billing-rules.md and its sections) or a primary source (CMS manuals, CPT, NCCI, 13 CSR, X12 guides).
A markdown file that is not in the repository, a design note quoted by section, or a path into a
workspace outside the repository fails this test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".git", ".venv", "node_modules", "var", "build", "dist", "__pycache__"}
SUFFIXES = {".py", ".md", ".json", ".csv", ".toml", ".yaml", ".yml", ".mjs", ".sh", ".txt", ".cfg"}

MARKDOWN_FILE = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.md)\b")
NOTE_BY_SECTION = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:\.md)? ?(?:§|\\u00a7)\d")
# A path into the folder that holds the checkout (found at run time, so no machine's path is written here),
# the design notes beside it, or three levels up.
BESIDE_THE_CHECKOUT = re.escape(f"{ROOT.parent.as_posix()}/")
OUTSIDE_PATH = re.compile(rf"{BESIDE_THE_CHECKOUT}|(?<![\w/])shared/design/|\.\./\.\./\.\./")
RULES_ANCHOR = re.compile(r"docs/billing-rules\.md#([\w-]*)")


def _files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if path.is_file() and path.suffix in SUFFIXES and not parts & SKIP_DIRS and ".egg-info" not in str(path):
            found.append(path)
    return found


def _markdown_names() -> set[str]:
    names = set()
    for path in ROOT.rglob("*.md"):
        if not set(path.relative_to(ROOT).parts) & SKIP_DIRS:
            names.add(path.name)
    return names


def _slug(heading: str) -> str:
    """The anchor a markdown renderer (GitHub) gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    return {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def outside_citations(text: str, markdown_names: set[str], rule_anchors: set[str]) -> list[str]:
    """Every citation in ``text`` a reader of the repository could not follow."""
    found = [m.group(1) for m in MARKDOWN_FILE.finditer(text) if Path(m.group(1)).name not in markdown_names]
    found += [m.group(0) for m in NOTE_BY_SECTION.finditer(text)]
    found += [m.group(0) for m in OUTSIDE_PATH.finditer(text)]
    found += [f"#{m.group(1)}" for m in RULES_ANCHOR.finditer(text) if m.group(1) not in rule_anchors]
    return found


RULE_ANCHORS = anchors((ROOT / "docs" / "billing-rules.md").read_text(encoding="utf-8"))


def test_no_file_cites_a_document_outside_the_repository() -> None:
    names = _markdown_names()
    this = Path(__file__).resolve()
    offenders = {
        str(path.relative_to(ROOT)): hits
        for path in _files()
        if path != this
        and (hits := outside_citations(path.read_text(encoding="utf-8", errors="replace"), names, RULE_ANCHORS))
    }
    assert offenders == {}


def test_the_check_catches_outside_notes_and_dangling_anchors() -> None:
    names = {"README.md", "billing-rules.md"}
    note = "BILLING" + "_RULES"
    beside = ROOT.parent.as_posix()
    text = (
        f"Source: {note}.md §4; {note} §3; see ARCHITECTURE.md, {beside}/notes and shared/design/notes; "
        "docs/billing-rules.md#4-threshold-and-kx and docs/billing-rules.md#no-such-section; README.md"
    )
    assert outside_citations(text, names, RULE_ANCHORS) == [
        f"{note}.md",
        "ARCHITECTURE.md",
        f"{note}.md §4",
        f"{note} §3",
        f"{beside}/",
        "shared/design/",
        "#no-such-section",
    ]


def test_every_billing_rules_section_is_anchored() -> None:
    assert {f"{n}-" for n in range(1, 12)} <= {a[: len(str(n)) + 1] for a in RULE_ANCHORS for n in range(1, 12)}
    assert "5-plan-of-care" in RULE_ANCHORS
