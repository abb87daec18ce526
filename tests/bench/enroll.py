"""The set-up a bench tenant needs before its encounters can reach the end, done outside the timed window:
a billing provider registered to the tenant (the operator's ``otrcm-intake register-billing-provider``,
with a fresh valid NPI: one billing NPI belongs to one tenant), an API key (``otrcm-intake create-key``),
and every patient of the run recorded through the intake API with what their payer needs on file
(:func:`tests.bench.payer_mix.records_of`: coverage; a certified plan of care and prior therapy spend for
Medicare; an authorization for MO HealthNet), patients in concurrent batches. Intake dead-letters an
encounter whose billing NPI is not registered to its tenant, or whose patient was not recorded first
(services/intake/README.md); poc holds a day whose plan or authorization is missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.bench.common import ROOT, TopicReader, end_offsets
from tests.bench.groups import wait_quiet
from tests.bench.payer_mix import PayerMix, patient_count, patient_id, records_of
from tests.support.intake_samples import billing_provider, fresh_npi

# The topic each record route publishes on, to wait for them all before the clock starts.
TOPIC_OF_ROUTE = {
    "patients": "otrcm.patients.recorded.v1",
    "plans-of-care": "otrcm.plans-of-care.recorded.v1",
    "authorizations": "otrcm.authorizations.recorded.v1",
    "therapy-spend": "otrcm.therapy-spend.recorded.v1",
}
PATIENTS_PER_REQUEST_BATCH = 50


def patient_ids(encounters: int) -> list[str]:
    """The patients of a run of ``encounters`` (encounter ``i`` is patient ``i // DAYS_PER_PATIENT``)."""
    return [patient_id(p) for p in range(patient_count(encounters))]


def topic_of(path: str) -> str:
    return TOPIC_OF_ROUTE["therapy-spend" if path.endswith("/therapy-spend") else path.split("/")[2]]


@dataclass
class Enrollment:
    """The set-up's figures (for results.json) and the tenant's API key (kept out of them)."""

    figures: dict[str, Any]
    api_key: str = field(repr=False)


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


async def _record_patients(base_url: str, key: str, patients: int, mix: PayerMix) -> Counter[str]:
    """Every patient's records, in order per patient, patients concurrently in batches; the count of
    records accepted per topic."""
    import httpx

    async def one(client: httpx.AsyncClient, index: int) -> list[str]:
        topics = []
        for path, body in records_of(index, mix.payer_of(index)):
            answer = await client.post(path, json=body)
            if answer.status_code >= 300:
                raise RuntimeError(
                    f"intake refused {path} of patient {index}: {answer.status_code} {answer.text[:300]}"
                )
            topics.append(topic_of(path))
        return topics

    published: Counter[str] = Counter()
    async with httpx.AsyncClient(base_url=base_url, headers={"X-API-Key": key}, timeout=60) as client:
        for start in range(0, patients, PATIENTS_PER_REQUEST_BATCH):
            batch = range(start, min(patients, start + PATIENTS_PER_REQUEST_BATCH))
            for topics in await asyncio.gather(*(one(client, index) for index in batch)):
                published.update(topics)
    return published


async def enroll(tenant: str, encounters: int, mix: PayerMix, *, env: dict[str, str], base_url: str) -> Enrollment:
    """Register a billing provider for ``tenant``, create a key, record the run's patients and what their
    payers need; wait until intake has published every record and every consumer group has caught up (so
    the pipeline is quiet, and poc and modifiers know the plans, authorizations and spend, when the timed
    run starts)."""
    began = time.monotonic()
    npi = fresh_npi()
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:  # the operator's file, read by the CLI
        json.dump(billing_provider(npi), file)
        file.flush()
        registered = json.loads(_intake_cli(["register-billing-provider", "--tenant", tenant, file.name], env))
    key = _intake_cli(["create-key", "--tenant", tenant], env).strip().splitlines()[-1]
    patients = patient_count(encounters)
    topics = sorted(set(TOPIC_OF_ROUTE.values()))
    start = await end_offsets(topics)
    async with TopicReader(start, tenant) as reader:
        expected = await _record_patients(base_url, key, patients, mix)
        deadline = time.monotonic() + 60
        while any(len(reader.of(t)) < n for t, n in expected.items()) and time.monotonic() < deadline:
            reader.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.changed.wait(), timeout=1.0)
        published = {topic.split(".")[1]: len(reader.of(topic)) for topic in expected}
    settled = await wait_quiet()  # poc reads the plans, modifiers the spend: done before the clock starts
    figures = {
        "billing_npi": npi,
        "registration": [entry.get("status") for entry in registered],
        "patients_recorded": patients,
        "patients_per_payer": mix.patients_per_payer(patients),
        "records_accepted": {topic.split(".")[1]: n for topic, n in sorted(expected.items())},
        "records_published": published,
        "settled": settled,
        "setup_seconds": round(time.monotonic() - began, 2),
    }
    return Enrollment(figures, key)
