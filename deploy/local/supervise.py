"""Runs the six services as processes on this machine (the embedded defaults).

``python -m deploy.local.supervise smoke`` starts them, waits until each is ready, reports,
and stops them again; the end-to-end main job builds on the same supervisor.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "units", "poc", "modifiers", "claims", "status")


@dataclass
class ServiceProcess:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    var: Path

    @property
    def ready_file(self) -> Path:
        return self.var / "run" / f"{self.name}.ready"


def var_dir() -> Path:
    return Path(os.environ.get("OTRCM_VAR_DIR", ROOT / "var"))


def start(names: tuple[str, ...] = SERVICES, env: dict[str, str] | None = None) -> list[ServiceProcess]:
    """Start ``names`` (their logs appended to var/logs/<name>.log) with ``env`` or this process's environment."""
    environment = dict(os.environ if env is None else env)
    var = Path(environment.get("OTRCM_VAR_DIR") or var_dir())
    logs = var / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = []
    for name in names:
        (var / "run" / f"{name}.ready").unlink(missing_ok=True)
        log_path = logs / f"{name}.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [str(Path(sys.executable).parent / f"otrcm-{name}"), "serve"],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**environment, "OTRCM_VAR_DIR": str(var)},
            )
        started.append(ServiceProcess(name, process, log_path, var))
    return started


def wait_ready(services: list[ServiceProcess], timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    waiting = {service.name: service for service in services}
    while waiting:
        for name, service in list(waiting.items()):
            if service.process.poll() is not None:
                tail = service.log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{name} exited with {service.process.returncode} while starting:\n{tail}")
            if service.ready_file.exists():
                del waiting[name]
        if time.monotonic() > deadline:
            raise TimeoutError(f"not ready within {timeout_s:.0f} s: {', '.join(sorted(waiting))}")
        time.sleep(0.2)


def stop(services: list[ServiceProcess], timeout_s: float = 30.0) -> dict[str, int]:
    for service in services:
        if service.process.poll() is None:
            service.process.send_signal(signal.SIGTERM)
    codes = {}
    for service in services:
        try:
            codes[service.name] = service.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            service.process.kill()
            codes[service.name] = service.process.wait()
    return codes


def smoke() -> int:
    """Start the six services, wait for readiness, stop them; 0 when all came up and shut down cleanly."""
    services = start()
    try:
        began = time.monotonic()
        wait_ready(services)
        print(f"all {len(services)} services ready in {time.monotonic() - began:.1f} s:")
        for service in services:
            print(f"  otrcm-{service.name:<10} pid {service.process.pid:<8} log {service.log_path}")
    finally:
        codes = stop(services)
    failed = {name: code for name, code in codes.items() if code != 0}
    if failed:
        print(f"services that did not stop cleanly: {failed}", file=sys.stderr)
        return 1
    print("all services stopped cleanly")
    return 0


def pid_file() -> Path:
    return var_dir() / "run" / "services.pids"


def up() -> int:
    """Start the services in the background and leave them running (``make up``); ``down`` stops them."""
    if pid_file().exists():
        print(f"already up (see {pid_file()}); run `make down` first", file=sys.stderr)
        return 1
    services = start()
    try:
        wait_ready(services)
    except (RuntimeError, TimeoutError):
        stop(services)
        raise
    services += start(("console",))  # the billing team's pages, a client of the intake API (services/console)
    pid_file().write_text("".join(f"{s.name} {s.process.pid}\n" for s in services))
    port = os.environ.get("OTRCM_HTTP_PORT", "8080")
    print(f"six services up; intake API on http://127.0.0.1:{port} (OpenAPI at /docs); logs in {var_dir() / 'logs'}")
    print("create an API key:  .venv/bin/otrcm-intake create-key --tenant YOUR-TENANT")
    console = os.environ.get("OTRCM_CONSOLE_PORT", "8090")
    print(f"billing console on http://127.0.0.1:{console}; its first user (link the tenant's key, then a user):")
    print(
        "  .venv/bin/otrcm-intake create-key --tenant YOUR-TENANT | "
        ".venv/bin/otrcm-console link-tenant --tenant YOUR-TENANT --api-key-stdin"
    )
    print("  .venv/bin/otrcm-console create-user --tenant YOUR-TENANT --role admin --username YOU")
    return 0


def down() -> int:
    """Stop the services ``up`` started (by their recorded pids), waiting for each to exit."""
    if not pid_file().exists():
        print("nothing to stop")
        return 0
    for line in pid_file().read_text().splitlines():
        name, pid = line.split()
        try:
            os.kill(int(pid), signal.SIGTERM)
        except ProcessLookupError:
            continue
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        print(f"stopped otrcm-{name} (pid {pid})")
    pid_file().unlink()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["smoke", "up", "down"])
    args = parser.parse_args(argv)
    return {"smoke": smoke, "up": up, "down": down}[args.command]()


if __name__ == "__main__":
    raise SystemExit(main())
