"""A claim goes out only under its own tenant's billing provider, one billing provider per claim (real
broker and PostgreSQL): two billing NPIs on one date are two claims, each 837P names its own NPI and
tax id; a tenant with no registration gets a held claim, released when the registration arrives."""

from __future__ import annotations

from uuid import uuid4

import pytest

from otrcm_claims.adapters.x12 import validate_x12_text
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.topics import CLAIM_LINES_READY, PATIENTS
from tests.integration.claims.conftest import ClaimsFactory
from tests.support.claims_samples import (
    CLINIC_NPI,
    claim_lines_ready,
    clinic_registration,
    patient_recorded,
    ready_line,
)

pytestmark = pytest.mark.integration

SECOND_NPI = "1245319599"  # valid check digit; a second practice of the same tenant


def billed_as(text: str) -> dict[str, tuple[str, str]]:
    """CLM01 -> (NPI, EIN) of the 2010AA billing provider loop the claim sits under, in an 837P."""
    found: dict[str, tuple[str, str]] = {}
    npi = ein = ""
    for segment in text.split("~"):
        elements = segment.split("*")
        if elements[:2] == ["NM1", "85"]:
            npi, ein = elements[9], ""
        elif elements[:2] == ["REF", "EI"]:
            ein = elements[2]
        elif elements[0] == "CLM":
            found[elements[1]] = (npi, ein)
    return found


async def test_two_billing_providers_on_one_date_are_two_claims_each_under_its_own_identity(
    start_claims: ClaimsFactory,
) -> None:
    claims = await start_claims()
    await claims.register(clinic_registration(npi=SECOND_NPI, tin="437777777", name="SECOND PRACTICE LLC"))
    patient = f"pk-{uuid4().hex[:8]}"
    await claims.publish(PATIENTS, patient_recorded(claims.tenant_id, patient), patient)
    first = claim_lines_ready(claims.tenant_id, patient, lines=(ready_line(f"{patient}-a#1"),))
    second = claim_lines_ready(
        claims.tenant_id, patient, lines=(ready_line(f"{patient}-b#1", "97110"),), billing_npi=SECOND_NPI
    )
    await claims.publish(CLAIM_LINES_READY, first, patient)
    await claims.publish(CLAIM_LINES_READY, second, patient)

    rows = await claims.wait_for_claims(
        patient, lambda rows: len(rows) == 2 and all(row["status"] == "submitted" for row in rows)
    )
    assert [row["status"] for row in rows] == [ClaimState.SUBMITTED] * 2
    billed: dict[str, tuple[str, str]] = {}
    for row in rows:
        [path] = claims.files_billing(row["claim_id"])
        text = path.read_text()
        assert validate_x12_text(text).pyx12_valid
        billed[row["claim_id"]] = billed_as(text)[row["claim_id"]]
    lines_by_npi = {billed[row["claim_id"]][0]: [line["code"] for line in row["lines"]] for row in rows}
    assert sorted(billed.values()) == [(CLINIC_NPI, "431234567"), (SECOND_NPI, "437777777")]
    assert lines_by_npi == {CLINIC_NPI: ["97530"], SECOND_NPI: ["97110"]}


async def test_without_a_registered_billing_provider_the_claim_is_held_then_released_by_the_registration(
    start_claims: ClaimsFactory,
) -> None:
    claims = await start_claims(registered=False)
    patient = f"pk-{uuid4().hex[:8]}"
    await claims.publish(PATIENTS, patient_recorded(claims.tenant_id, patient), patient)
    await claims.publish(CLAIM_LINES_READY, claim_lines_ready(claims.tenant_id, patient), patient)

    [held] = await claims.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "held")
    assert held["status"] == ClaimState.HELD
    assert any(reason.startswith("billing-profile:") for reason in held["reasons"]), held["reasons"]
    assert claims.files_billing(held["claim_id"]) == []

    await claims.register()
    [sent] = await claims.wait_for_claims(patient, lambda rows: rows[0]["status"] == "submitted")
    assert sent["status"] == ClaimState.SUBMITTED
    [path] = claims.files_billing(sent["claim_id"])
    assert billed_as(path.read_text())[sent["claim_id"]] == (CLINIC_NPI, "431234567")


async def test_a_registration_of_another_tenant_never_bills_for_this_one(start_claims: ClaimsFactory) -> None:
    """Tenant B registered the clinic's NPI (as claims sees it on the topic); tenant A did not: A's day is held."""
    claims_b = await start_claims()
    claims_a = await start_claims(registered=False)
    assert claims_b.tenant_id != claims_a.tenant_id
    patient = f"pk-{uuid4().hex[:8]}"
    await claims_a.publish(PATIENTS, patient_recorded(claims_a.tenant_id, patient), patient)
    await claims_a.publish(CLAIM_LINES_READY, claim_lines_ready(claims_a.tenant_id, patient), patient)

    [held] = await claims_a.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "held")
    assert any(reason.startswith("billing-profile:") for reason in held["reasons"]), held["reasons"]
