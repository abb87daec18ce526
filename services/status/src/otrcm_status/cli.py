"""``otrcm-status serve``: the consumer and the internal read API (loopback) in one process."""

from __future__ import annotations

import argparse
import signal

from otrcm_shared.runtime.entrypoint import configure_logging, run_serving
from otrcm_status.app import NAME, build_api, build_runtime
from otrcm_status.settings import StatusSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otrcm-status", description="otrcm status service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="consume the status streams and serve the read API until SIGINT/SIGTERM")
    parser.parse_args(argv)
    return _serve()


def _serve() -> int:
    import uvicorn

    configure_logging()
    # As intake does: uvicorn stops gracefully on SIGTERM and raises it again on its way out; the work is done.
    signal.signal(signal.SIGTERM, lambda *_: None)
    settings = StatusSettings()
    api = build_api(build_runtime(settings))
    config = uvicorn.Config(
        api, host=settings.status_http_host, port=settings.status_http_port, log_level="warning", access_log=False
    )
    run_serving(uvicorn.Server(config).serve())
    return 0


__all__ = ["NAME", "main"]
