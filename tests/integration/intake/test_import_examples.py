"""The import file as docs/import-file.md documents it: its example files import cleanly, and a refused
record is reported by row (and column) on the real broker and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_intake.usecases.importer import run_import
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from tests.integration.intake.conftest import TODAY, Intake
from tests.support.infra import ROOT
from tests.support.intake_samples import BILLING_NPI, billing_provider

pytestmark = pytest.mark.integration

EXAMPLES = ROOT / "docs" / "examples"


async def _registered_as_in_the_examples(intake: Intake, tenant: str) -> dict[str, str]:
    """The examples bill under BILLING_NPI: move it to this tenant (an operator's transfer) and record mrn-1001."""
    clinic = await intake.onboard(tenant)
    registration = BillingProviderRegistered.model_validate(billing_provider(BILLING_NPI))
    async with intake.runtime.db.transaction() as session:
        recorded = await register_billing_provider(session, tenant, registration, transfer=True)
    assert recorded.outcome.value in ("accepted", "duplicate"), recorded.as_dict()
    return clinic.headers


@pytest.mark.parametrize("example", ["import-encounters.csv", "import-records.jsonl"])
async def test_the_documented_example_imports_cleanly(
    intake: Intake, tenant: str, tmp_path: Path, example: str
) -> None:
    headers = await _registered_as_in_the_examples(intake, tenant)
    report = tmp_path / "report.jsonl"
    settings = intake.settings.model_copy(update={"business_date": TODAY})

    assert await run_import(settings, EXAMPLES / example, tenant, report) == 0
    assert report.read_text() == "", "nothing refused"
    lines = (EXAMPLES / example).read_text().splitlines()
    if example.endswith(".csv"):
        encounter_ids = {line.split(",")[0] for line in lines[1:]}
    else:
        encounter_ids = {json.loads(line).get("encounter_id") for line in lines} - {None}
    assert encounter_ids
    for encounter_id in encounter_ids:
        assert (await intake.client.get(f"/v1/encounters/{encounter_id}", headers=headers)).status_code == 200


async def test_a_refused_csv_record_is_named_by_its_rows_and_columns(
    intake: Intake, tenant: str, tmp_path: Path
) -> None:
    await _registered_as_in_the_examples(intake, tenant)
    rows = (EXAMPLES / "import-encounters.csv").read_text().splitlines()
    header, first, second = rows[0], rows[1], rows[2].replace(",97535,15,", ",97535,fifteen,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([header, first.replace("doc-e-1", "bad-e-1"), second.replace("doc-e-1", "bad-e-1")]))
    report = tmp_path / "report.jsonl"

    assert await run_import(intake.settings.model_copy(update={"business_date": TODAY}), bad, tenant, report) == 1
    (entry,) = [json.loads(line) for line in report.read_text().splitlines()]
    assert (entry["row"], entry["status"], entry["encounter_id"]) == (2, "rejected", "bad-e-1")
    assert [(e["row"], e["column"], e["path"], e["rule"]) for e in entry["errors"]] == [
        (3, "minutes", "lines.2.minutes", "schema.int_type")
    ]
