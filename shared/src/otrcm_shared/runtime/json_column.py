"""JSON columns written from pydantic models without serializing twice (docs/adr/014).

``model_dump(mode="json")`` builds a tree of dicts and lists that the column's serializer then walks again;
``model_dump_json`` writes the same document in one pass. :func:`json_of` wraps that text so the engines'
JSON serializer stores it as it is. What is read back is the same document either way.
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel


class JsonText(str):
    """A JSON document already serialized: a JSON column stores it unchanged."""

    __slots__ = ()


def json_of(model: BaseModel) -> JsonText:
    """The model as the JSON document its ``model_dump(mode="json")`` would store."""
    return JsonText(model.model_dump_json())


def json_text(value: Any) -> str:
    """The engines' JSON serializer: text made by :func:`json_of` as it is, anything else through orjson."""
    if type(value) is JsonText:
        return str.__str__(value)
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
