"""The tenant's registered billing provider as the 837P needs it: 2010AA, 2010AB, 1000A, 1000B, ISA/GS parties.

Registrations arrive on the billing-providers topic (see ``handlers.on_billing_provider_registered``);
this module only translates one into the claim's and the envelope's value objects.
"""

from __future__ import annotations

from otrcm_claims.adapters.x12 import InterchangeParty, Receiver, Submitter, TradingPartners, Usage
from otrcm_claims.domain import Address, BillingProvider
from otrcm_shared.events.billing_providers import BillingProviderRegistered


def billing_provider_of(registration: BillingProviderRegistered) -> BillingProvider:
    address, pay_to = registration.address, registration.pay_to
    return BillingProvider(
        registration.name,
        registration.npi,
        registration.taxonomy,
        registration.tin,
        Address(address.line1, address.city, address.state, address.postal_code, address.line2),
        None if pay_to is None else Address(pay_to.line1, pay_to.city, pay_to.state, pay_to.postal_code, pay_to.line2),
    )


def trading_partners_of(registration: BillingProviderRegistered) -> TradingPartners:
    sender, receiver = registration.interchange_sender, registration.interchange_receiver
    return TradingPartners(
        InterchangeParty(sender.qualifier, sender.id),
        InterchangeParty(receiver.qualifier, receiver.id),
        Usage(registration.usage),
    )


def submitter_of(registration: BillingProviderRegistered) -> Submitter:
    s = registration.submitter
    return Submitter(s.name, s.id, s.contact_phone, s.contact_name)


def receiver_of(registration: BillingProviderRegistered) -> Receiver:
    return Receiver(registration.receiver.name, registration.receiver.id)
