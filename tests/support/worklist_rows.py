"""Held rows for the worklist read in SQL, and the same answer worked out by the pure rules (``domain.worklist``):
the SQL read must agree with them on every filter and page, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from otrcm_shared.runtime.db import Database
from otrcm_status.adapters.store import billing_days, encounter_status, metadata
from otrcm_status.adapters.worklist_sql import WorklistFilter, WorklistSql
from otrcm_status.domain.worklist import WorkItem, WorklistQuery, reason_codes_of, worklist_page

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)
PAYERS = ("medicare-wps-j5", "mo-healthnet-ffs", "blue_commercial%ama")  # a LIKE wildcard in an id, on purpose


def _detail(i: int) -> dict[str, Any]:
    kinds: list[dict[str, Any]] = [
        {"reasons": [{"code": "POC_MISSING", "message": "no plan", "action": "record the plan"}]},
        {"reasons": [{"code": "KX_NEEDS_ATTESTATION", "message": "kx"}, {"code": "AUTH_EXHAUSTED", "message": "a"}]},
        {"claim_id": f"c-{i}", "reasons": ["approval-needed: a replacement waits", "CLAIM_INVALID: 2300 CLM"]},
        {},
        {"reasons": [{"code": "KX_NEEDS_ATTESTATION", "message": "kx"}, {"code": "KX_NEEDS_ATTESTATION",
                                                                           "message": "kx again"}]},
    ]  # fmt: skip
    return kinds[i % len(kinds)]


def rows(tenant: str, count: int) -> list[dict[str, Any]]:
    found = []
    for i in range(count):
        status = "claim_held" if i % 5 == 2 else ("ready" if i % 7 == 6 else "held")
        day_key = f"pk-{i % 9}/2026-02-{1 + i % 27:02d}/OT/{PAYERS[i % 3]}/1234567893"
        same_moment = T0 + timedelta(hours=i // 3)  # three rows share each moment: the id breaks the tie
        found.append({"tenant_id": tenant, "encounter_id": f"e-{i:03d}", "day_key": day_key, "status": status,
                      "patient_key": f"pk-{i % 9}", "detail": _detail(i), "claim_id": None, "revision": 1,
                      "updated_at": same_moment})  # fmt: skip
    return found


def clinician_of(i: int) -> str:
    return ("1245319599", "1679576722")[i % 2 if i % 3 else 0]


def locations(found: list[dict[str, Any]]) -> dict[str, dict[str, str | None]]:
    by_day: dict[str, dict[str, str | None]] = {}
    for i, row in enumerate(found):
        by_day.setdefault(row["day_key"], {})[row["encounter_id"]] = None if i % 4 == 3 else f"LOC-{i % 2}"
    return by_day


async def seeded(db: Database, tenant: str, count: int) -> list[WorkItem]:
    """The rows written to the status tables, and the worklist items the pure rules see in them."""
    await db.create_all(metadata)
    found = rows(tenant, count)
    where = locations(found)
    async with db.transaction() as session:
        await session.execute(insert(encounter_status), found)
        clinicians = {row["encounter_id"]: clinician_of(i) for i, row in enumerate(found)}
        days = [{"tenant_id": tenant, "day_key": day, "patient_key": "pk", "record": {"day_key": day,
                 "locations": places, "clinicians": {e: clinicians[e] for e in places}}}
                for day, places in where.items()]  # fmt: skip
        await session.execute(insert(billing_days), days)
    return [
        WorkItem(row["encounter_id"], row["status"], row["day_key"].split("/")[3], reason_codes_of(row["detail"]),
                 tuple(r for r in row["detail"].get("reasons", ()) if isinstance(r, dict)), None,
                 row["updated_at"].isoformat(), where[row["day_key"]][row["encounter_id"]])
        for row in found if row["status"] in ("held", "claim_held")
    ]  # fmt: skip


async def compare(db: Database, tenant: str, items: list[WorkItem], chosen: WorklistFilter, limit: int) -> int:
    """Page through the SQL read by keyset and by offset; both must list what the pure rules list, with their
    counts. Returns how many pages it took."""
    sql = WorklistSql(db.engine.dialect.name, None if db.is_sqlite else db.schema)
    by_rule = [i for i in items if (chosen.held_before is None or i.held_since < _start(chosen.held_before))
               and chosen.clinician_npi in (None, clinician_of(int(i.encounter_id[2:])))]  # fmt: skip
    expected = worklist_page(by_rule, WorklistQuery(chosen.payer_id, chosen.reason, 10_000, 0, chosen.location_id))
    listed, after, pages = [], None, 0
    while True:
        async with db.transaction() as session:
            page = await sql.page(session, tenant, chosen, limit, 0, after)
        assert (page["total"], page["counts_by_reason"]) == (expected.total, expected.counts_by_reason), chosen
        listed += [(row.encounter_id, row.location_id, row.detail) for row in page["rows"]]
        pages, after = pages + 1, page["next_after"]
        if after is None:
            break
    wanted = [(i.encounter_id, i.location_id) for i in expected.items]
    assert [(e, loc) for e, loc, _ in listed] == wanted, chosen
    async with db.transaction() as session:
        by_offset = await sql.page(session, tenant, chosen, limit, limit, None)
    assert [row.encounter_id for row in by_offset["rows"]] == [e for e, _ in wanted[limit : 2 * limit]]
    assert by_offset["next_offset"] == (2 * limit if len(wanted) > 2 * limit else None)
    return pages


def _start(day: date) -> str:
    return datetime.combine(day, datetime.min.time(), UTC).isoformat()


FILTERS = [
    WorklistFilter(),
    WorklistFilter(payer_id="mo-healthnet-ffs"),
    WorklistFilter(payer_id="blue_commercial%ama"),
    WorklistFilter(reason="KX_NEEDS_ATTESTATION"),
    WorklistFilter(reason="approval-needed"),
    WorklistFilter(reason="HELD"),
    WorklistFilter(location_id="LOC-1", reason="POC_MISSING"),
    WorklistFilter(held_before=date(2026, 3, 3)),
    WorklistFilter(payer_id="medicare-wps-j5", location_id="LOC-0", held_before=date(2026, 3, 4)),
    WorklistFilter(clinician_npi="1679576722"),
    WorklistFilter(clinician_npi="1245319599", reason="POC_MISSING"),
]
