"""`make traces`: the pipeline watched through a real tracing backend.

Jaeger (``deploy/local/jaeger/jaeger.sh``, built from its Go module) must be up. This starts the six services
with every trace kept (``OTRCM_TRACE_SAMPLE_RATIO=1.0``) and exported over OTLP/HTTP to Jaeger, enrolls the
sample Missouri practice and sends a few of its encounters, one request each; waits until they are final; then
asks Jaeger's query API for the intake requests' traces and picks one that spans intake, units, poc, modifiers
and claims, ending where claims builds the claim that goes out in the 837P. It prints that trace's spans, writes
them to ``var/traces/trace.json`` and, with ``--screenshot``, photographs the trace in Jaeger's UI with headless
Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx

from deploy.local import supervise
from deploy.local.main_job import FINAL, SAMPLE, _load, pipeline_environment

ROOT = Path(__file__).resolve().parents[2]
FIVE = ("otrcm-intake", "otrcm-units", "otrcm-poc", "otrcm-modifiers", "otrcm-claims")
ENCOUNTERS = 6


def _cli(service: str, *args: str) -> str:
    done = subprocess.run(
        [str(Path(sys.executable).parent / f"otrcm-{service}"), *args],
        check=True, capture_output=True, text=True, env=os.environ,
    )  # fmt: skip
    return done.stdout.strip()


def _environment(var: Path, otlp_port: str, practice: dict[str, Any]) -> str:
    port = pipeline_environment(var, practice)
    os.environ.update(
        {
            "OTRCM_TRACE_SAMPLE_RATIO": "1.0",  # every trace kept, so the one we look for is there
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{otlp_port}",
            "OTEL_BSP_SCHEDULE_DELAY": "500",
        }
    )
    return f"http://127.0.0.1:{port}"


def _enroll_and_send(client: httpx.Client) -> list[str]:
    """The practice's patients, plans (certified), authorizations; then its first encounters, one request each."""
    for path, bodies in (
        ("/v1/patients", _load("patients.json")),
        ("/v1/plans-of-care", _load("plans.json")),
        ("/v1/authorizations", _load("authorizations.json")),
    ):
        for body in bodies:
            client.post(path, json=body).raise_for_status()
    for step in _load("certifications.json"):
        plan_id = step.pop("plan_id")
        client.post(f"/v1/plans-of-care/{plan_id}/events", json=step).raise_for_status()
    time.sleep(2.0)  # the plans reach poc before the encounters do
    rows = [json.loads(line) for line in (SAMPLE / "encounters.jsonl").read_text().splitlines() if line.strip()]
    sent = []
    for row in rows[:ENCOUNTERS]:
        client.post("/v1/encounters", json=row).raise_for_status()
        sent.append(row["encounter_id"])
    return sent


def _wait_final(client: httpx.Client, encounter_ids: list[str], timeout_s: float = 180) -> dict[str, str]:
    deadline, found = time.monotonic() + timeout_s, {}
    while time.monotonic() < deadline:
        found = {eid: client.get(f"/v1/encounters/{eid}").json().get("status", "unknown") for eid in encounter_ids}
        if all(status in FINAL for status in found.values()):
            break
        time.sleep(1.0)
    return found


def _query(base: str, path: str) -> Any:
    with urllib.request.urlopen(f"{base}{path}", timeout=10) as response:
        return json.loads(response.read())


def services_of(trace: dict[str, Any]) -> set[str]:
    return {process["serviceName"] for process in trace["processes"].values()}


def find_trace(query_base: str, timeout_s: float = 60) -> dict[str, Any] | None:
    """Through Jaeger's query API: the intake requests' traces; the first spanning all five services and reaching
    the claims service's handling of the day's claim lines (where the claim for the 837P is built)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        listed = _query(query_base, "/api/traces?service=otrcm-intake&operation=intake.http&limit=100&lookback=1h")
        for trace in sorted(listed.get("data") or [], key=lambda t: -len(t["spans"])):
            if services_of(trace) >= set(FIVE):
                return dict(_query(query_base, f"/api/traces/{trace['traceID']}")["data"][0])
        time.sleep(2.0)
    return None


def describe(trace: dict[str, Any]) -> list[str]:
    """One line per span, in time order: offset in ms, service, span name."""
    processes = {key: process["serviceName"] for key, process in trace["processes"].items()}
    spans = sorted(trace["spans"], key=lambda span: span["startTime"])
    start = spans[0]["startTime"]
    return [
        f"{(span['startTime'] - start) / 1000:>9.1f} ms  {processes[span['processID']]:<16} {span['operationName']}"
        for span in spans
    ]


def ui_is_placeholder(query_base: str) -> bool:
    """True when Jaeger serves its placeholder page for want of UI assets (a binary built from the Go module
    alone; ``OTRCM_JAEGER_UI_DIR`` names a jaeger-ui build to serve instead)."""
    with urllib.request.urlopen(f"{query_base}/", timeout=10) as response:
        return b"not compiled with the UI assets" in response.read()


def screenshot(url: str, target: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed: `apt-get install -y chromium` (Debian)")
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1600,1100",
         "--virtual-time-budget=15000", f"--screenshot={target}", url],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screenshot", type=Path, help="write a PNG of the trace in Jaeger's UI here")
    args = parser.parse_args(argv)
    otlp_port = os.environ.get("OTRCM_JAEGER_OTLP_PORT", "4318")
    query_base = f"http://127.0.0.1:{os.environ.get('OTRCM_JAEGER_QUERY_PORT', '16686')}"
    practice = _load("practice.json")
    var = ROOT / "var" / "traces"
    shutil.rmtree(var, ignore_errors=True)
    api = _environment(var, otlp_port, practice)
    services = supervise.start()
    try:
        supervise.wait_ready(services)
        key = _cli("intake", "create-key", "--tenant", practice["tenant_id"])
        _cli("intake", "register-billing-provider", "--tenant", practice["tenant_id"],
             str(SAMPLE / "billing_providers.json"), "--transfer")  # fmt: skip
        with httpx.Client(base_url=api, headers={"X-API-Key": key}, timeout=60) as client:
            sent = _enroll_and_send(client)
            final = _wait_final(client, sent)
        print(f"{len(sent)} encounters sent, one request each; final: {sorted(final.values())}")
    finally:
        codes = supervise.stop(services)  # the services flush their last spans as they stop
    trace = find_trace(query_base)
    if trace is None:
        print(f"no trace spanning {', '.join(FIVE)} found in Jaeger at {query_base}", file=sys.stderr)
        return 1
    (var / "trace.json").write_text(json.dumps(trace, indent=1), encoding="utf-8")
    url = f"{query_base}/trace/{trace['traceID']}"
    print(f"trace {trace['traceID']}: {len(trace['spans'])} spans across {', '.join(sorted(services_of(trace)))}")
    print("\n".join(describe(trace)))
    print(f"in Jaeger's UI: {url}")
    if args.screenshot and ui_is_placeholder(query_base):
        print("no screenshot: this Jaeger serves its placeholder page (no UI assets; see OTRCM_JAEGER_UI_DIR)")
    elif args.screenshot:
        screenshot(url, args.screenshot)
        print(f"screenshot: {args.screenshot}")
    return 0 if all(code == 0 for code in codes.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
