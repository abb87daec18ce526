"""What every page shares: the console's state (settings, database, API client, clock, templates), the signed-in
user of a request (its session cookie, checked and renewed; expired after inactivity), the CSRF check of every
form, the cookies' flags, and the security headers of every answer."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from otrcm_console.adapters import accounts
from otrcm_console.adapters.accounts import SignedIn
from otrcm_console.adapters.api_client import IntakeApi
from otrcm_console.domain.roles import Permission, may
from otrcm_console.domain.sessions import expired
from otrcm_console.settings import ConsoleSettings
from otrcm_shared.runtime.db import Database

SESSION_COOKIE = "otrcm_console"
TOUCH_EVERY = timedelta(seconds=20)  # how stale a session's last request may be recorded (the idle limit is minutes)
LOGIN_COOKIE = "otrcm_console_signin"  # the sign-in form's CSRF token (double submit): there is no session yet
HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # pages show PHI: never kept by the browser or a proxy
}


@dataclass
class Console:
    settings: ConsoleSettings
    db: Database
    api: IntakeApi
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    keys: dict[str, tuple[str, datetime]] = field(default_factory=dict)  # tenant -> (API key, read at)

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.settings.console_idle_minutes)


class SignInRequired(Exception):
    def __init__(self, expired: bool = False) -> None:
        super().__init__("sign in")
        self.expired = expired


class Forbidden(Exception):
    """A form without its CSRF token, or a user whose role does not allow the action."""


def console_of(request: Request) -> Console:
    found: Console = request.app.state.console
    return found


def over_tls(request: Request, settings: ConsoleSettings) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return settings.console_secure_cookies or request.url.scheme == "https" or forwarded == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    secure = over_tls(request, console_of(request).settings)
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/")


async def signed_in(request: Request) -> SignedIn:
    """The request's user; SignInRequired without a live session (an idle one is ended here)."""
    console = console_of(request)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired
    now = console.now()
    async with console.db.transaction() as session:
        who = await accounts.session_of(session, token)
        over = who is not None and expired(who.last_seen, now, console.idle)
        if who is not None and over:  # ended and audited here; raised once the transaction has committed
            await accounts.end_session(session, who.token_hash)
            await accounts.audit(session, who.tenant_id, who.username, "session_expired")
        elif who is not None and now - who.last_seen >= TOUCH_EVERY:  # not a write on every click
            await accounts.touch(session, who.token_hash, now)
    if who is None or over:
        raise SignInRequired(expired=over)
    return who


def check_csrf(form: Any, who: SignedIn, permission: Permission = Permission.READ) -> None:
    sent = str(form.get("csrf_token") or "")
    if not sent or not hmac.compare_digest(sent, who.csrf_token):
        raise Forbidden("the form's CSRF token is missing or not this session's: reload the page and try again")
    if not may(who.role, permission):
        raise Forbidden(f"a {who.role} may not do this")


def page(request: Request, template: str, who: SignedIn | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.update(
        who=who,
        csrf_token=who.csrf_token if who else "",
        may=lambda p: who is not None and may(who.role, p),
        Permission=Permission,
        trace_url=console_of(request).settings.console_trace_url,
        query=lambda base, **extra: urlencode({**base, **extra}),
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def to_sign_in(request: Request, expired_session: bool) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    query = f"?next={quote(target, safe='')}" if request.method == "GET" and target != "/" else ""
    if expired_session:
        query += ("&" if query else "?") + "expired=1"
    response = RedirectResponse(f"/sign-in{query}", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
