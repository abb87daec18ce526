"""The console for tests: served by uvicorn on a free loopback port in the test's event loop (a real browser
connects to it), asking an intake API the test hands in; users and the tenant's key made as the CLI makes them;
a headless Chromium (Debian's, through chromedriver) with axe-core to inject."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from otrcm_console.adapters import accounts
from otrcm_console.adapters.api_client import IntakeApi
from otrcm_console.adapters.store import metadata
from otrcm_console.entrypoints.app import console_for, create_app
from otrcm_console.entrypoints.web import Console
from otrcm_console.settings import ConsoleSettings

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "deploy" / "console-check" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
PASSWORD = "correct horse battery staple"


def console_with(database_url: str, intake: httpx.AsyncClient, **settings: Any) -> Console:
    chosen = ConsoleSettings(database_url=database_url, **settings)
    return console_for(chosen, IntakeApi(str(intake.base_url), client=intake))


async def enrol(console: Console, tenant: str, api_key: str, *users: tuple[str, str]) -> None:
    """The tenant's API key linked and its users (name, role) created, as ``otrcm-console`` does."""
    await console.db.create_all(metadata)
    async with console.db.transaction() as session:
        await accounts.set_tenant_key(session, tenant, api_key)
        for username, role in users:
            await accounts.create_user(session, tenant, username, role, PASSWORD)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def served(console: Console) -> AsyncIterator[str]:
    """The console on http://127.0.0.1:<free port>, in this event loop, until the block ends."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(console), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass
class Browser:
    """One headless Chromium for the whole test (blocking calls: drive it from a worker thread)."""

    driver: Any

    @classmethod
    def start(cls) -> Browser:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100",
                         "--disable-gpu", "--no-first-run"):  # fmt: skip
            options.add_argument(argument)
        return cls(webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options))

    def axe_problems(self) -> list[str]:
        """axe-core's serious and critical violations on the page shown, one line each (none: an empty list)."""
        self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        found = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
        )
        assert isinstance(found, list), found
        return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in found if v.get("impact") in ("serious", "critical")]  # fmt: skip

    def quit(self) -> None:
        self.driver.quit()
