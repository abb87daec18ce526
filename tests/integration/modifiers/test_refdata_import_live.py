"""Reference data is operational data: ``otrcm-refdata import GPCI2026.csv`` (CMS layout, written here; test
values, not CMS's) is published to the reference-data topic and a RUNNING modifiers service prices the next
2026 day with it, no longer provisional, without a restart. The test uses a topic of its own so the shared
broker's ``otrcm.reference-data.v1`` is untouched."""

from __future__ import annotations

import asyncio
import os
import random
import string
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.refdata.layers import LAYERS
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import CLAIM_LINES_READY, DAY_VERDICTS, partition_key
from tests.integration.modifiers.test_provisional_estimates import cleared_day
from tests.support.kafka_tools import end_offsets, read_from
from tests.support.services import publish, running
from tests.unit.modifiers.test_modifiers_import import GPCI_CSV

pytestmark = pytest.mark.integration


@pytest.fixture
async def modifiers(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[ServiceRuntime]:
    suffix = "".join(random.choices(string.ascii_lowercase, k=10))
    settings = RuntimeSettings(
        kafka_bootstrap=kafka_bootstrap,
        database_url=postgres_base_url,
        var_dir=tmp_path,
        reference_data_topic=f"otrcm.reference-data.test-{suffix}.v1",
    )
    try:
        async with running("modifiers", settings) as runtime:
            yield runtime
    finally:
        LAYERS.reset()  # the in-process layers followed the test topic: forget them


async def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command line, as an operator runs it, in a thread (the service keeps running meanwhile)."""
    return await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120, check=False
    )


async def _one_day(modifiers: ServiceRuntime, tenant: str, patient: str, on: date) -> ClaimLinesReady:
    bootstrap = modifiers.settings.kafka_bootstrap
    start = await end_offsets(bootstrap, CLAIM_LINES_READY.name)
    day = cleared_day(tenant, patient, on, (("97530", 15),))
    await publish(modifiers.settings, DAY_VERDICTS.name, [day.model_dump_json()], partition_key(tenant, patient))

    def ours(records: list) -> list[ClaimLinesReady]:  # type: ignore[type-arg]
        events = [Envelope[ClaimLinesReady].model_validate_json(r.value) for r in records]
        return [e.payload for e in events if e.tenant_id == tenant and e.payload.patient_key == patient]

    (ready,) = ours(await read_from(bootstrap, start, until=lambda rs: len(ours(rs)) >= 1, settle_s=0.5))
    return ready


async def test_an_imported_gpci_2026_applies_without_a_restart(modifiers: ServiceRuntime, tmp_path: Path) -> None:
    tenant = f"tenant-{uuid4().hex[:8]}"
    before = await _one_day(modifiers, tenant, "pk-1", date(2026, 10, 5))
    assert before.lines[0].expected_provisional
    gpci_file = tmp_path / "GPCI2026.csv"
    gpci_file.write_text(GPCI_CSV, encoding="utf-8")
    env = {
        **os.environ,
        "OTRCM_KAFKA_BOOTSTRAP": modifiers.settings.kafka_bootstrap,
        "OTRCM_REFERENCE_DATA_TOPIC": modifiers.settings.reference_data_topic,
    }
    command = [str(Path(sys.executable).parent / "otrcm-refdata"), "import", str(gpci_file)]
    first = await _run(command, env)
    assert first.returncode == 0, first.stderr
    assert "medicare_gpci GPCI2026: new version, 2026-01-01 to 2026-12-31" in first.stdout
    again = await _run(command, env)
    assert "unchanged" in again.stdout, "idempotent"
    assert "0 version(s) published" in again.stdout
    for _ in range(50):
        if any(v.version == "GPCI2026" for v in LAYERS.imported("medicare_gpci")):
            break
        await asyncio.sleep(0.1)
    after = await _one_day(modifiers, tenant, "pk-2", date(2026, 10, 6))
    (line,) = after.lines
    assert line.expected_provisional is False
    assert ("medicare_gpci", "GPCI2026", False) in [(u.dataset, u.version, u.provisional) for u in line.expected_basis]
    # MO-99 (the default locality) from the imported file: work 1.000, PE 0.850, MP 0.750 (test values);
    # 97530 RVU26C: (0.44 x 1.000 + 0.60 x 0.850 + 0.01 x 0.750) x 33.4009 = 0.9575 x 33.4009 = 31.98136175
    assert line.expected_allowed == Decimal("31.98")
    status = await _run([str(Path(sys.executable).parent / "otrcm-refdata"), "status", "--on", "2026-10-06"], env)
    assert "medicare_gpci                    covered      GPCI2026 (imported)" in status.stdout
    assert "therapy_thresholds               covered      2026 (shipped)" in status.stdout
