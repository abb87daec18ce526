"""JSON columns written with ``json_of`` (the model serialized once, docs/adr/014) read back as the same document
as ``model_dump(mode="json")`` stored the usual way, on SQLite and on PostgreSQL, through prepared statements and
through the session."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, Table, bindparam, insert, select

from otrcm_shared.events.base import StrictModel
from otrcm_shared.runtime.json_column import JsonText, json_of
from otrcm_shared.runtime.prepared import Prepared
from tests.support.databases import BACKENDS, isolated_database, url_for

pytestmark = pytest.mark.integration

metadata = MetaData()
documents = Table("documents", metadata, Column("id", Integer, primary_key=True), Column("body", JSON))
STORE = Prepared(insert(documents).values(id=bindparam("id"), body=bindparam("body")))
BODY_OF = Prepared(select(documents.c.body).where(documents.c.id == bindparam("id")))


class Line(StrictModel):
    code: str
    minutes: int
    charge: Decimal


class Day(StrictModel):
    day_key: str
    date_of_service: date
    judged_at: datetime
    lines: tuple[Line, ...]
    note: str | None = None
    codes_by_clinician: dict[str, list[str]]


DAY = Day(
    day_key="t/p/2026-11-30/OT",
    date_of_service=date(2026, 11, 30),
    judged_at=datetime(2026, 11, 30, 14, 5, 9, 120000, tzinfo=UTC),
    lines=(Line(code="97530", minutes=38, charge=Decimal("41.25")), Line(code="97110", minutes=8, charge=Decimal("0"))),
    codes_by_clinician={"c-1": ["97530"], "c-2": ["97110", "97140"]},
    note='éß ✓ \\ " quoted',
)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_json_of_reads_back_as_the_usual_dump(backend: str, tmp_path: Path, postgres_base_url: str) -> None:
    usual = DAY.model_dump(mode="json")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        async with db.transaction() as session:
            await STORE.execute(session, {"id": 1, "body": json_of(DAY)})  # prepared statement
            await session.execute(insert(documents).values(id=2, body=json_of(DAY)))  # SQLAlchemy's own
            await STORE.execute(session, {"id": 3, "body": usual})  # the usual way, for comparison
        async with db.transaction() as session:
            bodies = [(await BODY_OF.execute(session, {"id": n})).scalar() for n in (1, 2, 3)]
    assert bodies == [usual, usual, usual]
    assert Day.model_validate(bodies[0]) == DAY


def test_json_of_is_text_the_serializer_keeps() -> None:
    text = json_of(DAY)
    assert isinstance(text, JsonText)
    assert text == DAY.model_dump_json()
