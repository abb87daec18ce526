"""``otrcm-intake`` key commands refuse bad input before touching the database: one line, exit status 2."""

from __future__ import annotations

import pytest

from otrcm_intake.entrypoints.cli import main

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["create-key", "--tenant", "t", "--scope", "write"], "--scope"),
        (["create-key", "--tenant", "t", "--expires", "31/12/2026"], "YYYY-MM-DD"),
        (["create-key", "--tenant", "t", "--expires", "2026-03-20"], "after the business date 2026-03-20"),
        (["rotate-key", "--tenant", "t", "--id", "3f9c0a7b12de", "--grace-days", "91"], "0 to 90"),
        (["rotate-key", "--tenant", "t", "--id", "3f9c0a7b12de", "--expires", "2026-01-01"], "--expires"),
        (["audit", "--tenant", "t", "--since", "yesterday"], "YYYY-MM-DD"),
    ],
)
def test_bad_key_command_input_is_one_line_naming_it(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTRCM_BUSINESS_DATE", "2026-03-20")
    monkeypatch.setenv("OTRCM_DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")  # never reached
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert named in error
