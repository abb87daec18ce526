"""The registry's producer and consumer lists agree with the code.

Consumers come from each service's ``runtime.subscribe(...)`` calls; producers from the ``PUBLISHES`` list
each module declares next to its outbox use, which its ``app.py`` hands to ``runtime.publishes(...)``. A
module that names a topic of the registry (outside ``app.py``) must list exactly those topics in ``PUBLISHES``.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from otrcm_shared import topics
from otrcm_shared.events.dead_letters import DeadLetter
from otrcm_shared.topics import DEAD_LETTERS, REGISTRY, TopicSpec

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
TOPIC_CONSTANTS = {name for name, value in vars(topics).items() if isinstance(value, TopicSpec)}


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate_registry", ROOT / "docs" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATE = _generate()
RUNTIMES: dict[str, Any] = GENERATE.runtimes()


def disagreements(specs: list[TopicSpec], derived: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> list[str]:
    """Where a declared list, restricted to the services built here, differs from the derived one."""
    found = []
    for spec in specs:
        producers, consumers = derived[spec.name]
        for role, declared, actual in (
            ("producers", spec.producers, producers),
            ("consumers", spec.consumers, consumers),
        ):
            if {p for p in declared if p in RUNTIMES} != {p for p in actual if p in RUNTIMES}:
                found.append(f"{spec.name} {role}: declared {sorted(declared)}, code {sorted(actual)}")
    return found


def _imported_topics(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "otrcm_shared.topics"
        for alias in node.names
        if alias.name in TOPIC_CONSTANTS
    }


def _modules(service: str) -> list[tuple[Path, str]]:
    package = ROOT / "services" / service / "src" / f"otrcm_{service}"
    return [
        (path, ".".join(path.relative_to(package.parent).with_suffix("").parts))
        for path in sorted(package.rglob("*.py"))
        if path.name != "app.py"
    ]


def test_the_registry_lists_are_the_ones_the_code_derives() -> None:
    assert disagreements(list(REGISTRY.values()), GENERATE.participants(RUNTIMES)) == []


def test_a_declared_consumer_that_does_not_subscribe_is_caught() -> None:
    wrong = TopicSpec(
        name="otrcm.therapy-spend.recorded.v1",
        payload=DeadLetter,
        key="k",
        description="d",
        producers=("intake",),
        consumers=("modifiers", "status"),
    )
    assert disagreements([wrong], GENERATE.participants(RUNTIMES)) == [
        "otrcm.therapy-spend.recorded.v1 consumers: declared ['modifiers', 'status'], code ['modifiers']"
    ]


@pytest.mark.parametrize("service", list(RUNTIMES))
def test_each_module_publishes_exactly_the_topics_it_names(service: str) -> None:
    declared: set[str] = set()
    for path, dotted in _modules(service):
        named = _imported_topics(path)
        listed = getattr(importlib.import_module(dotted), "PUBLISHES", ())
        listed_names = {name for name in TOPIC_CONSTANTS if getattr(topics, name) in listed}
        assert listed_names == named, f"{dotted}: PUBLISHES {sorted(listed_names)} but the code names {sorted(named)}"
        declared |= {spec.name for spec in listed}
    runtime = RUNTIMES[service]
    expected = declared | ({DEAD_LETTERS.name} if runtime.subscriptions else set())
    assert set(runtime.published) == expected, f"{service}/app.py must hand every module's PUBLISHES to the runtime"


def test_docs_list_the_derived_participants() -> None:
    text = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `otrcm.billing-days.judged.v2`"))
    assert row.rstrip(" |").endswith("| poc | modifiers, status")
