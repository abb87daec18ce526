"""``otrcm-claims``: ``serve``, and for billers ``submit-now``, ``ingest FILE...``, ``show CLAIM_ID``, ``list``;
for administrators ``reverse CLAIM_ID --to STATUS --reason TEXT``.

Output is JSON on stdout. ``show`` prints the claim's 837P segments, which carry PHI: it is for
billers at a terminal, like the database it reads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from otrcm_claims.adapters.store import metadata
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_claims.entrypoints.ack_inbox import ingest_file
from otrcm_claims.entrypoints.app import NAME, build_app
from otrcm_claims.entrypoints.worker import ClaimsJobs
from otrcm_claims.settings import ClaimsSettings
from otrcm_claims.usecases.queries import claim_detail, claims_list
from otrcm_claims.usecases.reversals import ReversalRefused, reverse_status
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.entrypoint import configure_logging, service_main
from otrcm_shared.runtime.kafka import ensure_topics, make_producer
from otrcm_shared.runtime.migrations import migrate
from otrcm_shared.runtime.outbox import OutboxRelay, stage
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import all_topics


async def _with_jobs(work: Callable[[ClaimsJobs], Awaitable[Any]], *, publish: bool) -> Any:
    """Run ``work`` against the service's database, then publish what it staged (like the service would)."""
    settings = ClaimsSettings()
    db, tables = Database(settings.database_url_for(NAME), schema=settings.schema_for(NAME)), KitTables(metadata)
    await migrate(db, NAME, metadata)
    try:
        result = await work(ClaimsJobs(settings, db, tables))
        if publish:
            await ensure_topics(settings, all_topics(), "otrcm-claims-cli-admin")
            producer = make_producer(settings, "otrcm-claims-cli")
            await producer.start()
            relay = OutboxRelay(db, tables, producer)
            try:
                while await relay.publish_pending():
                    pass
            finally:
                await relay.close()
        return result
    finally:
        await db.dispose()


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def _submit_now(_args: argparse.Namespace) -> int:
    async def work(jobs: ClaimsJobs) -> Any:
        return (await jobs.run_batch()).as_plain_data()

    _print(asyncio.run(_with_jobs(work, publish=True)))
    return 0


def _ingest(args: argparse.Namespace) -> int:
    async def work(jobs: ClaimsJobs) -> Any:
        return [vars(await ingest_file(jobs.db, jobs.tables, Path(name))) for name in args.files]

    reports = asyncio.run(_with_jobs(work, publish=True))
    _print(reports)
    return 1 if any(report["outcome"] in ("failed", "not_ours") for report in reports) else 0


def _reverse(args: argparse.Namespace) -> int:
    async def work(jobs: ClaimsJobs) -> Any:
        async with jobs.db.transaction() as session:
            outgoing = await reverse_status(session, args.claim_id, ClaimState(args.to), args.reason)
            await stage(session, jobs.tables, outgoing)
        return {"claim_id": args.claim_id, "status": args.to}

    try:
        _print(asyncio.run(_with_jobs(work, publish=True)))
    except ReversalRefused as refused:
        print(f"otrcm-claims: {refused}")
        return 1
    return 0


def _show(args: argparse.Namespace) -> int:
    async def work(jobs: ClaimsJobs) -> Any:
        async with jobs.db.transaction() as session:
            return await claim_detail(session, args.claim_id)

    detail = asyncio.run(_with_jobs(work, publish=False))
    if detail is None:
        print(f"otrcm-claims: no claim {args.claim_id}")
        return 1
    segments = detail.pop("segment_text")
    _print(detail)
    print(segments)
    return 0


def _list(args: argparse.Namespace) -> int:
    async def work(jobs: ClaimsJobs) -> Any:
        async with jobs.db.transaction() as session:
            return await claims_list(session, tenant_id=args.tenant, status=args.status, encounter_id=args.encounter)

    _print(asyncio.run(_with_jobs(work, publish=False)))
    return 0


def _add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    submit = commands.add_parser("submit-now", help="build, validate and submit the due claims now")
    submit.set_defaults(handler=_submit_now)
    ingest = commands.add_parser("ingest", help="read 999, 277CA or 835 files (they are not moved)")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.set_defaults(handler=_ingest)
    reverse = commands.add_parser(
        "reverse", help="undo the latest status change an acknowledgment made (kept in the claim's history)"
    )
    reverse.add_argument("claim_id")
    reverse.add_argument("--to", required=True, choices=[state.value for state in ClaimState])
    reverse.add_argument("--reason", required=True, help="why (kept in the history, not published)")
    reverse.set_defaults(handler=_reverse)
    show = commands.add_parser("show", help="one claim: status, reasons and its 837P segments")
    show.add_argument("claim_id")
    show.set_defaults(handler=_show)
    listing = commands.add_parser("list", help="claims, optionally by status, encounter or tenant")
    listing.add_argument("--status", default=None)
    listing.add_argument("--encounter", default=None, help="an encounter id the claim bills")
    listing.add_argument("--tenant", default=None)
    listing.set_defaults(handler=_list)


def main(argv: list[str] | None = None) -> int:
    configure_logging(NAME)
    return service_main(NAME, build_app, argv, _add_commands)
