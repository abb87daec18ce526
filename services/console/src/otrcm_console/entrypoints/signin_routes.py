"""Sign-in and sign-out. The sign-in form carries a CSRF token matched against a cookie of its own (there is no
session yet); a wrong name or password answers the same sentence either way; both outcomes are audited."""

from __future__ import annotations

import hmac
import re
import secrets

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from otrcm_console.adapters import accounts
from otrcm_console.adapters.accounts import SignedIn
from otrcm_console.entrypoints.web import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Forbidden,
    check_csrf,
    console_of,
    page,
    set_cookie,
    signed_in,
)

_SAFE_NEXT = re.compile(r"^/[A-Za-z0-9/_.?=&%-]*$")


def _next(target: str | None) -> str:
    """Only a path of this console (never another site) to go to after signing in."""
    return target if target and _SAFE_NEXT.match(target) and not target.startswith("//") else "/"


def signin_routes() -> APIRouter:
    router = APIRouter()

    def form(request: Request, status_code: int = 200, error: str | None = None) -> HTMLResponse:
        token = secrets.token_urlsafe(32)
        shown = page(
            request,
            "sign_in.html",
            None,
            status_code,
            signin_token=token,
            error=error,
            expired=request.query_params.get("expired") == "1",
            signed_out=request.query_params.get("signed_out") == "1",
            next=_next(request.query_params.get("next")),
        )
        set_cookie(shown, request, LOGIN_COOKIE, token, max_age=1800)
        return shown

    @router.get("/sign-in", response_class=HTMLResponse)
    async def sign_in_page(request: Request) -> HTMLResponse:
        return form(request)

    @router.post("/sign-in", response_model=None)
    async def sign_in(request: Request) -> HTMLResponse | RedirectResponse:
        console = console_of(request)
        sent = await request.form()
        cookie, token = request.cookies.get(LOGIN_COOKIE, ""), str(sent.get("csrf_token") or "")
        if not cookie or not token or not hmac.compare_digest(cookie, token):
            raise Forbidden("the sign-in form's CSRF token is missing or stale: reload the page")
        tenant, username = str(sent.get("tenant") or "").strip(), str(sent.get("username") or "").strip()
        password = str(sent.get("password") or "")
        async with console.db.transaction() as session:
            role = await accounts.check_password(session, tenant, username, password) if tenant and username else None
            if role is None:
                if tenant and username:
                    await accounts.audit(session, tenant[:64], username[:64], "sign_in_failed")
            else:
                token, _csrf = await accounts.open_session(session, tenant, username, role, console.now())
                await accounts.audit(session, tenant, username, "sign_in")
        if role is None:
            return form(request, 401, "That organisation, user name and password do not match a user.")
        response = RedirectResponse(_next(str(sent.get("next") or "")), status_code=303)
        set_cookie(response, request, SESSION_COOKIE, token)
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    @router.post("/sign-out")
    async def sign_out(request: Request, who: SignedIn = Depends(signed_in)) -> RedirectResponse:  # noqa: B008
        check_csrf(await request.form(), who)
        async with console_of(request).db.transaction() as session:
            await accounts.end_session(session, who.token_hash)
            await accounts.audit(session, who.tenant_id, who.username, "sign_out")
        response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return router
