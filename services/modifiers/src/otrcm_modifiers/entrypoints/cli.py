"""``otrcm-modifiers``: the service's console entry point."""

from __future__ import annotations

from otrcm_modifiers.entrypoints.app import NAME, build_app
from otrcm_shared.runtime.entrypoint import service_main


def main(argv: list[str] | None = None) -> int:
    return service_main(NAME, build_app, argv)
