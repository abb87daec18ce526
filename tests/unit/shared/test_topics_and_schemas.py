"""The topic registry and the checked-in JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from otrcm_shared.events.dead_letters import DeadLetter
from otrcm_shared.schemas import render_all
from otrcm_shared.topics import PATIENTS, REGISTRY, CleanupPolicy, TopicSpec
from tests.support.factories import encounter_received

pytestmark = pytest.mark.unit

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "shared" / "schemas"


def test_checked_in_schemas_are_current() -> None:
    """Run `make schemas` when this fails."""
    expected = render_all()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in SCHEMA_DIR.glob("*.schema.json")}
    assert sorted(on_disk) == sorted(expected), "schema files differ from the registry: run `make schemas`"
    stale = [name for name, text in expected.items() if on_disk[name] != text]
    assert stale == [], f"stale schemas (run `make schemas`): {stale}"


def test_an_event_validates_against_its_exported_schema() -> None:
    schema = json.loads(render_all()["otrcm.encounters.received.v1.schema.json"])
    jsonschema.validate(encounter_received().model_dump(mode="json"), schema)
    bad = encounter_received().model_dump(mode="json")
    bad["payload"]["lines"][0]["minutes"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_topic_names_follow_the_convention() -> None:
    assert all(name.startswith("otrcm.") and name.rsplit(".", 1)[1].startswith("v") for name in REGISTRY)
    with pytest.raises(ValueError, match=r"otrcm\.<noun>\.<verb-past>\.v<major>"):
        TopicSpec(name="encounters-received", payload=DeadLetter, key="k", description="d")


def test_the_patients_topic_is_compacted() -> None:
    assert PATIENTS.cleanup_policy is CleanupPolicy.COMPACT
    assert PATIENTS.topic_configs() == {"cleanup.policy": "compact", "min.insync.replicas": "2"}


def test_replication_is_declared_once_and_capped_by_the_cluster() -> None:
    """Three copies and two in sync on the cluster; a single broker holds one copy and needs one in sync."""
    spec = REGISTRY["otrcm.encounters.received.v1"]
    assert (spec.replication_factor, spec.min_insync_replicas) == (3, 2)
    assert [spec.replication_on(brokers) for brokers in (1, 2, 3, 5)] == [1, 2, 3, 3]
    assert spec.topic_configs(3) == {
        "cleanup.policy": "delete",
        "min.insync.replicas": "2",
        "retention.ms": "1209600000",
    }
    assert spec.topic_configs(1)["min.insync.replicas"] == "1"
    assert spec.topic_configs(2)["min.insync.replicas"] == "1"  # one broker of two may be down
    assert all(spec.replication_factor == 3 and spec.min_insync_replicas == 2 for spec in REGISTRY.values())
