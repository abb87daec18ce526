"""Console entry points, one style for every service: ``otrcm-<name> serve`` plus the service's own commands.

Every command is registered by an adder (``CommandAdder``) that sets a ``handler`` on its sub-parser.
Bad input ends the same way everywhere: one line on stderr naming the argument, exit status 2, no
usage dump and no traceback (raise :class:`UsageError` from a handler for the same effect).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, NoReturn, TypeVar, cast

from faststream import FastStream

from otrcm_shared.runtime import heap, json_logs

AppFactory = Callable[[], FastStream]
Serve = Callable[[], int]
Handler = Callable[[argparse.Namespace], int]
T = TypeVar("T")
CommandAdder = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]
USAGE_ERROR = 2


class UsageError(Exception):
    """Bad command-line input; the message is the single line printed on stderr."""


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but an error becomes :class:`UsageError` (one line, no usage dump, no SystemExit)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def configure_logging(service: str | None = None) -> None:
    """One JSON object per line on stderr (``OTRCM_LOG_FORMAT=text``: plain lines), at ``OTRCM_LOG_LEVEL``
    (INFO by default); library loggers with handlers of their own (colours) are routed through it."""
    json_logs.configure(service)


def run_serving(main: Coroutine[Any, Any, T]) -> T:
    """Run a service's long-lived coroutine on uvloop when it is installed (a faster event loop for the
    consume path), else on asyncio's own loop. The process is the service's own: its heap is settled once the
    service is ready (runtime/heap.py)."""
    heap.claim_process()
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency of the shared package
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


def build_parser(
    name: str,
    serve: Serve,
    add_commands: CommandAdder | None = None,
    description: str | None = None,
) -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog=f"otrcm-{name}", description=description or f"otrcm {name} service")
    commands = cast(  # sub-parsers are OneLineErrorParser too; adders only need the base type
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", required=True, metavar="COMMAND"),
    )
    runner = commands.add_parser("serve", help="run the service until SIGINT or SIGTERM")
    runner.set_defaults(handler=lambda _args: serve())
    if add_commands is not None:
        add_commands(commands)
    return parser


def service_main(
    name: str,
    build_app: AppFactory | None = None,
    argv: Sequence[str] | None = None,
    add_commands: CommandAdder | None = None,
    *,
    serve: Serve | None = None,
    description: str | None = None,
) -> int:
    """Parse ``otrcm-<name> <command>`` and run it; ``serve`` runs the service until SIGINT/SIGTERM.

    ``serve`` defaults to running the FastStream app ``build_app`` makes; a service with an HTTP API
    passes its own."""
    if serve is None:
        if build_app is None:
            raise ValueError("service_main needs build_app or serve")
        factory = build_app
        serve = lambda: _serve(factory, name)  # noqa: E731
    prog = f"otrcm-{name}"
    try:
        args = build_parser(name, serve, add_commands, description).parse_args(argv)
        handler: Handler = args.handler
        return handler(args)
    except UsageError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as done:  # --help exits through argparse
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        return 1


def _serve(build_app: AppFactory, name: str) -> int:
    configure_logging(name)
    run_serving(build_app().run())
    return 0
