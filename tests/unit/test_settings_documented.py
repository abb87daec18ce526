"""Every setting is documented: each field of every settings class and each ``OTRCM_`` variable the code reads
appears in the README's tables (``OTRCM_LOG_LEVEL`` and others existed only in code before)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from otrcm_claims.settings import ClaimsSettings
from otrcm_intake.settings import IntakeSettings
from otrcm_modifiers.settings import ModifiersSettings
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_status.settings import StatusSettings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SETTINGS: tuple[type[BaseSettings], ...] = (
    RuntimeSettings,
    IntakeSettings,
    StatusSettings,
    ClaimsSettings,
    ModifiersSettings,
)
NOT_SETTINGS = {
    "OTRCM_NAMESPACE",  # a UUID constant's name in events/ids.py, not a variable
    "OTRCM_CLAIMS_SFTP",  # the prefix an error message names the SFTP variables by
}


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def _read_in_code() -> set[str]:
    found: set[str] = set()
    sources = [*ROOT.glob("shared/src/**/*.py"), *ROOT.glob("services/*/src/**/*.py"), *ROOT.glob("deploy/**/*.sh")]
    sources += [*ROOT.glob("deploy/local/*.py"), ROOT / "Makefile"]
    for path in sources:
        found |= set(re.findall(r"OTRCM_[A-Z0-9_]*[A-Z0-9]", path.read_text(encoding="utf-8")))
    return found - NOT_SETTINGS


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda cls: cls.__name__)
def test_every_settings_field_is_in_the_readme(settings: type[BaseSettings]) -> None:
    readme = _readme()
    missing = [f"OTRCM_{name.upper()}" for name in settings.model_fields if f"OTRCM_{name.upper()}" not in readme]
    assert not missing, f"document these in README.md's settings table: {missing}"


def test_every_variable_the_code_reads_is_in_the_readme() -> None:
    readme = _readme()
    missing = sorted(name for name in _read_in_code() if name not in readme)
    assert not missing, f"document these in README.md's settings table: {missing}"
