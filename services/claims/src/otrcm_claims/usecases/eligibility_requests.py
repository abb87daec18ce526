"""Eligibility requests (docs/adr/015): keep each ``EligibilityRequested`` and send its 270 through the port.

The subscriber only records the request (pending). The periodic task sends what is pending: the patient's
record, the coverage for the payer, the subscriber (a dependent's record must name one), the tenant's billing
provider and the payer's set-up make the inquiry; a missing one leaves the request ``waiting`` with a note
naming the fact (ids only) and it is tried again on the next run. A sent request keeps its interchange
control number (from the one interchange sequence), the ISA sender the 271 must answer, and the 270's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.eligibility_drop import EligibilityPort
from otrcm_claims.adapters.eligibility_store import lock_unsent, remember_request, requests_to_send, set_request
from otrcm_claims.adapters.x12.envelope import ControlNumbers
from otrcm_claims.adapters.x12.render_270 import render_270
from otrcm_claims.domain.claim_assembly import coverage_for
from otrcm_claims.domain.dependents import insured_parties
from otrcm_claims.domain.eligibility import EligibilityInquiry
from otrcm_claims.usecases.billing_identity import billing_provider_of, trading_partners_of
from otrcm_shared.events import Envelope
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.eligibility import EligibilityRequested
from otrcm_shared.events.patients import PatientRecorded
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.outbox import Outgoing


async def on_eligibility_requested(session: AsyncSession, event: Envelope[EligibilityRequested]) -> Sequence[Outgoing]:
    """Keep the request as pending (the same request id again changes nothing)."""
    request = event.payload
    values = {
        "request_id": request.request_id,
        "patient_key": request.patient_key,
        "payer_id": request.payer_id,
        "service_date": request.service_date,
        "reason": request.reason.value,
    }
    await remember_request(session, event.tenant_id, values)
    return []


async def send_pending_inquiries(
    db: Database, profiles: BillingProfiles, port: EligibilityPort, created_at: datetime
) -> dict[str, list[str]]:
    """Send every request that can be sent now; returns the request ids ``sent`` and ``waiting``."""
    report: dict[str, list[str]] = {"sent": [], "waiting": []}
    async with db.transaction() as session:
        request_ids = [row["request_id"] for row in await requests_to_send(session)]
    for request_id in request_ids:
        async with db.transaction() as session:
            row = await lock_unsent(session, request_id)
            if row is None:
                continue
            made = await _inquiry(session, row, profiles)
            if isinstance(made, str):
                await set_request(session, request_id, status="waiting", note=made)
                report["waiting"].append(request_id)
                continue
            inquiry, registration = made
            icn = await store.next_control_number(session, "interchange")
            text = render_270(inquiry, trading_partners_of(registration), ControlNumbers(icn, icn), created_at)
            await port.send(icn, text)
            sender = registration.interchange_sender.id
            await set_request(
                session, request_id, status="sent", note=None, interchange_control_number=icn, sender_id=sender,
                inquiry_text=text,
            )  # fmt: skip
            report["sent"].append(request_id)
    return report


async def _inquiry(
    session: AsyncSession, row: Any, profiles: BillingProfiles
) -> tuple[EligibilityInquiry, BillingProviderRegistered] | str:
    """The inquiry of ``row`` and the registration it is sent under, or what it waits for (ids only)."""
    tenant_id, payer_id = row["tenant_id"], row["payer_id"]
    record = await store.patient_record(session, tenant_id, row["patient_key"])
    if record is None:
        return "patient: no patient record yet"
    patient = PatientRecorded.model_validate(record)
    coverage = coverage_for(patient, payer_id)
    if coverage is None:
        return f"coverage: the patient record has no coverage for payer {payer_id}"
    parties = insured_parties(patient, coverage)
    if isinstance(parties, str):
        return parties
    registered = await store.active_billing_providers(session, tenant_id)
    if not registered:
        return "billing-profile: no billing provider is registered to this tenant"
    registration = BillingProviderRegistered.model_validate(registered[sorted(registered)[0]])
    payer = profiles.payers.get(payer_id)
    if payer is None:
        return f"payer-setup: payer {payer_id} has no X12 payer id"
    inquiry = EligibilityInquiry(
        row["request_id"],
        payer.to_domain(),
        billing_provider_of(registration),
        parties.subscriber,
        row["service_date"],
        parties.patient,
    )
    return inquiry, registration
