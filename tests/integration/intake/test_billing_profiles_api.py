"""Billing profiles through the API on the real broker and PostgreSQL: a key with the admin scope registers one
(with a pay-to address) by the operator's code path, the claims service's topic carries it, and the tenant reads
it back; keys without admin are refused 403, and bad profiles answer 422 naming field and rule."""

from __future__ import annotations

import json

import pytest

from otrcm_intake.adapters.keys import create_key
from otrcm_intake.domain.key_terms import Scope
from otrcm_shared.topics import BILLING_PROVIDERS
from tests.integration.intake.conftest import Intake
from tests.support.intake_samples import billing_provider, fresh_npi
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration

PAY_TO = {"line1": "PO BOX 4410", "city": "COLUMBIA", "state": "MO", "postal_code": "65205"}


async def test_an_admin_key_registers_a_billing_profile_the_claims_topic_carries_and_the_tenant_reads(
    intake: Intake, tenant: str
) -> None:
    async with intake.runtime.db.transaction() as session:
        admin = {"X-API-Key": await create_key(session, tenant, frozenset({Scope.ADMIN}))}
        everyday = {"X-API-Key": await create_key(session, tenant)}  # submit and read
    profile = billing_provider(fresh_npi(), pay_to=PAY_TO)
    start = await end_offsets(intake.settings.kafka_bootstrap, BILLING_PROVIDERS.name)

    refused = await intake.client.post("/v1/billing-profiles", json=profile, headers=everyday)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["rule"] == "auth.scope.admin"
    registered = await intake.client.post("/v1/billing-profiles", json=profile, headers=admin)
    assert (registered.status_code, registered.json()) == (202, {"status": "accepted", "id": profile["npi"]})
    again = await intake.client.post("/v1/billing-profiles", json=profile, headers=admin)
    assert again.json()["status"] == "duplicate"

    records = await read_from(
        intake.settings.kafka_bootstrap,
        start,
        until=lambda rs: any(profile["npi"].encode() in r.value for r in rs),
        settle_s=1.0,
    )
    published = [json.loads(r.value) for r in records if profile["npi"].encode() in r.value]
    assert [(e["tenant_id"], e["payload"]["pay_to"]["line1"]) for e in published] == [(tenant, "PO BOX 4410")]

    listed = await intake.client.get("/v1/billing-profiles", headers=everyday)
    assert [(p["npi"], p["pay_to"]["postal_code"]) for p in listed.json()["billing_profiles"]] == [
        (profile["npi"], "65205")
    ]
    assert (await intake.client.get("/v1/billing-profiles", headers=admin)).status_code == 403, "admin is not read"
    other = await intake.onboard(f"{tenant}-other", patients=())
    theirs = (await intake.client.get("/v1/billing-profiles", headers=other.headers)).json()["billing_profiles"]
    assert profile["npi"] not in json.dumps(theirs)


async def test_a_bad_billing_profile_answers_422_naming_each_field_and_rule(intake: Intake, tenant: str) -> None:
    async with intake.runtime.db.transaction() as session:
        admin = {"X-API-Key": await create_key(session, tenant, frozenset({Scope.ADMIN}))}
    good = billing_provider(fresh_npi())
    wrong_digit = good["npi"][:9] + str((int(good["npi"][9]) + 1) % 10)
    cases = [
        ({**good, "npi": wrong_digit}, [("npi", "npi.check_digit")]),
        ({**good, "taxonomy": "225X0000"}, [("taxonomy", "schema.string_pattern_mismatch")]),
        ({**good, "tin": "43-123456"}, [("tin", "schema.string_pattern_mismatch")]),
        ({**good, "name": "MERIDIAN*HAND~OT"}, [("name", "text.x12_separators")]),
        ({**good, "pay_to": {**PAY_TO, "postal_code": "6520"}},
         [("pay_to.postal_code", "schema.string_pattern_mismatch")]),
    ]  # fmt: skip
    for body, expected in cases:
        answer = await intake.client.post("/v1/billing-profiles", json=body, headers=admin)
        assert answer.status_code == 422, (expected, answer.text)
        assert [(e["path"], e["rule"]) for e in answer.json()["errors"]] == expected
    listed = await intake.client.get("/v1/billing-profiles", headers=await intake.key_for(tenant))
    assert listed.json()["billing_profiles"] == [], "nothing refused was registered"
