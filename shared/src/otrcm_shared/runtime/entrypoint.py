"""Console entry points: every service's ``otrcm-<name>`` has ``serve``; services add their own commands."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from faststream import FastStream

AppFactory = Callable[[], FastStream]
T = TypeVar("T")
CommandAdder = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def configure_logging() -> None:
    """Plain records without arguments' values from libraries at debug level; INFO by default."""
    logging.basicConfig(
        level=os.environ.get("OTRCM_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def run_serving(main: Coroutine[Any, Any, T]) -> T:
    """Run a service's long-lived coroutine on uvloop when it is installed (a faster event loop for the
    consume path), else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency of the shared package
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


def service_main(
    name: str,
    build_app: AppFactory,
    argv: list[str] | None = None,
    add_commands: CommandAdder | None = None,
) -> int:
    """Parse ``otrcm-<name> <command>`` and run it; ``serve`` runs the service until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(prog=f"otrcm-{name}", description=f"otrcm {name} service")
    commands = parser.add_subparsers(dest="command", required=True)
    add_serve_command(commands, build_app)
    if add_commands is not None:
        add_commands(commands)
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


def add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser], build_app: AppFactory) -> None:
    """Register ``serve``: run the service until SIGINT or SIGTERM."""
    serve = commands.add_parser("serve", help="run the service until SIGINT or SIGTERM")
    serve.set_defaults(handler=lambda _args: _serve(build_app))


def _serve(build_app: AppFactory) -> int:
    configure_logging()
    run_serving(build_app().run())
    return 0
