"""What each page shows, read from the intake API: an encounter (its status and reasons, its lines as last
accepted, its claims, its patient's plans of care and authorizations), a claim, the alerts. A record the API
answers 404 for (missing, or another tenant's) is None: the page answers 404 in turn."""

from __future__ import annotations

from typing import Any

from otrcm_console.adapters.api_client import IntakeApi

# Which fix releases which hold (the API's reason codes): the page puts that form first.
FIX_FOR_REASON = {
    "POC_": "certification",
    "KX_NEEDS_ATTESTATION": "attestation",
    "THRESHOLD": "prior-spend",
    "NCCI_PAIR_NOT_DISTINCT": "distinct-time-blocks",
    "AUTH_": "authorization",
}
HELD = frozenset({"held", "claim_held"})
FIXES = ("certification", "attestation", "distinct-time-blocks", "authorization", "prior-spend")


def fix_for(code: str) -> str | None:
    for prefix, fix in FIX_FOR_REASON.items():
        if code.startswith(prefix):
            return fix
    return None


async def encounter_view(api: IntakeApi, key: str, encounter_id: str) -> dict[str, Any] | None:
    status = await api.get(key, f"/v1/encounters/{encounter_id}")
    if status.status == 404:
        return None
    record = await api.get(key, f"/v1/encounters/{encounter_id}/record")
    claims = await api.get(key, f"/v1/encounters/{encounter_id}/claims")
    units = await api.get(key, f"/v1/encounters/{encounter_id}/units")
    encounter = record.body["encounter"] if record.ok else {}
    patient_id = encounter.get("patient_id")
    plans: list[dict[str, Any]] = []
    authorizations: list[dict[str, Any]] = []
    if patient_id:
        found = await api.get(key, "/v1/plans-of-care", {"patient_id": patient_id})
        plans = found.body.get("plans_of_care", []) if found.ok else []
        found = await api.get(key, "/v1/authorizations", {"patient_id": patient_id})
        authorizations = found.body.get("authorizations", []) if found.ok else []
    given = status.body.get("detail", {}).get("reasons", [])
    listed = [reason for reason in given if isinstance(reason, dict)]
    listed += [
        {"code": r.split(":", 1)[0], "message": r.split(":", 1)[-1].strip()} for r in given if isinstance(r, str)
    ]
    held = status.body.get("status") in HELD  # a claim's reasons once it left ("submitted in ...") are notes
    reasons, notes = (listed, []) if held else ([], [str(r.get("message") or r.get("code")) for r in listed])
    suggested = [fix for fix in (fix_for(str(reason.get("code", ""))) for reason in reasons) if fix]
    claim_list = claims.body.get("claims", []) if claims.ok else []
    return {
        "status": status.body,
        "reasons": reasons,
        "notes": notes,
        "units": units.body if units.ok else None,
        "units_of": {(line["line_number"], line["code"]): line for line in units.body["lines"]} if units.ok else {},
        "record": record.body if record.ok else None,
        "encounter": encounter,
        "claims": claim_list,
        "plans": plans,
        "authorizations": authorizations,
        "fixes": list(dict.fromkeys([*suggested, *FIXES])),
        "suggested": set(suggested),
        "timeline": timeline(status.body, claim_list),
    }


def timeline(status: dict[str, Any], claims: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """When the door accepted it, each claim's newest step, and where it stands now: oldest first."""
    steps = [(str(status.get("received_at", "")), "received")]
    steps += [(str(claim.get("updated_at", "")), f"claim {claim['claim_id']}: {claim['status']}") for claim in claims]
    steps.append((str(status.get("updated_at", "")), f"now {status.get('status')}"))
    return sorted(steps)


async def claim_view(api: IntakeApi, key: str, claim_id: str) -> dict[str, Any] | None:
    found = await api.get(key, f"/v1/claims/{claim_id}")
    return found.body if found.ok else None
