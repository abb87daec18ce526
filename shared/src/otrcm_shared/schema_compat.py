"""Is a topic's contract still readable by what was released? The rule of the registry: a breaking change
is a new major topic (``.v2``); within a major, events already written (stored rows, a replay, a topic's
retention) must still be read by the current model.

``breaking_changes(released, current)`` compares two JSON Schemas of one topic (as ``otrcm_shared.schemas``
exports them) and names every change that would make an event valid under ``released`` invalid under
``current``: a field removed (readers forbid unknown fields), a field newly required, a field's type
changed. Adding an optional field is not breaking. ``shared/schemas/released/`` holds the schemas as
released; a test compares each with the current export. A released topic may leave the registry only as a
retired one (``topics.RETIRED``, naming the decision): ``left_unretired`` names any other that is gone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

Schema = dict[str, Any]


def _objects(schema: Schema) -> dict[str, Schema]:
    """Every object definition of the schema by name: the envelope itself (``<root>``) and its ``$defs``."""
    found = {"<root>": schema}
    found.update(schema.get("$defs", {}))
    return {name: body for name, body in found.items() if "properties" in body}


def _shape(prop: Schema) -> str:
    """What a property accepts, without its documentation (title, description, examples, default)."""
    kept = {k: v for k, v in prop.items() if k not in {"title", "description", "examples", "default"}}
    return json.dumps(kept, sort_keys=True)


def breaking_changes(released: Schema, current: Schema) -> list[str]:
    found: list[str] = []
    now = _objects(current)
    for name, before in sorted(_objects(released).items()):
        after = now.get(name)
        if after is None:
            found.append(f"{name}: the definition is gone")
            continue
        for field, prop in sorted(before["properties"].items()):
            if field not in after["properties"]:
                found.append(f"{name}.{field}: removed")
            elif _shape(prop) != _shape(after["properties"][field]):
                found.append(f"{name}.{field}: its type changed")
        for field in sorted(set(after.get("required", ())) - set(before.get("required", ()))):
            found.append(f"{name}.{field}: newly required")
    return found


def left_unretired(released: Iterable[str], registered: Iterable[str], retired: Iterable[str]) -> list[str]:
    """The released topics that are neither registered nor retired: gone from the registry silently."""
    return sorted(set(released) - set(registered) - set(retired))
