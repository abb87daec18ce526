"""The fix actions a biller takes from an encounter's page, each one request to the intake API: the answer's
errors (a 422 names the field, the rule and what to do) go back to the page as they are.

- certification or recertification of the plan of care: ``POST /v1/plans-of-care/{plan_id}/events``
- the medical-necessity attestation, or distinct time blocks (NCCI): a correction of the encounter as last
  accepted with that attestation set, ``POST /v1/encounters/{id}/corrections``
- an authorization: ``POST /v1/authorizations``; prior therapy spend: ``POST /v1/patients/{id}/therapy-spend``
- a correction claim held for approval: ``POST /v1/claims/{id}/approve``
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otrcm_console.adapters.api_client import Answer, IntakeApi

ATTESTATIONS = {"attestation": "medical_necessity_documented", "distinct-time-blocks": "distinct_time_blocks"}


def _number(value: str | None) -> int | str | None:
    """A whole number as the API takes it; anything else goes as typed, so the API names what is wrong."""
    if value is None or value.strip() == "":
        return None
    return int(value) if value.strip().isdigit() else value


def _given(form: Mapping[str, str], *names: str) -> dict[str, Any]:
    return {name: form[name].strip() for name in names if (form.get(name) or "").strip()}


NEW_PLAN = "new"


async def certify(api: IntakeApi, key: str, patient_id: str, form: Mapping[str, str]) -> Answer:
    """The certification of the plan chosen, or of a plan of care recorded first (a plan signed but never entered:
    the day waits as ``POC_MISSING``), from its id, evaluation date and days."""
    plan_id = (form.get("plan_id") or "").strip()
    if plan_id == NEW_PLAN:
        plan: dict[str, Any] = {"patient_id": patient_id, **_given(form, "evaluation_date")}
        plan["plan_id"] = (form.get("new_plan_id") or "").strip()
        if (days := _number(form.get("plan_duration_days"))) is not None:
            plan["duration_days"] = days
        recorded = await api.post(key, "/v1/plans-of-care", plan)
        if not recorded.ok:
            return recorded
        plan_id = plan["plan_id"]
    body: dict[str, Any] = {"kind": form.get("kind") or "certified"}
    body.update(_given(form, "event_date", "certifier_npi", "certifier_credential"))
    if (days := _number(form.get("duration_days"))) is not None:
        body["duration_days"] = days
    return await api.post(key, f"/v1/plans-of-care/{plan_id}/events", body)


async def attest(api: IntakeApi, key: str, encounter_id: str, which: str, by: str, form: Mapping[str, str]) -> Answer:
    """The encounter as last accepted, corrected with the attestation ``which`` set (a new revision)."""
    record = await api.get(key, f"/v1/encounters/{encounter_id}/record")
    if not record.ok:
        return record
    encounter = dict(record.body["encounter"])
    encounter["attestations"] = {**encounter.get("attestations", {}), ATTESTATIONS[which]: True}
    reason = (form.get("reason") or "").strip() or f"{ATTESTATIONS[which].replace('_', ' ')} on file"
    return await api.post(
        key,
        f"/v1/encounters/{encounter_id}/corrections",
        {"corrected_by": by, "reason": reason, "encounter": encounter},
    )


async def authorize(api: IntakeApi, key: str, form: Mapping[str, str]) -> Answer:
    body: dict[str, Any] = _given(form, "authorization_id", "patient_id", "payer_id", "unit", "start_date", "end_date")
    if (authorized := _number(form.get("authorized"))) is not None:
        body["authorized"] = authorized
    return await api.post(key, "/v1/authorizations", body)


async def record_spend(api: IntakeApi, key: str, patient_id: str, form: Mapping[str, str]) -> Answer:
    body: dict[str, Any] = _given(form, "discipline", "amount", "as_of")
    body["source"] = form.get("source") or "manual_entry"
    if (year := _number(form.get("year"))) is not None:
        body["year"] = year
    return await api.post(key, f"/v1/patients/{patient_id}/therapy-spend", body)


async def approve(api: IntakeApi, key: str, claim_id: str) -> Answer:
    return await api.post(key, f"/v1/claims/{claim_id}/approve", {})
