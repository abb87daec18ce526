"""Which built claims travel together. Pure.

One interchange (one ISA-IEA with one GS-GE and one ST-SE) per tenant, payer and trading-partner pair
(interchange sender and receiver) per batch, and at most ``CLAIMS_PER_TRANSACTION_SET`` claims in it: the
837P implementation guide (ASC X12N 005010X222A1, section 1) recommends that a transaction set carry no more
than 5,000 CLM segments, a limit trading partners may only raise by agreement. A larger group is cut into
consecutive interchanges in the order the claims were built, each with its own control number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from otrcm_claims.domain.claim_assembly import BuiltClaim
from otrcm_shared.events.billing_providers import BillingProviderRegistered

CLAIMS_PER_TRANSACTION_SET = 5000


def by_interchange(
    built: Sequence[BuiltClaim],
    registered: Mapping[str, BillingProviderRegistered],
    limit: int = CLAIMS_PER_TRANSACTION_SET,
) -> list[list[BuiltClaim]]:
    """The claims of each interchange, in build order; ``registered``: the billing providers by NPI."""
    groups: dict[tuple[str, str, str, str], list[BuiltClaim]] = {}
    for result in built:
        billing = registered[result.draft.key.billing_provider_npi]
        key = (
            result.draft.tenant_id,
            result.draft.key.payer_id,
            billing.interchange_sender.id,
            billing.interchange_receiver.id,
        )
        groups.setdefault(key, []).append(result)
    return [group[start : start + limit] for group in groups.values() for start in range(0, len(group), limit)]
