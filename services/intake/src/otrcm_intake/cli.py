"""``otrcm-intake``: serve the API, manage API keys, import files of encounters."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from otrcm_intake.app import NAME, build_api
from otrcm_intake.settings import IntakeSettings
from otrcm_shared.runtime.entrypoint import configure_logging, run_serving


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otrcm-intake", description="otrcm intake service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the HTTP API and the feed consumers until SIGINT/SIGTERM")
    create = commands.add_parser("create-key", help="create an API key for a tenant and print it once")
    create.add_argument("--tenant", required=True)
    revoke = commands.add_parser("revoke-key", help="revoke an API key: the key itself, or --tenant T --id ID")
    revoke.add_argument("key", nargs="?", default=None)
    revoke.add_argument("--tenant", default=None)
    revoke.add_argument("--id", default=None, help="the key's id, as list-keys prints it")
    listing = commands.add_parser("list-keys", help="a tenant's API keys by id and prefix (never the secret)")
    listing.add_argument("--tenant", required=True)
    register = commands.add_parser(
        "register-billing-provider",
        help="register a tenant's billing provider(s) from a JSON file (an object or a list); an operator action",
    )
    register.add_argument("file", type=Path)
    register.add_argument("--tenant", required=True)
    register.add_argument(
        "--transfer",
        action="store_true",
        help="move an NPI registered to another tenant to this one (withdrawn from the other)",
    )
    importer = commands.add_parser("import", help="import encounters from a JSON Lines or CSV file")
    importer.add_argument("file", type=Path)
    importer.add_argument("--tenant", required=True)
    importer.add_argument("--report", type=Path, help="where to write the per-row error report (JSON Lines)")
    args = parser.parse_args(argv)

    if args.command == "serve":
        return _serve()
    if args.command == "create-key":
        from otrcm_intake.admin import create_key_for

        print(asyncio.run(create_key_for(IntakeSettings(), args.tenant)))
        return 0
    if args.command in ("revoke-key", "list-keys"):
        return _keys(parser, args)
    if args.command == "register-billing-provider":
        return _register(args.tenant, args.file, transfer=args.transfer)
    from otrcm_intake.importer import run_import

    return asyncio.run(run_import(IntakeSettings(), args.file, args.tenant, args.report))


def _keys(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    import json

    from otrcm_intake import admin

    settings = IntakeSettings()
    if args.command == "list-keys":
        print(json.dumps(asyncio.run(admin.list_keys(settings, args.tenant)), indent=2))
        return 0
    if args.key:
        return 0 if asyncio.run(admin.revoke_key(settings, args.key)) else 1
    if not (args.tenant and args.id):
        parser.error("revoke-key needs the key, or --tenant and --id")
    return 0 if asyncio.run(admin.revoke_key_by_id(settings, args.tenant, args.id)) else 1


def _register(tenant_id: str, path: Path, *, transfer: bool) -> int:
    import json

    from otrcm_intake.admin import read_registrations, register_billing_providers

    results = asyncio.run(
        register_billing_providers(IntakeSettings(), tenant_id, read_registrations(path), transfer=transfer)
    )
    print(json.dumps(results, indent=2))
    return 0 if all(result["status"] in ("accepted", "duplicate") for result in results) else 1


def _serve() -> int:
    import signal

    import uvicorn

    configure_logging()
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again on its way out; by then the
    # work is done, so the re-raised signal must not turn a clean stop into "killed by SIGTERM".
    signal.signal(signal.SIGTERM, lambda *_: None)
    settings = IntakeSettings()
    config = uvicorn.Config(
        build_api(settings), host=settings.http_host, port=settings.http_port, log_level="warning", access_log=False
    )
    run_serving(uvicorn.Server(config).serve())
    return 0


__all__ = ["NAME", "main"]
