"""The console's web app: pages and actions behind a session, the sign-in, static files, security headers on
every answer, and the errors as pages (no session: to the sign-in; a bad CSRF token or a role that may not:
403; the API down: 503)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from otrcm_console.adapters.api_client import ApiUnavailable, IntakeApi
from otrcm_console.adapters.store import metadata
from otrcm_console.entrypoints.actions import action_routes
from otrcm_console.entrypoints.pages import page_routes
from otrcm_console.entrypoints.signin_routes import signin_routes
from otrcm_console.entrypoints.web import (
    HERE,
    SECURITY_HEADERS,
    Console,
    Forbidden,
    SignInRequired,
    page,
    to_sign_in,
)
from otrcm_console.settings import ConsoleSettings
from otrcm_shared.runtime.db import Database


def console_for(settings: ConsoleSettings, api: IntakeApi | None = None) -> Console:
    db = Database(settings.database_url_for("console"), schema=settings.schema_for("console"))
    return Console(settings, db, api or IntakeApi(settings.console_api_url))


def create_app(console: Console) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await console.db.create_all(metadata)
        yield

    app = FastAPI(title="otrcm console", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.console = console

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, error: SignInRequired) -> RedirectResponse:
        return to_sign_in(request, error.expired)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> HTMLResponse:
        return page(request, "problem.html", None, 403, title="Not allowed", message=str(error))

    @app.exception_handler(ApiUnavailable)
    async def api_down(request: Request, _error: ApiUnavailable) -> HTMLResponse:
        message = "The billing API does not answer right now. Try again in a moment."
        return page(request, "problem.html", None, 503, title="Try again shortly", message=message)

    @app.exception_handler(LookupError)
    async def not_linked(request: Request, error: LookupError) -> HTMLResponse:
        return page(request, "problem.html", None, 503, title="Not set up", message=str(error))

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(signin_routes())
    app.include_router(page_routes())
    app.include_router(action_routes())
    return app
