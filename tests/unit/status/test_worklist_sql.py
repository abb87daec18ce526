"""The worklist read in SQL on the embedded SQLite agrees with the pure rules on every filter, by keyset and by
offset (the same comparison runs on PostgreSQL in tests/integration/status/test_worklist_sql.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from otrcm_shared.runtime.db import Database
from otrcm_status.adapters.worklist_sql import BadCursor, read_cursor
from tests.support.worklist_rows import FILTERS, compare, seeded

pytestmark = pytest.mark.unit


async def test_the_sql_worklist_on_sqlite_agrees_with_the_rules(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'status.db'}", schema="status")
    try:
        items = await seeded(db, "t-1", 120)
        await seeded(db, "t-2", 30)  # another tenant's rows are never counted or listed
        assert await compare(db, "t-1", items, FILTERS[0], limit=7) > 10, "many pages, each agreeing"
        for chosen in FILTERS[1:]:
            await compare(db, "t-1", items, chosen, limit=7)
    finally:
        await db.dispose()


def test_a_cursor_not_handed_out_is_refused() -> None:
    with pytest.raises(BadCursor):
        read_cursor("not-a-cursor")
