"""Which built claims share an interchange (pure): one per tenant, payer and trading-partner pair, and no more
than 5,000 claims in one, the 837P implementation guide's recommended limit of CLM segments per ST-SE
(ASC X12N 005010X222A1, section 1); a larger group becomes consecutive interchanges in build order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from otrcm_claims.domain.claim_assembly import BuiltClaim
from otrcm_claims.domain.grouping import group_days
from otrcm_claims.domain.interchange_groups import CLAIMS_PER_TRANSACTION_SET, by_interchange
from tests.support.claims_samples import CLINIC_NPI, claim_lines_ready, clinic_registration

pytestmark = pytest.mark.unit

OTHER_CLEARINGHOUSE_NPI = "1215976574"  # invented: a second billing provider, sent to another clearinghouse


def _built(tenant: str, patients: int, payer_id: str = "medicare-wps-j5", npi: str = CLINIC_NPI) -> list[BuiltClaim]:
    days = [
        claim_lines_ready(tenant, f"pk-{n}", payer_id=payer_id, on=date(2026, 3, 2) + timedelta(days=n % 5)).payload
        for n in range(patients)
    ]
    days = [day.model_copy(update={"billing_provider_npi": npi}) for day in days]
    return [BuiltClaim(draft, None, ()) for draft in group_days(tenant, days)]


def test_the_recommended_limit_is_5000_claims() -> None:
    assert CLAIMS_PER_TRANSACTION_SET == 5000


def test_one_interchange_per_tenant_payer_and_trading_partners() -> None:
    registered = {
        CLINIC_NPI: clinic_registration(),
        OTHER_CLEARINGHOUSE_NPI: clinic_registration(
            OTHER_CLEARINGHOUSE_NPI, interchange_receiver={"qualifier": "ZZ", "id": "CH02"}
        ),
    }
    built = (
        _built("tenant-a", 3)
        + _built("tenant-a", 2, payer_id="mo-healthnet-ffs")
        + _built("tenant-b", 2)
        + _built("tenant-a", 1, npi=OTHER_CLEARINGHOUSE_NPI)
    )
    groups = by_interchange(built, registered)
    assert [
        (g[0].draft.tenant_id, g[0].draft.key.payer_id, g[0].draft.key.billing_provider_npi, len(g)) for g in groups
    ] == [
        ("tenant-a", "medicare-wps-j5", CLINIC_NPI, 3),
        ("tenant-a", "mo-healthnet-ffs", CLINIC_NPI, 2),
        ("tenant-b", "medicare-wps-j5", CLINIC_NPI, 2),
        ("tenant-a", "medicare-wps-j5", OTHER_CLEARINGHOUSE_NPI, 1),
    ]


def test_a_group_over_the_limit_is_cut_into_consecutive_interchanges() -> None:
    built = _built("tenant-a", 7)
    groups = by_interchange(built, {CLINIC_NPI: clinic_registration()}, limit=3)
    assert [len(group) for group in groups] == [3, 3, 1]
    assert [claim for group in groups for claim in group] == built  # every claim once, in build order
