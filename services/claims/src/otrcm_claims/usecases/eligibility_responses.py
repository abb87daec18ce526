"""Read a 271 (docs/adr/015): each level that echoes one of our trace numbers becomes an ``EligibilityChecked``.

The 271 is ours only when every trace number it echoes (TRN*2) names a request we sent and its ISA08 is the
sender that request went out as; otherwise nothing in it is applied (as for acknowledgments, ADR 008). The
facts, with the payer's member id (PHI), are kept in ``eligibility_responses``; the event carries the
status on the date asked about, the plan dates, whether the member id matches the coverage's, the therapy
amounts and AAA reject reasons: ids, dates, codes and amounts only.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.eligibility_store import remember_response, request_row, set_request
from otrcm_claims.adapters.x12.parse_271 import parse_271
from otrcm_claims.adapters.x12.reader import read_segments
from otrcm_claims.domain.claim_assembly import coverage_for
from otrcm_claims.domain.eligibility import CoverageFacts
from otrcm_claims.usecases.acknowledgments import IngestResult
from otrcm_shared.events import Envelope
from otrcm_shared.events.eligibility import BenefitAmount, CoverageStatus, EligibilityChecked
from otrcm_shared.events.patients import SELF, PatientRecorded
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import ELIGIBILITY_CHECKED, TopicSpec, partition_key

PUBLISHES: tuple[TopicSpec, ...] = (ELIGIBILITY_CHECKED,)  # the topics this module stages outbox rows for


async def ingest_271(session: AsyncSession, text: str, digest: str) -> IngestResult:
    result = IngestResult("271")
    receiver = next((segment.get(8).strip() for segment in read_segments(text) if segment.id == "ISA"), "")
    answered: list[tuple[CoverageFacts, Any]] = []
    for facts in parse_271(text):
        row = await request_row(session, facts.trace)
        if row is None or row["status"] not in ("sent", "answered"):
            result.not_ours.append(f"271 TRN02 {facts.trace} names no eligibility request we sent")
        elif row["sender_id"] != receiver:
            result.not_ours.append(f"271 ISA08 {receiver} is not the sender of request {facts.trace}")
        else:
            answered.append((facts, row))
    if not answered and not result.not_ours:
        result.not_ours.append("271 echoes no trace number (TRN*2) of ours")
    if result.not_ours:
        return result.refuse()
    for facts, row in answered:
        status = CoverageStatus(facts.status_on(row["service_date"]))
        tenant_id = row["tenant_id"]
        await remember_response(session, tenant_id, facts.trace, digest, status.value, _kept(facts))
        await set_request(session, facts.trace, status="answered")
        event = EligibilityChecked(
            request_id=facts.trace,
            patient_key=row["patient_key"],
            payer_id=row["payer_id"],
            service_date=row["service_date"],
            status=status,
            plan_begin=facts.plan_begin,
            plan_end=facts.plan_end,
            member_id_matches=await _member_id_matches(session, row, facts),
            therapy_amounts=tuple(
                BenefitAmount(
                    eligibility_code=benefit.eligibility_code,
                    service_types=benefit.service_types,
                    time_period=benefit.time_period,
                    amount=benefit.amount,
                    in_plan_network=benefit.in_plan_network,
                )
                for benefit in facts.therapy_amounts
                if benefit.amount is not None
            ),
            rejection_reasons=facts.rejections,
        )
        envelope = Envelope.root(
            event,
            tenant_id=tenant_id,
            subject=facts.trace,
            natural_key=f"eligibility/{facts.trace}/{digest}",
            stage="claims.eligibility",
        )
        result.outgoing.append(Outgoing(ELIGIBILITY_CHECKED, partition_key(tenant_id, row["patient_key"]), envelope))
        result.tenants.add(tenant_id)
        result.changes.append(f"eligibility {facts.trace}: {status.value}")
    return result


def _kept(facts: CoverageFacts) -> dict[str, Any]:
    kept = asdict(facts)
    for key in ("plan_begin", "plan_end"):
        kept[key] = kept[key].isoformat() if kept[key] else None
    for benefit in kept["benefits"]:
        benefit["amount"] = str(benefit["amount"]) if benefit["amount"] is not None else None
    return kept


async def _member_id_matches(session: AsyncSession, row: Any, facts: CoverageFacts) -> bool | None:
    """Whether the payer's member id is the one the coverage bills under (the subscriber's, for a dependent)."""
    record = await store.patient_record(session, row["tenant_id"], row["patient_key"])
    coverage = coverage_for(PatientRecorded.model_validate(record), row["payer_id"]) if record else None
    if coverage is None or facts.member_id is None:
        return None
    subscriber = coverage.subscriber
    on_record = coverage.member_id
    if coverage.relationship_to_subscriber != SELF and subscriber is not None and subscriber.member_id:
        on_record = subscriber.member_id
    return facts.member_id == on_record
