"""JSON Schema export of every registered event: ``python -m otrcm_shared.schemas [DIR]``.

One file per topic, ``<topic name>.schema.json``, describing the whole envelope with its payload.
The checked-in copies under ``shared/schemas/`` are compared with a fresh export by a test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from otrcm_shared.events.envelope import envelope_of
from otrcm_shared.topics import TopicSpec, all_topics

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "schemas"


def schema_of(spec: TopicSpec) -> dict[str, Any]:
    schema = envelope_of(spec.payload).model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://otrcm.dev/schemas/{spec.name}.schema.json"
    schema["title"] = spec.name
    schema["description"] = spec.description
    return schema


def render_all() -> dict[str, str]:
    """File name -> file text for every topic in the registry."""
    return {
        f"{spec.name}.schema.json": json.dumps(schema_of(spec), indent=2, sort_keys=True) + "\n"
        for spec in all_topics()
    }


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    rendered = render_all()
    for stale in directory.glob("*.schema.json"):
        if stale.name not in rendered:
            stale.unlink()
    written = []
    for name, text in rendered.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else DEFAULT_DIR
    for path in write_all(directory):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
