"""A real Prometheus server (Debian's ``prometheus`` package, installed by ``make prometheus``) scraping
services' operations ports every second, and its HTTP query API."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml

PROMETHEUS = "prometheus"
PROMTOOL = "promtool"


def binary(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if found is None:
        raise RuntimeError(f"{name} is not installed: run `make prometheus` (Debian's prometheus package)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def prometheus_server(targets: Mapping[str, int], workdir: Path) -> Iterator[str]:
    """Prometheus scraping ``targets`` (service name -> operations port on 127.0.0.1), job ``otrcm``, the
    service name as the ``instance`` label; yields its base URL and stops it afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "scrape_configs": [
            {
                "job_name": "otrcm",
                "static_configs": [
                    {"targets": [f"127.0.0.1:{port}"], "labels": {"instance": name}} for name, port in targets.items()
                ],
            }
        ],
    }
    (workdir / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = _free_port()
    log = (workdir / "prometheus.log").open("w")
    process = subprocess.Popen(
        [
            binary(PROMETHEUS),
            f"--config.file={workdir / 'prometheus.yml'}",
            f"--storage.tsdb.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"prometheus exited: {(workdir / 'prometheus.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("prometheus did not become ready in 30 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


async def query(http: httpx.AsyncClient, base: str, promql: str) -> list[dict[str, Any]]:
    """An instant query's result vector (each ``metric`` labels and ``value`` [time, "number"])."""
    answer = (await http.get(f"{base}/api/v1/query", params={"query": promql})).json()
    assert answer["status"] == "success", answer
    return list(answer["data"]["result"])


async def value_when(
    http: httpx.AsyncClient, base: str, promql: str, done: Any, timeout_s: float = 60.0
) -> list[dict[str, Any]]:
    """Ask ``promql`` until ``done(result)`` holds (or the time is up); the last result."""
    deadline = time.monotonic() + timeout_s
    result = await query(http, base, promql)
    while not done(result) and time.monotonic() < deadline:
        await asyncio.sleep(1)
        result = await query(http, base, promql)
    return result
