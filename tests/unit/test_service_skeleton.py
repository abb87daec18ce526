"""Every service has the same shape: ``domain/`` (pure), ``usecases/`` (apply an event or a command),
``adapters/`` (database, files, SFTP, HTTP clients), ``entrypoints/`` (wiring, subscribers, HTTP routes,
CLI), and at the root only its settings. import-linter's layers contract (``make lint``) keeps the
direction: entry points over use cases over adapters over the domain."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "units", "poc", "modifiers", "claims", "status")
ROLES = {"domain", "usecases", "adapters", "entrypoints"}
ROOT_MODULES = {"__init__.py", "settings.py", "py.typed", "data"}


def stray_entries(package: Path) -> list[str]:
    """What sits at a service package's root besides the four roles and its settings."""
    return sorted(
        entry.name
        for entry in package.iterdir()
        if entry.name not in ROOT_MODULES and entry.name not in ROLES and not entry.name.startswith("__pycache__")
    )


def missing_roles(package: Path) -> list[str]:
    return sorted(role for role in ROLES if not (package / role / "__init__.py").is_file())


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_has_the_four_roles_and_nothing_else_at_its_root(service: str) -> None:
    package = ROOT / "services" / service / "src" / f"otrcm_{service}"
    assert missing_roles(package) == []
    assert stray_entries(package) == []


def test_a_stray_module_and_a_missing_role_are_caught(tmp_path: Path) -> None:
    for role in ("domain", "usecases", "adapters"):
        (tmp_path / role).mkdir()
        (tmp_path / role / "__init__.py").write_text("")
    (tmp_path / "handlers.py").write_text("")
    assert stray_entries(tmp_path) == ["handlers.py"]
    assert missing_roles(tmp_path) == ["entrypoints"]


def _calls_service_main(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "service_main"
        for node in ast.walk(tree)
    )


@pytest.mark.parametrize("service", SERVICES)
def test_every_console_entry_point_is_built_the_same_way(service: str) -> None:
    """One CLI style: ``otrcm-<service>`` is ``service_main`` (serve, plus the service's own commands)."""
    cli = ROOT / "services" / service / "src" / f"otrcm_{service}" / "entrypoints" / "cli.py"
    assert _calls_service_main(cli), f"{cli.relative_to(ROOT)} does not build its CLI with service_main"


def modules_of(package: Path, role: str) -> list[str]:
    """A role's modules (``name``) and packages (``name/``), as a service README lists them."""
    return sorted(
        entry.stem if entry.suffix == ".py" else f"{entry.name}/"
        for entry in (package / role).iterdir()
        if entry.name != "__init__.py" and not entry.name.startswith("__") and (entry.suffix == ".py" or entry.is_dir())
    )


def layout_in_readme(readme: str) -> dict[str, list[str]]:
    """The ``## Layout`` section's lists: ``- `role/` (what): `a`, `b```."""
    section = readme.split("\n## Layout\n", 1)[-1].split("\n## ", 1)[0]
    listed: dict[str, list[str]] = {}
    for line in section.splitlines():
        match = re.match(r"- `(\w+)/` \([^)]*\): (.*)$", line)
        if match:
            listed[match.group(1)] = sorted(re.findall(r"`([\w/]+)`", match.group(2)))
    return listed


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_readme_lists_each_roles_modules(service: str) -> None:
    package = ROOT / "services" / service / "src" / f"otrcm_{service}"
    readme = (ROOT / "services" / service / "README.md").read_text(encoding="utf-8")
    assert layout_in_readme(readme) == {role: modules_of(package, role) for role in sorted(ROLES)}
