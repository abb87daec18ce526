"""``otrcm-console``: serve the pages, create a user, link a tenant's API key, print the access audit."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from datetime import date

from otrcm_console.adapters import accounts
from otrcm_console.adapters.store import metadata
from otrcm_console.domain.roles import Role
from otrcm_console.entrypoints.app import console_for, create_app
from otrcm_console.settings import ConsoleSettings

MIN_PASSWORD = 12


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("the two passwords differ")
    return first


async def _with_db(settings: ConsoleSettings, work: str, args: argparse.Namespace) -> int:
    console = console_for(settings)
    await console.db.create_all(metadata)
    try:
        async with console.db.transaction() as session:
            if work == "create-user":
                await accounts.create_user(session, args.tenant, args.username, args.role, args.password)
                print(f"user {args.username} of {args.tenant} ({args.role}) can sign in")
            elif work == "link-tenant":
                await accounts.set_tenant_key(session, args.tenant, args.api_key)
                print(f"tenant {args.tenant}: the console asks the API with the key given")
            else:
                for row in await accounts.audit_since(session, args.tenant, date.fromisoformat(args.since)):
                    print(json.dumps(row))
    finally:
        await console.db.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otrcm-console", description="The billing team's web console.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the console on OTRCM_CONSOLE_HOST:OTRCM_CONSOLE_PORT")
    user = commands.add_parser("create-user", help="create a user (or set a user's role and password)")
    user.add_argument("--tenant", required=True)
    user.add_argument("--role", required=True, choices=[role.value for role in Role])
    user.add_argument("--username", required=True)
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    link = commands.add_parser("link-tenant", help="the intake API key (read and submit) the console uses for a tenant")
    link.add_argument("--tenant", required=True)
    link.add_argument("--api-key-stdin", action="store_true", help="read the key from standard input (else asked)")
    audit = commands.add_parser("audit", help="sign-ins and record views, one JSON object a line")
    audit.add_argument("--tenant", required=True)
    audit.add_argument("--since", required=True, help="YYYY-MM-DD (UTC)")
    args = parser.parse_args(argv)
    settings = ConsoleSettings()
    if args.command == "serve":
        import uvicorn

        app = create_app(console_for(settings))
        uvicorn.run(app, host=settings.console_host, port=settings.console_port, proxy_headers=True, log_level="info")
        return 0
    if args.command == "create-user":
        args.password = _password(args.password_stdin)
        if len(args.password) < MIN_PASSWORD:
            raise SystemExit(f"a password has at least {MIN_PASSWORD} characters")
    if args.command == "link-tenant":
        args.api_key = (sys.stdin.readline() if args.api_key_stdin else getpass.getpass("API key: ")).strip()
        if not args.api_key:
            raise SystemExit("no API key given")
    return asyncio.run(_with_db(settings, args.command, args))


if __name__ == "__main__":
    raise SystemExit(main())
