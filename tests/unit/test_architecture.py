"""The architecture keeps itself: services never import each other, domains import no I/O framework,
and the shared package imports no service. (``make test`` also runs import-linter on the same rules.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "units", "poc", "modifiers", "claims", "status")
IO_FRAMEWORKS = ("faststream", "aiokafka", "sqlalchemy", "asyncpg", "aiosqlite", "fastapi", "httpx")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def violations(root: Path) -> list[str]:
    """Every import in the tree under ``root`` that breaks one of the three rules."""
    found: list[str] = []
    for service in SERVICES:
        package = root / "services" / service / "src" / f"otrcm_{service}"
        for path in sorted(package.rglob("*.py")):
            in_domain = "domain" in path.relative_to(package).parts
            for module in imported_modules(path):
                top = _top(module)
                if top.startswith("otrcm_") and top not in ("otrcm_shared", f"otrcm_{service}"):
                    found.append(f"{path.relative_to(root)} imports another service: {module}")
                if in_domain and top in IO_FRAMEWORKS:
                    found.append(f"{path.relative_to(root)} is domain code and imports {module}")
    for path in sorted((root / "shared" / "src").rglob("*.py")):
        for module in imported_modules(path):
            if _top(module) in {f"otrcm_{s}" for s in SERVICES}:
                found.append(f"{path.relative_to(root)} (shared) imports a service: {module}")
    return found


def test_the_repository_keeps_the_import_rules() -> None:
    assert violations(ROOT) == []


def test_a_domain_module_importing_sqlalchemy_is_caught(tmp_path: Path) -> None:
    domain = tmp_path / "services" / "units" / "src" / "otrcm_units" / "domain"
    domain.mkdir(parents=True)
    (domain / "rules.py").write_text("from sqlalchemy import select\n")
    other = tmp_path / "services" / "poc" / "src" / "otrcm_poc" / "entrypoints"
    other.mkdir(parents=True)
    (other / "app.py").write_text("import otrcm_units.domain.rules\n")
    assert violations(tmp_path) == [
        "services/units/src/otrcm_units/domain/rules.py is domain code and imports sqlalchemy",
        "services/poc/src/otrcm_poc/entrypoints/app.py imports another service: otrcm_units.domain.rules",
    ]
