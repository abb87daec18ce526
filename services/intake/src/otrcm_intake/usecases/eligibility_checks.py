"""Ask the payer about a patient's coverage (issue 19 item 9; docs/adr/015): intake stages an
``EligibilityRequested`` per payer, and the claims service sends the 270 and reads the 271.

When: a patient recorded for the first time (each coverage, on the business date), a new plan of care
(each of the patient's coverages, before the plan's first visit), and on demand
(``POST /v1/patients/{patient_id}/eligibility-checks``). The request id is a digest of tenant, patient,
payer, date and reason, so asking again the same day for the same reason is the same request (idempotent).
No PHI leaves: the opaque patient key, the payer id, the date and the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.runtime_tables import kit
from otrcm_intake.adapters.store import patient_coverages
from otrcm_intake.domain.submissions import EligibilityCheckSubmission
from otrcm_intake.domain.violations import Violation
from otrcm_intake.usecases.accept import patient_key_for
from otrcm_intake.usecases.outcomes import Outcome, Recorded
from otrcm_shared.events import Envelope
from otrcm_shared.events.eligibility import EligibilityReason, EligibilityRequested
from otrcm_shared.runtime.outbox import Outgoing, stage
from otrcm_shared.topics import ELIGIBILITY_REQUESTED, TopicSpec, partition_key

PUBLISHES: tuple[TopicSpec, ...] = (ELIGIBILITY_REQUESTED,)  # the topics this module stages outbox rows for


def request_id_for(tenant_id: str, patient_key: str, payer_id: str, service_date: date, reason: str) -> str:
    text = f"{tenant_id}/{patient_key}/{payer_id}/{service_date.isoformat()}/{reason}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


async def stage_checks(
    session: AsyncSession,
    tenant_id: str,
    patient_key: str,
    payer_ids: Iterable[str],
    service_date: date,
    reason: EligibilityReason,
) -> list[str]:
    """Stage one request per payer; returns their request ids."""
    outgoing, ids = [], []
    for payer_id in sorted(set(payer_ids)):
        request_id = request_id_for(tenant_id, patient_key, payer_id, service_date, reason.value)
        payload = EligibilityRequested(
            request_id=request_id, patient_key=patient_key, payer_id=payer_id, service_date=service_date, reason=reason
        )
        event = Envelope.root(
            payload, tenant_id=tenant_id, subject=request_id, natural_key=f"eligibility/{request_id}", stage="intake"
        )
        outgoing.append(Outgoing(ELIGIBILITY_REQUESTED, partition_key(tenant_id, patient_key), event))
        ids.append(request_id)
    await stage(session, kit, outgoing)
    return ids


async def payers_of(session: AsyncSession, tenant_id: str, patient_id: str) -> list[str]:
    """The payers of the patient's latest record (none: the tenant never recorded the patient)."""
    rows = patient_coverages.c
    query = select(rows.payer_id).where(rows.tenant_id == tenant_id, rows.patient_id == patient_id)
    return list((await session.scalars(query)).all())


async def request_check(
    session: AsyncSession, tenant_id: str, patient_id: str, check: EligibilityCheckSubmission, today: date
) -> Recorded | None:
    """An on-demand check of one payer (or every payer of the patient); None when the patient is unknown."""
    payers = await payers_of(session, tenant_id, patient_id)
    if not payers:
        return None
    if check.payer_id is not None and check.payer_id not in payers:
        problem = Violation("payer_id", "coverage.payer", "the patient has no recorded coverage with this payer")
        return Recorded(Outcome.REJECTED, patient_id, [problem])
    patient_key = await patient_key_for(session, tenant_id, patient_id)
    chosen = [check.payer_id] if check.payer_id else payers
    service_date = check.date_of_service or today
    ids = await stage_checks(session, tenant_id, patient_key, chosen, service_date, EligibilityReason.ON_DEMAND)
    return Recorded(Outcome.ACCEPTED, ",".join(ids), [])
