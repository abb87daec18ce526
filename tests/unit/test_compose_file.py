"""docker-compose.yml is a valid Compose file and keeps the wiring the services rely on.

The Compose Specification schema is not kept in the repository: the script
deploy/compose/fetch-compose-schema.sh brings a pinned copy from the npm registry into the
git-ignored var/cache/ and prints its path. When it cannot, these tests fail; they never skip.
"""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
FETCH_SCRIPT = ROOT / "deploy" / "compose" / "fetch-compose-schema.sh"
FETCH_TIMEOUT_S = 300
PIPELINE_SERVICES = ("intake", "units", "poc", "modifiers", "claims", "status")
LOOPBACK = "127.0.0.1"

Compose = dict[str, Any]


def _schema_path() -> Path:
    command = ["bash", str(FETCH_SCRIPT)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=FETCH_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{FETCH_SCRIPT} did not finish within {FETCH_TIMEOUT_S} s", pytrace=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        pytest.fail(
            f"cannot get the Compose Specification schema: {FETCH_SCRIPT} exited {done.returncode}\n"
            f"{done.stderr.strip()}",
            pytrace=False,
        )
    path = Path(lines[-1])
    if not path.is_file():
        pytest.fail(f"{FETCH_SCRIPT} printed {path}, which is not a file", pytrace=False)
    return path


def _validator_class(schema: dict[str, Any]) -> type[Validator]:
    """The validator for the dialect the schema declares.

    The Compose schema writes draft 2019-09 as 'http://…/schema#', a spelling jsonschema does not
    look up; the canonical https form without the empty fragment is tried after the declared one.
    """
    declared = str(schema.get("$schema", ""))
    parts = urlsplit(declared)
    canonical = urlunsplit(("https", parts.netloc, parts.path.rstrip("#"), parts.query, ""))
    for uri in (declared, canonical):
        cls: type[Validator] | None = validator_for({"$schema": uri}, default=None)
        if cls is not None:
            return cls
    pytest.fail(f"the Compose schema declares a dialect jsonschema does not know: {declared!r}")


@pytest.fixture(scope="module")
def validator() -> Validator:
    schema = json.loads(_schema_path().read_text(encoding="utf-8"))
    cls = _validator_class(schema)
    cls.check_schema(schema)
    # No format checker: the schema's custom formats (duration, ports) are not JSON Schema formats.
    return cls(schema)


@pytest.fixture(scope="module")
def compose() -> Compose:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{COMPOSE_FILE} is not a YAML mapping"
    return loaded


def _describe(errors: list[Any]) -> str:
    return "\n".join(f"  {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors)


def _environment(service: Compose) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _host_ip(port: Any) -> str | None:
    """The host address a port entry binds to; None when it binds to every interface."""
    if isinstance(port, dict):
        return port.get("host_ip")
    parts = str(port).split("/", 1)[0].split(":")
    return parts[0] if len(parts) == 3 else None


def _published(port: Any) -> str | None:
    if isinstance(port, dict):
        return None if port.get("published") is None else str(port["published"])
    parts = str(port).split("/", 1)[0].split(":")
    return parts[-2] if len(parts) >= 2 else None


def test_compose_file_matches_the_compose_specification(validator: Validator, compose: Compose) -> None:
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(map(str, e.absolute_path)))
    assert not errors, f"{COMPOSE_FILE.name} breaks the Compose Specification:\n{_describe(errors)}"


@pytest.mark.parametrize("name", PIPELINE_SERVICES)
def test_pipeline_service_is_wired_to_the_compose_broker_and_database(compose: Compose, name: str) -> None:
    services = compose["services"]
    assert name in services, f"service {name!r} is missing from {COMPOSE_FILE.name}"
    service = services[name]
    env = _environment(service)

    bootstrap = env.get("OTRCM_KAFKA_BOOTSTRAP", "")
    assert bootstrap, f"{name} does not set OTRCM_KAFKA_BOOTSTRAP"
    assert {server.rsplit(":", 1)[0] for server in bootstrap.split(",")} == {"kafka"}, bootstrap

    database_url = env.get("OTRCM_DATABASE_URL", "")
    assert database_url, f"{name} does not set OTRCM_DATABASE_URL"
    assert urlsplit(database_url).hostname == "postgres", database_url

    assert env.get("OTEL_SERVICE_NAME") == f"otrcm-{name}"
    assert service["build"]["args"]["SERVICE"] == name
    depends_on = service["depends_on"]
    for infrastructure in ("kafka", "postgres"):
        assert depends_on[infrastructure]["condition"] == "service_healthy", (name, infrastructure)


def test_published_ports_bind_to_loopback_only(compose: Compose) -> None:
    services = compose["services"]
    published = {name: [_published(p) for p in svc.get("ports", [])] for name, svc in services.items()}
    assert "9092" in published["kafka"], published["kafka"]
    assert "5432" in published["postgres"], published["postgres"]
    exposed = [
        f"{name}: {port}"
        for name, service in services.items()
        for port in service.get("ports", [])
        if _host_ip(port) != LOOPBACK
    ]
    assert not exposed, "ports published beyond 127.0.0.1:\n" + "\n".join(exposed)


def _kafka_ports_as_mapping(doc: Compose) -> None:
    doc["services"]["kafka"]["ports"] = {"9092": "9092"}


def _unknown_top_level_key(doc: Compose) -> None:
    doc["servics"] = {}


def _unknown_depends_on_condition(doc: Compose) -> None:
    doc["services"]["claims"]["depends_on"]["kafka"]["condition"] = "service_ready"


@pytest.mark.parametrize(
    ("breakage", "path", "keyword"),
    [
        (_kafka_ports_as_mapping, ("services", "kafka", "ports"), "type"),
        (_unknown_top_level_key, (), "additionalProperties"),
        (_unknown_depends_on_condition, ("services", "claims", "depends_on"), "oneOf"),
    ],
    ids=["kafka-ports-mapping", "unknown-top-level-key", "unknown-depends-on-condition"],
)
def test_validation_rejects_a_broken_copy(
    validator: Validator,
    compose: Compose,
    breakage: Callable[[Compose], None],
    path: tuple[str, ...],
    keyword: str,
) -> None:
    broken = copy.deepcopy(compose)
    breakage(broken)
    errors = list(validator.iter_errors(broken))
    assert errors, "the validator accepted a deliberately broken Compose file"
    assert any(tuple(e.absolute_path) == path and e.validator == keyword for e in errors), (
        f"expected a {keyword!r} error at {'/'.join(path) or '<root>'}, got:\n{_describe(errors)}"
    )
