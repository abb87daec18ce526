"""(8) The console's worklist page with 50,000 held encounters in the status service's tables (PostgreSQL): the
server time of ``GET /`` (the console asks intake's ``GET /v1/worklist``, which asks the status service), of the
next page (keyset: ``after``), and of a page filtered by reason, each the median of several requests.

Everything runs in one process without a broker: the held rows are written straight into the status service's
tables of a schema made for the run (``OTRCM_DATABASE_SCHEMA_SUFFIX``-style) and dropped afterwards, and the three
HTTP hops go over in-process ASGI transports, so the figure is the servers' time, not a network's.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
from sqlalchemy import insert, text

from otrcm_console.adapters import accounts
from otrcm_console.adapters.api_client import IntakeApi
from otrcm_console.adapters.store import metadata as console_metadata
from otrcm_console.entrypoints.app import console_for, create_app
from otrcm_console.settings import ConsoleSettings
from otrcm_intake.adapters.keys import create_key
from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.entrypoints.app import build_runtime as build_intake
from otrcm_intake.settings import IntakeSettings
from otrcm_shared.runtime.db import Database
from otrcm_status.adapters.store import billing_days, encounter_status
from otrcm_status.adapters.store import metadata as status_metadata
from otrcm_status.entrypoints.api import build_read_api

REASONS = (
    ("POC_MISSING", "no plan of care on file for the date of service", "record the plan of care"),
    ("KX_NEEDS_ATTESTATION", "over the therapy threshold without the attestation", "record the attestation"),
    ("AUTH_EXHAUSTED", "the payer's authorization is used up", "record a new authorization"),
    ("NCCI_PAIR_NOT_DISTINCT", "97140 with 97530 without distinct time blocks", "mark distinct time blocks"),
)
PAYERS = ("medicare-wps-j5", "mo-healthnet-ffs", "blue-commercial-ama")
PASSWORD = "bench password long enough"


def _rows(tenant: str, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    start = datetime(2026, 1, 2, 8, tzinfo=UTC)
    statuses, days = [], []
    for i in range(count):
        code, message, action = REASONS[i % len(REASONS)]
        patient = f"pk-{i // 4:06d}"
        day_key = f"{patient}/2026-{1 + i % 12:02d}-{1 + i % 28:02d}/OT/{PAYERS[i % 3]}/1234567893"
        reason = {"code": code, "message": message, "rule_id": code.lower(), "action": action}
        statuses.append({"tenant_id": tenant, "encounter_id": f"enc-{i:06d}", "day_key": day_key,
                         "patient_key": patient, "status": "held", "detail": {"reasons": [reason]},
                         "claim_id": None, "revision": 1, "updated_at": start + timedelta(minutes=i)})  # fmt: skip
        days.append({"tenant_id": tenant, "day_key": day_key, "patient_key": patient,
                     "record": {"day_key": day_key, "locations": {f"enc-{i:06d}": f"MO-0{i % 3 + 1}"}}})  # fmt: skip
    return statuses, days


async def _timed(client: httpx.AsyncClient, url: str, repeat: int) -> tuple[float, httpx.Response]:
    times, answer = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        answer = await client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
    assert answer is not None
    return round(statistics.median(times), 1), answer


async def run_console(database_url: str, held: int = 50_000, repeat: int = 9) -> dict[str, Any]:
    suffix, tenant = f"bench{uuid4().hex[:8]}", f"bench-console-{uuid4().hex[:6]}"
    settings = IntakeSettings(database_url=database_url, database_schema_suffix=suffix)
    status_db = Database(database_url, schema=settings.schema_for("status"))
    intake = build_intake(settings)
    console = console_for(ConsoleSettings(database_url=database_url, database_schema_suffix=suffix))
    figures: dict[str, Any] = {"held_rows": held, "database": "postgresql", "repeat": repeat}
    try:
        await status_db.create_all(status_metadata)
        await intake.db.create_all(intake.metadata)
        await console.db.create_all(console_metadata)
        began = time.monotonic()
        statuses, days = _rows(tenant, held)
        async with status_db.transaction() as session:
            for first in range(0, held, 5000):
                await session.execute(insert(encounter_status), statuses[first : first + 5000])
                await session.execute(insert(billing_days), days[first : first + 5000])
        async with status_db.transaction() as session:
            await session.execute(text(f'ANALYZE "{status_db.schema}".encounter_status'))
        figures["seed_seconds"] = round(time.monotonic() - began, 1)
        async with intake.db.transaction() as session:
            key = await create_key(session, tenant)
        read_api = httpx.ASGITransport(app=build_read_api(status_db))
        reader = StatusReader(
            "http://status.bench", httpx.AsyncClient(transport=read_api, base_url="http://status.bench")
        )
        door = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api(intake, status=reader)),
                                 base_url="http://intake.bench")  # fmt: skip
        console.api = IntakeApi("http://intake.bench", client=door)
        async with console.db.transaction() as session:
            await accounts.set_tenant_key(session, tenant, key)
            await accounts.create_user(session, tenant, "bench", "biller", PASSWORD)
        app = create_app(console)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console.bench") as web:
            page = await web.get("/sign-in")
            token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            await web.post("/sign-in", data={"csrf_token": token, "tenant": tenant, "username": "bench",
                                             "password": PASSWORD})  # fmt: skip
            await web.get("/")  # warm: connections, templates
            figures["first_page_ms"], first = await _timed(web, "/", repeat)
            assert f"{held:,}" in first.text or str(held) in first.text, "the page counts every held row"
            following = first.text.split('id="next-page"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
            figures["next_page_ms"], _ = await _timed(web, following.replace("&amp;", "&"), repeat)
            figures["filtered_page_ms"], _ = await _timed(web, "/?reason=AUTH_EXHAUSTED&payer_id=mo-healthnet-ffs",
                                                          repeat)  # fmt: skip
        await door.aclose()
        await reader.close()
        figures["target_ms"] = 300
        figures["load_average_1m"] = round(os.getloadavg()[0], 1)  # the machine's contention while measuring
        figures["met"] = max(figures["first_page_ms"], figures["next_page_ms"], figures["filtered_page_ms"]) < 300
    finally:
        async with status_db.transaction() as session:
            for schema in {status_db.schema, intake.db.schema, console.db.schema}:
                await session.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        for db in (status_db, intake.db, console.db):
            await db.dispose()
    return figures
