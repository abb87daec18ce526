"""Every released contract is still readable by the current models (shared/schemas/released/ against a
fresh export): a breaking change needs a new major topic. And the check itself can fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from otrcm_shared.schema_compat import breaking_changes
from otrcm_shared.schemas import DEFAULT_DIR, render_all

pytestmark = pytest.mark.unit

RELEASED = DEFAULT_DIR / "released"
CURRENT = {name: json.loads(text) for name, text in render_all().items()}


def _released() -> list[Path]:
    return sorted(RELEASED.glob("*.schema.json"))


def test_every_registered_topic_has_a_released_contract() -> None:
    assert sorted(CURRENT) == [path.name for path in _released()], "a new topic: copy its schema to released/"


@pytest.mark.parametrize("path", _released(), ids=lambda path: path.name)
def test_a_released_contract_is_still_readable(path: Path) -> None:
    released = json.loads(path.read_text(encoding="utf-8"))
    assert breaking_changes(released, CURRENT[path.name]) == []


def test_removing_retyping_or_requiring_a_field_is_caught_and_adding_an_optional_one_is_not() -> None:
    released = CURRENT["otrcm.encounters.received.v1.schema.json"]
    changed = copy.deepcopy(released)
    payload = changed["$defs"]["EncounterReceived"]
    del payload["properties"]["location_id"]
    payload["properties"]["payer_id"] = {"type": "integer"}
    payload["required"] = [*payload["required"], "discipline"]
    payload["properties"]["new_optional"] = {"type": "string", "default": ""}
    assert breaking_changes(released, changed) == [
        "EncounterReceived.location_id: removed",
        "EncounterReceived.payer_id: its type changed",
        "EncounterReceived.discipline: newly required",
    ]
