"""Rules for registering a billing provider to a tenant. Pure.

One billing NPI, and one tax id, belong to one tenant: a second tenant registering either would let it
send claims as another practice (a false claim). The NPI must carry a valid check digit. Every text is plain
(free_text.py) and holds none of the 837P's separators (``~ * : ^``, X12 ISA11, ISA16 and the defaults the
claims service writes with), which would otherwise hold every claim built from it.
"""

from __future__ import annotations

from otrcm_intake.domain.free_text import text_is_plain, texts_in
from otrcm_intake.domain.identifiers import npi_check_digit_is_valid
from otrcm_intake.domain.violations import Violation
from otrcm_shared.events.billing_providers import BillingProviderRegistered

X12_SEPARATORS = frozenset("~*:^")


def validate_registration(
    registration: BillingProviderRegistered,
    tenant_id: str,
    npi_owner: str | None,
    tin_owners: frozenset[str],
) -> list[Violation]:
    """``npi_owner``: the tenant the NPI is registered to, if any; ``tin_owners``: tenants using the TIN."""
    found = text_is_plain(registration)
    for path, text in texts_in(registration.model_dump()):
        if X12_SEPARATORS & set(text):
            found.append(Violation(path, "text.x12_separators", "the characters ~ * : ^ cannot go into an X12 file"))
    if not npi_check_digit_is_valid(registration.npi):
        found.append(Violation("npi", "npi.check_digit", "the NPI's check digit is wrong (Luhn over 80840 + 9 digits)"))
    if npi_owner is not None and npi_owner != tenant_id:
        message = "this billing NPI is registered to another tenant; one billing NPI belongs to one tenant"
        found.append(Violation("npi", "billing_provider.npi_owned_elsewhere", message))
    if tin_owners - {tenant_id}:
        message = "this tax id is registered to another tenant; one tax id belongs to one tenant"
        found.append(Violation("tin", "billing_provider.tin_owned_elsewhere", message))
    return found
