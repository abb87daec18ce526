"""Every released contract is still readable by the current models (shared/schemas/released/ against a
fresh export): a breaking change needs a new major topic. A released topic leaves the registry only by being
named in ``topics.RETIRED``. And the check itself can fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from otrcm_shared.schema_compat import breaking_changes, left_unretired
from otrcm_shared.schemas import DEFAULT_DIR, render_all
from otrcm_shared.topics import REGISTRY, RETIRED

pytestmark = pytest.mark.unit

RELEASED = DEFAULT_DIR / "released"
CURRENT = {name: json.loads(text) for name, text in render_all().items()}


RETIRED_FILES = {f"{name}.schema.json" for name in RETIRED}


def _released() -> list[Path]:
    return sorted(RELEASED.glob("*.schema.json"))


def _released_and_registered() -> list[Path]:
    return [path for path in _released() if path.name not in RETIRED_FILES]


def test_every_registered_topic_has_a_released_contract() -> None:
    released = {path.name for path in _released()}
    assert sorted(set(CURRENT) - released) == [], "a new topic: copy its schema to released/"


def test_a_released_topic_is_registered_unless_it_was_retired() -> None:
    """A topic that vanished from the registry without being retired would let its readers break unseen."""
    released = [path.name for path in _released()]
    assert left_unretired(released, CURRENT, RETIRED_FILES) == [], "name a removed topic in topics.RETIRED"
    one_removed = set(CURRENT) - {"otrcm.claims.status-changed.v2.schema.json"}
    assert left_unretired(released, one_removed, RETIRED_FILES) == ["otrcm.claims.status-changed.v2.schema.json"]
    assert left_unretired(released, CURRENT, set()) == sorted(RETIRED_FILES), "the retired ones are gone, named"


def test_a_retired_topic_is_out_of_the_registry_and_its_released_contract_is_kept() -> None:
    assert sorted(set(RETIRED) & set(REGISTRY)) == [], "a retired topic is still registered"
    assert sorted(RETIRED_FILES - {path.name for path in _released()}) == [], (
        "a retired topic's schema stays in released/"
    )
    assert all(why.startswith("docs/adr/") for why in RETIRED.values()), "each retirement names its decision"


@pytest.mark.parametrize("path", _released_and_registered(), ids=lambda path: path.name)
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
