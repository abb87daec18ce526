"""The set-up a bench tenant needs before its encounters can reach the end, done outside the timed window:
a billing provider registered to the tenant (the operator's ``otrcm-intake register-billing-provider``,
with a fresh valid NPI: one billing NPI belongs to one tenant), an API key (``otrcm-intake create-key``),
and every patient of the run recorded through the intake API (``POST /v1/patients``, coverage with the
encounters' payer), in concurrent batches. Intake dead-letters an encounter whose billing NPI is not
registered to its tenant, or whose patient was not recorded first (services/intake/README.md)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import ROOT, TopicReader, end_offsets
from tests.bench.groups import wait_quiet
from tests.support.intake_samples import billing_provider, fresh_npi

PATIENTS_RECORDED = "otrcm.patients.recorded.v1"
PATIENTS_PER_REQUEST_BATCH = 50


def patient_id(index: int) -> str:
    return f"mrn-{index:06d}"


def patient_ids(encounters: int, days_per_patient: int = 6) -> list[str]:
    """The patients of a run of ``encounters`` (encounter ``i`` is patient ``i // days_per_patient``)."""
    return [patient_id(p) for p in range((encounters + days_per_patient - 1) // days_per_patient)]


def patient_body(patient: str, payer: str) -> dict[str, Any]:
    """Invented demographics; one commercial coverage with the encounters' payer."""
    return {
        "patient_id": patient,
        "first_name": "Bench",
        "last_name": f"Patient{patient.removeprefix('mrn-')}",
        "birth_date": "1961-04-12",
        "sex": "U",
        "address": {"line1": "1 Bench Way", "city": "Columbia", "state": "MO", "postal_code": "65201"},
        "coverages": [{"payer_id": payer, "member_id": f"BX{patient.removeprefix('mrn-')}"}],
    }


def _intake_cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "otrcm-intake"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(
            f"otrcm-intake {args[0]} failed ({done.returncode}): {done.stdout[-800:]} {done.stderr[-800:]}"
        )
    return done.stdout


async def _record_patients(base_url: str, key: str, patients: list[str], payer: str) -> int:
    import httpx

    async with httpx.AsyncClient(base_url=base_url, headers={"X-API-Key": key}, timeout=60) as client:
        for start in range(0, len(patients), PATIENTS_PER_REQUEST_BATCH):
            batch = patients[start : start + PATIENTS_PER_REQUEST_BATCH]
            answers = await asyncio.gather(*(client.post("/v1/patients", json=patient_body(p, payer)) for p in batch))
            refused = [
                (p, a.status_code, a.text[:300]) for p, a in zip(batch, answers, strict=True) if a.status_code >= 300
            ]
            if refused:
                raise RuntimeError(f"intake refused {len(refused)} patients, first: {refused[0]}")
    return len(patients)


async def enroll(tenant: str, encounters: int, payer: str, *, env: dict[str, str], base_url: str) -> dict[str, Any]:
    """Register a billing provider for ``tenant``, create a key, record the run's patients; wait until intake
    has published every patients.recorded event and every consumer group has caught up (so the pipeline is
    quiet when the timed run starts)."""
    began = time.monotonic()
    npi = fresh_npi()
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:  # the operator's file, read by the CLI
        json.dump(billing_provider(npi), file)
        file.flush()
        registered = json.loads(_intake_cli(["register-billing-provider", "--tenant", tenant, file.name], env))
    key = _intake_cli(["create-key", "--tenant", tenant], env).strip().splitlines()[-1]
    patients = patient_ids(encounters)
    start = await end_offsets([PATIENTS_RECORDED])
    async with TopicReader(start, tenant) as reader:
        await _record_patients(base_url, key, patients, payer)
        deadline = time.monotonic() + 60
        while len(reader.of(PATIENTS_RECORDED)) < len(patients) and time.monotonic() < deadline:
            reader.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.changed.wait(), timeout=1.0)
        published = len(reader.of(PATIENTS_RECORDED))
    settled = await wait_quiet()  # e.g. claims reads patients.recorded: done before the clock starts
    return {
        "billing_npi": npi,
        "registration": [entry.get("status") for entry in registered],
        "patients_recorded": len(patients),
        "patients_published": published,
        "settled": settled,
        "setup_seconds": round(time.monotonic() - began, 2),
    }
