"""The worklist read in SQL on PostgreSQL agrees with the pure rules on every filter, by keyset and by offset;
and through the front door: keyset pages, the age filter, a forged cursor answered 422."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import text

from otrcm_shared.runtime.db import Database
from tests.integration.status.conftest import Door
from tests.support.worklist_rows import FILTERS, compare, seeded

pytestmark = pytest.mark.integration


async def test_the_sql_worklist_on_postgresql_agrees_with_the_rules(postgres_base_url: str) -> None:
    db = Database(postgres_base_url, schema=f"wl_{uuid4().hex[:8]}")
    try:
        items = await seeded(db, "t-1", 120)
        await seeded(db, "t-2", 30)
        assert await compare(db, "t-1", items, FILTERS[0], limit=7) > 10, "many pages, each agreeing"
        for chosen in FILTERS[1:]:
            await compare(db, "t-1", items, chosen, limit=7)
    finally:
        async with db.transaction() as session:
            await session.execute(text(f'DROP SCHEMA "{db.schema}" CASCADE'))
        await db.dispose()


async def test_the_front_door_pages_the_worklist_by_keyset(door: Door) -> None:
    status_db = Database(door.settings.database_url or "", schema=door.settings.schema_for("status"))
    try:
        items = await seeded(status_db, door.tenant, 40)
    finally:
        await status_db.dispose()
    seen, after = [], None
    while True:
        page = await door.get("/v1/worklist?limit=9" + (f"&after={after}" if after else ""))
        assert page["total"] == len(items)
        seen += [item["encounter_id"] for item in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert seen == [item.encounter_id for item in sorted(items, key=lambda i: (i.held_since, i.encounter_id))]
    theirs = await door.get("/v1/worklist?clinician_npi=1679576722&limit=500")
    assert 0 < theirs["total"] < len(items)
    assert all(int(item["encounter_id"][2:]) % 3 and int(item["encounter_id"][2:]) % 2 for item in theirs["items"])
    old = await door.get("/v1/worklist?held_before=2026-03-01")
    assert old["total"] == 0, "nothing was held before the first row"
    forged = await door.get("/v1/worklist?after=Zm9yZ2Vk", status=422)
    assert forged["errors"][0]["rule"] == "worklist.cursor"
    other = await door.another_tenant()
    assert (await door.get("/v1/worklist", headers=other))["total"] == 0
