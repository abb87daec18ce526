"""The pages (GET): the worklist (home), an encounter, claims and a claim, alerts with the reference-data
coverage. Each asks the intake API with the tenant's key; a record the API does not show this tenant answers 404.
A page that shows a patient's record (an encounter, a claim) is written to the access audit."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from otrcm_console.adapters import accounts
from otrcm_console.adapters.accounts import SignedIn
from otrcm_console.adapters.api_client import IntakeApi
from otrcm_console.domain.worklist_filters import WorklistFilters
from otrcm_console.entrypoints.web import Console, console_of, page, signed_in
from otrcm_console.usecases.views import claim_view, encounter_view

_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
WHO = Depends(signed_in)
APPROVAL_NEEDED = "approval-needed"


KEY_FRESH_FOR = timedelta(seconds=60)  # a key linked anew (a rotation) is used within a minute


async def api_key(console: Console, tenant_id: str) -> str:
    """The tenant's API key, read from the console's table at most once a minute."""
    now = console.now()
    cached = console.keys.get(tenant_id)
    if cached is not None and now - cached[1] < KEY_FRESH_FOR:
        return cached[0]
    async with console.db.transaction() as session:
        key = await accounts.tenant_key(session, tenant_id)
    if key is None:
        raise LookupError(f"no API key is linked for tenant {tenant_id}: otrcm-console link-tenant")
    console.keys[tenant_id] = (key, now)
    return key


def not_found(request: Request, who: SignedIn, what: str) -> HTMLResponse:
    return page(request, "not_found.html", who, 404, what=what)


async def viewed(console: Console, who: SignedIn, kind: str, record_id: str) -> None:
    async with console.db.transaction() as session:
        await accounts.audit(session, who.tenant_id, who.username, "view", kind, record_id)


def page_routes() -> APIRouter:
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    async def worklist(request: Request, who: SignedIn = WHO) -> HTMLResponse:
        console = console_of(request)
        filters = WorklistFilters.read(dict(request.query_params))
        api: IntakeApi = console.api
        answer = await api.get(
            await api_key(console, who.tenant_id), "/v1/worklist", filters.api_params(console.settings.today())
        )
        body = answer.body if answer.ok else {"total": 0, "counts_by_reason": {}, "items": [], "next_after": None}
        return page(
            request,
            "worklist.html",
            who,
            200 if answer.ok else 422,
            worklist=body,
            filters=filters,
            errors=answer.errors,
            links=filters.links(),
        )

    @router.get("/encounters/{encounter_id}", response_class=HTMLResponse)
    async def encounter(request: Request, encounter_id: str, who: SignedIn = WHO) -> HTMLResponse:
        console = console_of(request)
        if not _ID.match(encounter_id):
            return not_found(request, who, "encounter")
        view = await encounter_view(console.api, await api_key(console, who.tenant_id), encounter_id)
        if view is None:
            return not_found(request, who, "encounter")
        await viewed(console, who, "encounter", encounter_id)
        done = request.query_params.get("done")
        return page(
            request,
            "encounter.html",
            who,
            view=view,
            encounter_id=encounter_id,
            errors={},
            form={},
            done=done if done in view["fixes"] else None,
        )

    @router.get("/claims", response_class=HTMLResponse, response_model=None)
    async def claims(request: Request, who: SignedIn = WHO) -> HTMLResponse | RedirectResponse:
        console = console_of(request)
        wanted = (request.query_params.get("claim_id") or "").strip()
        if wanted:
            return RedirectResponse(f"/claims/{wanted}" if _ID.match(wanted) else "/claims", status_code=303)
        key = await api_key(console, who.tenant_id)
        approvals = await console.api.get(key, "/v1/worklist", {"reason": APPROVAL_NEEDED, "limit": 100})
        held = await console.api.get(key, "/v1/worklist", {"limit": 100})
        claim_held = (
            [item for item in held.body.get("items", []) if item.get("status") == "claim_held"] if held.ok else []
        )
        return page(
            request,
            "claims.html",
            who,
            approvals=approvals.body.get("items", []) if approvals.ok else [],
            claim_held=claim_held,
        )

    @router.get("/claims/{claim_id}", response_class=HTMLResponse)
    async def claim(request: Request, claim_id: str, who: SignedIn = WHO) -> HTMLResponse:
        console = console_of(request)
        if not _ID.match(claim_id):
            return not_found(request, who, "claim")
        view = await claim_view(console.api, await api_key(console, who.tenant_id), claim_id)
        if view is None:
            return not_found(request, who, "claim")
        await viewed(console, who, "claim", claim_id)
        awaiting = view["status"] == "held" and any(r.startswith(APPROVAL_NEEDED) for r in view.get("reasons", []))
        return page(request, "claim.html", who, claim=view, awaiting_approval=awaiting, errors=[])

    @router.get("/alerts", response_class=HTMLResponse)
    async def alerts(request: Request, who: SignedIn = WHO) -> HTMLResponse:
        console = console_of(request)
        key = await api_key(console, who.tenant_id)
        found = await console.api.get(key, "/v1/alerts", {"open": True, "limit": 500})
        items = found.body.get("items", []) if found.ok else []
        coverage = [alert for alert in items if alert.get("dataset")]
        return page(request, "alerts.html", who, alerts=[a for a in items if not a.get("dataset")], coverage=coverage)

    return router
