"""``otrcm-status serve``: the consumer and the internal read API (loopback) in one process."""

from __future__ import annotations

import signal

from otrcm_shared.runtime.entrypoint import configure_logging, run_serving, service_main
from otrcm_status.entrypoints.app import NAME, build_api, build_runtime
from otrcm_status.settings import StatusSettings


def main(argv: list[str] | None = None) -> int:
    return service_main(NAME, argv=argv, serve=_serve)


def _serve() -> int:
    import uvicorn

    configure_logging(NAME)
    # As intake does: uvicorn stops gracefully on SIGTERM and raises it again on its way out; the work is done.
    signal.signal(signal.SIGTERM, lambda *_: None)
    settings = StatusSettings()
    api = build_api(build_runtime(settings))
    config = uvicorn.Config(
        api,
        host=settings.status_http_host,
        port=settings.status_http_port,
        log_level="warning",
        access_log=False,
        log_config=None,
    )
    run_serving(uvicorn.Server(config).serve())
    return 0


__all__ = ["NAME", "main"]
