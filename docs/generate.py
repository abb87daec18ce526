"""Regenerates the event catalog (docs/events.md) and the AsyncAPI documents (docs/asyncapi/) from the
topic registry and the six service apps: ``make docs``. A test fails when the checked-in copies are stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
SERVICES = ("intake", "units", "poc", "modifiers", "claims", "status")


def service_names() -> tuple[str, ...]:
    """The five services in pipeline order, then any other ``services/<name>`` with an ``app.py``."""
    found = {path.parents[2].name for path in (DOCS.parent / "services").glob("*/src/otrcm_*/app.py")}
    return SERVICES + tuple(sorted(found - set(SERVICES)))


def runtimes() -> dict[str, Any]:
    """Each service's runtime, built as its composition root builds it (nothing is started or connected)."""
    import importlib

    return {name: importlib.import_module(f"otrcm_{name}.entrypoints.app").build_runtime() for name in service_names()}


def participants(built: dict[str, Any] | None = None) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per topic, (producers, consumers) derived from the code: a service produces a topic its runtime
    declares in ``publishes`` (its modules' ``PUBLISHES``), consumes one it ``subscribe``s to (or follows,
    reference data). Parties that are not services here (EHR feeds, the refdata CLI) come from the registry."""
    from otrcm_shared.topics import all_topics

    built = built if built is not None else runtimes()
    derived = {}
    for spec in all_topics():
        producers = [name for name, runtime in built.items() if spec.name in runtime.published]
        consumers = [name for name, runtime in built.items() if spec.name in runtime.consumed]
        outside_producers = [party for party in spec.producers if party not in built]
        outside_consumers = [party for party in spec.consumers if party not in built]
        derived[spec.name] = (tuple(outside_producers + producers), tuple(consumers + outside_consumers))
    return derived


def _fields(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    payload_ref = schema["properties"]["payload"]["$ref"].rsplit("/", 1)[1]
    payload = schema["$defs"][payload_ref]
    rows = []
    for name, field in payload.get("properties", {}).items():
        kind = field.get("type") or (field.get("$ref", "").rsplit("/", 1)[-1]) or "any"
        if "anyOf" in field:
            kind = " or ".join(sorted({p.get("type") or p.get("$ref", "").rsplit("/", 1)[-1] for p in field["anyOf"]}))
        rows.append((name, kind, field.get("description", "").replace("|", "/")))
    return rows


def events_markdown() -> str:
    from otrcm_shared.schemas import schema_of
    from otrcm_shared.topics import RETIRED, all_topics

    lines = [
        "# Event catalog",
        "",
        "Generated from the topic registry (`shared/src/otrcm_shared/topics.py`) by `make docs`; do not edit.",
        "Producers and consumers are derived from the code: each service's `runtime.subscribe(...)` calls and",
        "the `PUBLISHES` list of every module that stages outbox rows (`runtime.publishes(...)` in its `app.py`).",
        "Every event travels in the same envelope (`event_id`, `event_type`, `schema_version`, `occurred_at`,",
        "`tenant_id`, `subject`, `causation_id`, `correlation_id`, `payload`); trace context rides in the",
        "`traceparent` Kafka header. JSON Schemas: `shared/schemas/`. Partitions, replicas, cleanup and retention are",
        "applied to the cluster by every service at start-up (`make topics` shows what it holds); replicas are capped",
        "by the cluster's `default.replication.factor` (one copy on the single local broker).",
        "",
        "| topic | key | payload | partitions | replicas (min in sync) | cleanup | retention | producers | consumers |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    specs = all_topics()
    derived = participants()
    for spec in specs:
        producers, consumers = derived[spec.name]
        lines.append(
            f"| `{spec.name}` | {spec.key} | `{spec.payload.__name__}` | {spec.partitions} | "
            f"{spec.replication_factor} ({spec.min_insync_replicas}) | {spec.cleanup_policy.value} | "
            f"{_retention(spec)} | {', '.join(producers) or '-'} | {', '.join(consumers) or '-'} |"
        )
    lines += [
        "",
        "Retired topics (no longer produced or read; their released schemas stay in `shared/schemas/released/`):",
    ]
    lines += ["", "| topic | retired by |", "|---|---|"]
    lines += [f"| `{name}` | {why} |" for name, why in sorted(RETIRED.items())]
    for spec in specs:
        lines += ["", f"## `{spec.name}`", "", spec.description, "", "| field | type | meaning |", "|---|---|---|"]
        lines += [f"| `{name}` | {kind} | {meaning} |" for name, kind, meaning in _fields(schema_of(spec))]
    return "\n".join(lines) + "\n"


def _retention(spec: Any) -> str:
    """A topic's declared retention in days ("-" for a compacted topic, kept by key)."""
    if spec.retention_ms is None:
        return "-"
    days = spec.retention_ms / (24 * 3600 * 1000)
    return f"{days:g} days" if days >= 1 else f"{spec.retention_ms} ms"


def asyncapi_documents() -> dict[str, str]:
    import importlib

    from faststream.specification import AsyncAPI

    documents = {}
    for name, runtime in runtimes().items():
        app = importlib.import_module(f"otrcm_{name}.entrypoints.app")
        spec = AsyncAPI(runtime.broker, title=f"otrcm-{name}", version="0.1.0", description=app.DESCRIPTION)
        document = json.loads(spec.to_specification().to_json())
        document.pop("servers", None)  # where the broker runs is deployment, not contract
        for channel in document.get("channels", {}).values():
            channel.pop("servers", None)  # they would point at the servers just removed (#/servers/development)
        documents[f"{name}.json"] = json.dumps(document, indent=2, sort_keys=True) + "\n"
    return documents


def rendered() -> dict[Path, str]:
    files = {DOCS / "events.md": events_markdown()}
    files.update({DOCS / "asyncapi" / name: text for name, text in asyncapi_documents().items()})
    return files


def main() -> int:
    for path, text in rendered().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(DOCS.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
