"""The fix actions (POST, each behind the session and its CSRF token): a success goes back to the page it came
from (303) with a line saying what was recorded; a refusal shows the API's errors inline, beside the form, with
what was typed kept."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from otrcm_console.adapters.accounts import SignedIn
from otrcm_console.domain.roles import Permission
from otrcm_console.entrypoints.pages import WHO, api_key, not_found
from otrcm_console.entrypoints.web import check_csrf, console_of, page
from otrcm_console.usecases import fixes
from otrcm_console.usecases.views import FIXES, claim_view, encounter_view

_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def action_routes() -> APIRouter:
    router = APIRouter()

    @router.post("/encounters/{encounter_id}/fixes/{fix}", response_model=None)
    async def fix_encounter(
        request: Request, encounter_id: str, fix: str, who: SignedIn = WHO
    ) -> HTMLResponse | RedirectResponse:
        form = {name: str(value) for name, value in (await request.form()).items()}
        check_csrf(form, who, Permission.FIX)
        console = console_of(request)
        if not _ID.match(encounter_id) or fix not in FIXES:
            return not_found(request, who, "encounter")
        key = await api_key(console, who.tenant_id)
        view = await encounter_view(console.api, key, encounter_id)
        if view is None:
            return not_found(request, who, "encounter")
        patient_id = str(view["encounter"].get("patient_id") or "")
        if fix == "certification":
            plan_id = form.get("plan_id", "")
            if plan_id != fixes.NEW_PLAN and not _ID.match(plan_id):
                chosen = {"path": "plan_id", "rule": "plan.exists", "message": "choose the plan of care to certify"}
                return _refused(request, who, view, encounter_id, fix, form, [chosen])
            answer = await fixes.certify(console.api, key, patient_id, form)
        elif fix in fixes.ATTESTATIONS:
            answer = await fixes.attest(console.api, key, encounter_id, fix, who.username, form)
        elif fix == "authorization":
            answer = await fixes.authorize(console.api, key, {**form, "patient_id": patient_id})
        else:
            answer = await fixes.record_spend(console.api, key, patient_id, form)
        if not answer.ok:
            return _refused(request, who, view, encounter_id, fix, form, answer.errors)
        return RedirectResponse(f"/encounters/{encounter_id}?done={fix}", status_code=303)

    @router.post("/claims/{claim_id}/approve", response_model=None)
    async def approve(request: Request, claim_id: str, who: SignedIn = WHO) -> HTMLResponse | RedirectResponse:
        check_csrf(await request.form(), who, Permission.APPROVE)
        console = console_of(request)
        if not _ID.match(claim_id):
            return not_found(request, who, "claim")
        key = await api_key(console, who.tenant_id)
        answer = await fixes.approve(console.api, key, claim_id)
        if answer.status == 404:
            return not_found(request, who, "claim")
        if not answer.ok:
            view = await claim_view(console.api, key, claim_id)
            return page(request, "claim.html", who, 422, claim=view, awaiting_approval=True, errors=answer.errors)
        return RedirectResponse(f"/claims/{claim_id}", status_code=303)

    return router


def _refused(
    request: Request,
    who: SignedIn,
    view: dict[str, Any],
    encounter_id: str,
    fix: str,
    form: dict[str, str],
    errors: list[dict[str, Any]],
) -> HTMLResponse:
    form.pop("csrf_token", None)
    return page(
        request,
        "encounter.html",
        who,
        422,
        view=view,
        encounter_id=encounter_id,
        errors={fix: errors},
        form={fix: form},
        done=None,
    )
