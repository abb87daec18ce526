"""A tenant's billing provider: the organisation it bills as, registered by an operator.

A tenant bills only under billing NPIs (and their tax ids) registered to it: intake refuses an
encounter naming any other NPI, and claims builds the 837P's 1000A/1000B/2010AA loops and the ISA/GS
envelope from this registration and nothing else. Organisational data only, no PHI. The topic is
compacted and keyed by tenant and NPI, so the latest registration of each billing provider is kept.
Field meanings: ASC X12 005010X222A1 (1000A submitter, 1000B receiver, 2010AA billing provider, 2010AB
pay-to address, ISA sender and receiver); NUCC provider taxonomy.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.envelope import EventPayload

NPI_PATTERN = r"^\d{10}$"


class OrganisationAddress(StrictModel):
    line1: str = Field(min_length=1, max_length=55)
    line2: str | None = Field(default=None, max_length=55)
    city: str = Field(min_length=2, max_length=30)
    state: str = Field(pattern=r"^[A-Z]{2}$")
    postal_code: str = Field(pattern=r"^\d{9}$", description="2010AA N403 is the nine-digit ZIP code.")


class PayToAddress(StrictModel):
    """2010AB: where payment goes when it is not the billing provider's address (a post-office box may be)."""

    line1: str = Field(min_length=1, max_length=55)
    line2: str | None = Field(default=None, max_length=55)
    city: str = Field(min_length=2, max_length=30)
    state: str = Field(pattern=r"^[A-Z]{2}$")
    postal_code: str = Field(pattern=r"^[0-9]{5}([0-9]{4})?$", description="Five or nine digits 0-9, no dash.")


class SubmitterParty(StrictModel):
    """1000A: who sends the claims (the practice or its billing service), and a contact."""

    name: str = Field(min_length=1, max_length=60)
    id: str = Field(min_length=2, max_length=80)
    contact_phone: str = Field(pattern=r"^\d{10}$")
    contact_name: str | None = Field(default=None, max_length=60)


class ReceiverParty(StrictModel):
    """1000B: the clearinghouse or payer that receives the interchange."""

    name: str = Field(min_length=1, max_length=60)
    id: str = Field(min_length=2, max_length=80)


class InterchangeId(StrictModel):
    """ISA05/06 or ISA07/08: a qualifier (ZZ mutually defined, 30 federal tax id ...) and an id."""

    qualifier: str = Field(pattern=r"^[A-Z0-9]{2}$")
    id: str = Field(pattern=r"^[A-Za-z0-9]{1,15}$")


class BillingProviderRegistered(EventPayload):
    """One billing provider of a tenant; ``active`` false withdraws it (nothing new bills under it)."""

    EVENT_TYPE: ClassVar[str] = "billing-provider.registered"

    npi: str = Field(pattern=NPI_PATTERN, description="The billing provider's NPI (2010AA NM109).")
    name: str = Field(min_length=1, max_length=60)
    taxonomy: str = Field(pattern=r"^[0-9A-Z]{9}X$", description="NUCC taxonomy, e.g. 225X00000X.")
    tin: str = Field(pattern=r"^\d{9}$", description="Employer identification number (2010AA REF*EI).")
    address: OrganisationAddress
    pay_to: PayToAddress | None = Field(
        default=None, description="2010AB pay-to address, when payment goes elsewhere than the billing address."
    )
    submitter: SubmitterParty
    receiver: ReceiverParty
    interchange_sender: InterchangeId
    interchange_receiver: InterchangeId
    usage: str = Field(default="P", pattern=r"^[PT]$", description="ISA15: P production, T test.")
    location_ids: tuple[str, ...] = Field(
        default=(), max_length=200, description="The practice locations it bills for; empty: every location."
    )
    active: bool = True
    corrections_sent: Literal["after_approval", "automatically"] = Field(
        default="after_approval",
        description="Replacement (CLM05-3 7) and void (8) claims: sent after a biller approves each (the default), "
        "or automatically.",
    )
