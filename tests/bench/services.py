"""The six services as processes for a benchmark run (plus extra instances for the scale-out part), on a fresh
var dir and free ports, with their CPU and memory sampled."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy.local import supervise
from tests.bench.claims_batch import BATCH_INTERVAL_S
from tests.bench.common import BOOTSTRAP, ROOT, ProcessSampler
from tests.bench.enroll import Enrollment, enroll
from tests.bench.groups import consumer_groups
from tests.bench.payer_mix import DEFAULT_MIX, PayerMix

SERVICE_NAMES = ("intake", "units", "poc", "modifiers", "claims", "status")  # every service of the pipeline
# The scale-out part's database: OTRCM_DATABASE_URL when set (a private run), else the local default.
POSTGRES_URL = os.environ.get("OTRCM_DATABASE_URL", "postgresql+asyncpg://otrcm:otrcm@127.0.0.1:5432/otrcm")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Services:
    """The six services as processes (plus extra instances), on a fresh var dir, on free ports."""

    var_dir: Path
    database_url: str | None = None
    mix: PayerMix = field(default_factory=lambda: PayerMix.parse(DEFAULT_MIX))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    handles: list[supervise.ServiceProcess] = field(default_factory=list)
    sampler: ProcessSampler = field(default_factory=lambda: ProcessSampler({}))
    http_port: int = field(default_factory=_free_port)
    status_port: int = field(default_factory=_free_port)
    settings: dict[str, str] = field(default_factory=dict)  # OTRCM_* for every process (``--service-env``)

    @property
    def intake_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def schema_suffix(self) -> str:
        """On PostgreSQL, the run's own schemas (``intake_<suffix>`` ...): a run starts on empty tables, as on
        SQLite, and never works off what an earlier run left (its ready days would be batched in this run's window).
        The schemas stay after the run, for inspection."""
        return "bench_" + "".join(c if c.isalnum() else "_" for c in self.var_dir.name.lower())

    def env(self, *, extra_instance: bool = False) -> dict[str, str]:
        """The services' environment; an extra instance listens on ports of its own (same status service)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTRCM_", "OTEL_"))}
        env.update(
            OTRCM_VAR_DIR=str(self.var_dir),
            OTRCM_KAFKA_BOOTSTRAP=BOOTSTRAP,
            OTRCM_CLAIMS_CUTOFF_HOURS="0",
            OTRCM_CLAIMS_BATCH_INTERVAL_S=BATCH_INTERVAL_S,  # the batch is part (10), in a window of its own
            OTRCM_LOG_LEVEL="WARNING",
            OTRCM_HTTP_PORT=str(_free_port() if extra_instance else self.http_port),
            OTRCM_STATUS_HTTP_PORT=str(_free_port() if extra_instance else self.status_port),
            OTRCM_STATUS_URL=f"http://127.0.0.1:{self.status_port}",
        )
        if self.database_url:
            env["OTRCM_DATABASE_URL"] = self.database_url
            env["OTRCM_DATABASE_SCHEMA_SUFFIX"] = self.schema_suffix
        env.update(self.settings)
        return env

    async def enroll(self, tenant: str, encounters: int) -> Enrollment:
        """Billing provider, key, patients and their payers' records of ``tenant`` (untimed; see
        :mod:`tests.bench.enroll`)."""
        return await enroll(tenant, encounters, self.mix, env=self.env(), base_url=self.intake_url)

    async def consumer_groups(self) -> dict[str, Any]:
        """The consumer groups the running services have joined, per service (from the broker)."""
        return await consumer_groups()

    def start(self, timeout_s: float = 90.0) -> None:
        os.environ["OTRCM_VAR_DIR"] = str(self.var_dir)  # supervise reads the ready files from there
        saved, env = dict(os.environ), self.env()  # env() before the clear: keep PATH, PYTHONPATH ...
        os.environ.clear()
        os.environ.update(env)
        try:
            self.handles = supervise.start()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        for handle in self.handles:
            self.processes[handle.name] = handle.process
            self.sampler.add(handle.name, handle.process.pid)
        try:
            supervise.wait_ready(self.handles, timeout_s)
        except (RuntimeError, TimeoutError):
            self.stop()
            raise

    def add_instance(self, name: str, timeout_s: float = 90.0) -> str:
        """A second process of service ``name``: same env, same consumer group; ready when its ready file
        names its pid."""
        label = f"{name}#2"
        log_path = self.var_dir / "logs" / f"{name}-2.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(Path(sys.executable).parent / f"otrcm-{name}"), "serve"],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env(extra_instance=True),
            )
        self.processes[label] = process
        self.handles.append(supervise.ServiceProcess(label, process, log_path, self.var_dir))
        self.sampler.add(label, process.pid)
        ready = self.var_dir / "run" / f"{name}.ready"
        deadline = time.monotonic() + timeout_s
        while not (ready.exists() and ready.read_text().strip() == str(process.pid)):
            if process.poll() is not None:
                raise RuntimeError(f"{label} exited with {process.returncode}: {log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{label} not ready within {timeout_s:.0f} s")
            time.sleep(0.2)
        return label

    def stop(self) -> dict[str, int]:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes = {}
        for label, process in self.processes.items():
            try:
                codes[label] = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[label] = process.wait()
        return codes
