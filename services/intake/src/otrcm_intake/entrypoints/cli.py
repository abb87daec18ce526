"""``otrcm-intake``: serve the API, manage API keys, list the access audit, import files of encounters."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import TypeAlias

from otrcm_intake.domain.key_terms import DEFAULT_GRACE_DAYS, DEFAULT_SCOPES, MAX_GRACE_DAYS, Scope, expiry_problem
from otrcm_intake.entrypoints.app import NAME, build_api
from otrcm_intake.settings import IntakeSettings
from otrcm_shared.runtime.entrypoint import UsageError, configure_logging, run_serving, service_main

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def main(argv: list[str] | None = None) -> int:
    return service_main(NAME, argv=argv, add_commands=_add_commands, serve=_serve)


def _add_commands(commands: Commands) -> None:
    create = commands.add_parser("create-key", help="create an API key for a tenant and print it once")
    create.add_argument("--tenant", required=True)
    create.add_argument(
        "--scope",
        action="append",
        choices=[scope.value for scope in Scope],
        help="what the key may do (repeat for several): submit (post records), read (read anything of the "
        "tenant), admin (the tenant's administration, e.g. billing profiles); default: submit and read",
    )
    create.add_argument("--expires", type=business_date, help="YYYY-MM-DD: the first business date it is refused")
    create.set_defaults(handler=_create_key)
    rotate = commands.add_parser(
        "rotate-key", help="a new key in place of key --id (same scopes), printed once; the old one expires"
    )
    rotate.add_argument("--tenant", required=True)
    rotate.add_argument("--id", required=True, help="the key's id, as list-keys prints it")
    rotate.add_argument(
        "--grace-days",
        type=grace_days,
        default=DEFAULT_GRACE_DAYS,
        metavar=f"0-{MAX_GRACE_DAYS}",
        help=f"days after the business date the old key still works (default {DEFAULT_GRACE_DAYS}; 0: none)",
    )
    rotate.add_argument("--expires", type=business_date, help="YYYY-MM-DD: when the new key is refused")
    rotate.set_defaults(handler=_rotate_key)
    revoke = commands.add_parser("revoke-key", help="revoke an API key: the key itself, or --tenant T --id ID")
    revoke.add_argument("key", nargs="?", default=None)
    revoke.add_argument("--tenant", default=None)
    revoke.add_argument("--id", default=None, help="the key's id, as list-keys prints it")
    revoke.set_defaults(handler=_keys)
    listing = commands.add_parser(
        "list-keys", help="a tenant's API keys by id and prefix, with scopes and expiry (never the secret)"
    )
    listing.add_argument("--tenant", required=True)
    listing.set_defaults(handler=_keys)
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
    register.set_defaults(handler=lambda args: _register(args.tenant, args.file, transfer=args.transfer))
    audit = commands.add_parser("audit", help="who read which patient's details, and when: one JSON line per read")
    audit.add_argument("--tenant", required=True)
    audit.add_argument("--since", required=True, type=business_date, help="YYYY-MM-DD (UTC), inclusive")
    audit.set_defaults(handler=_audit)
    importer = commands.add_parser("import", help="import encounters from a JSON Lines or CSV file")
    importer.add_argument("file", type=Path)
    importer.add_argument("--tenant", required=True)
    importer.add_argument("--report", type=Path, help="where to write the per-row error report (JSON Lines)")
    importer.set_defaults(handler=_import)


def business_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def grace_days(text: str) -> int:
    if not text.isdigit() or int(text) > MAX_GRACE_DAYS:
        raise argparse.ArgumentTypeError(f"a grace period is a whole number of days from 0 to {MAX_GRACE_DAYS}")
    return int(text)


def _create_key(args: argparse.Namespace) -> int:
    from otrcm_intake.usecases.admin import create_key_for

    settings = IntakeSettings()
    if problem := expiry_problem(args.expires, settings.today()):
        raise UsageError(f"--expires: {problem}")
    scopes = frozenset(Scope(name) for name in args.scope) if args.scope else DEFAULT_SCOPES
    print(asyncio.run(create_key_for(settings, args.tenant, scopes, args.expires)))
    return 0


def _rotate_key(args: argparse.Namespace) -> int:
    from otrcm_intake.usecases.admin import rotate_key

    settings = IntakeSettings()
    if problem := expiry_problem(args.expires, settings.today()):
        raise UsageError(f"--expires: {problem}")
    new_key = asyncio.run(rotate_key(settings, args.tenant, args.id, args.grace_days, args.expires))
    if new_key is None:
        print(f"no live key {args.id} of tenant {args.tenant} (unknown, revoked or expired)", file=sys.stderr)
        return 1
    print(new_key)
    return 0


def _audit(args: argparse.Namespace) -> int:
    import json

    from otrcm_intake.usecases.admin import audit_rows

    for row in asyncio.run(audit_rows(IntakeSettings(), args.tenant, args.since)):
        print(json.dumps(row))
    return 0


def _import(args: argparse.Namespace) -> int:
    from otrcm_intake.usecases.importer import run_import

    return asyncio.run(run_import(IntakeSettings(), args.file, args.tenant, args.report))


def _keys(args: argparse.Namespace) -> int:
    import json

    from otrcm_intake.usecases import admin

    settings = IntakeSettings()
    if args.command == "list-keys":
        print(json.dumps(asyncio.run(admin.list_keys(settings, args.tenant)), indent=2))
        return 0
    if args.key:
        return 0 if asyncio.run(admin.revoke_key(settings, args.key)) else 1
    if not (args.tenant and args.id):
        raise UsageError("revoke-key needs the key, or --tenant and --id")
    return 0 if asyncio.run(admin.revoke_key_by_id(settings, args.tenant, args.id)) else 1


def _register(tenant_id: str, path: Path, *, transfer: bool) -> int:
    import json

    from otrcm_intake.usecases.admin import read_registrations, register_billing_providers

    results = asyncio.run(
        register_billing_providers(IntakeSettings(), tenant_id, read_registrations(path), transfer=transfer)
    )
    print(json.dumps(results, indent=2))
    return 0 if all(result["status"] in ("accepted", "duplicate") for result in results) else 1


def _serve() -> int:
    import signal

    import uvicorn

    configure_logging(NAME)
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again on its way out; by then the
    # work is done, so the re-raised signal must not turn a clean stop into "killed by SIGTERM".
    signal.signal(signal.SIGTERM, lambda *_: None)
    settings = IntakeSettings()
    config = uvicorn.Config(
        build_api(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_level="warning",
        access_log=False,
        log_config=None,
    )
    run_serving(uvicorn.Server(config).serve())
    return 0


__all__ = ["NAME", "main"]
