"""Who is calling, and may they: every route depends on ``caller_with(scope)`` (or ``tenant_with(scope)``).

The key comes in ``X-API-Key`` or ``Authorization: Bearer``; both are declared as security schemes, so the
OpenAPI document shows them on every route. Unknown, revoked and expired keys answer 401; a key lacking the
route's scope answers 403 naming the scope. Expiry is judged on the business date the API was built with
(``request.app.state.today``), never the wall clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from functools import cache

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from otrcm_intake.adapters.keys import Caller, caller_of
from otrcm_intake.domain.key_terms import Refusal, Scope, refusal
from otrcm_shared.runtime.service import ServiceRuntime

API_KEY_HEADER = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    description="An API key of your organisation (`otrcm-intake create-key`); its scopes decide the routes it may use.",
    auto_error=False,
)
BEARER = HTTPBearer(scheme_name="BearerApiKey", description="The same API key as a bearer token.", auto_error=False)


class NotAuthenticated(Exception):
    """No key, or one that is unknown or revoked."""


class Refused(Exception):
    """A live key refused: it expired (401) or lacks the route's scope (403)."""

    def __init__(self, why: Refusal) -> None:
        super().__init__(why.violation.rule)
        self.why = why


@cache  # one dependency per scope, so FastAPI resolves it once per request
def caller_with(scope: Scope) -> Callable[..., Awaitable[Caller]]:
    """A dependency: the caller of a request whose key holds ``scope`` and has not expired. The scope is named
    in the route's security requirement, so the OpenAPI document says which scope each route needs."""
    in_header = Security(API_KEY_HEADER, scopes=[scope.value])
    as_bearer = Security(BEARER, scopes=[scope.value])

    async def authorize(
        request: Request,
        api_key: str | None = in_header,
        bearer: HTTPAuthorizationCredentials | None = as_bearer,
    ) -> Caller:
        key = api_key or (bearer.credentials.strip() if bearer else None)
        if not key:
            raise NotAuthenticated
        runtime: ServiceRuntime = request.app.state.runtime
        async with runtime.db.transaction() as session:
            caller = await caller_of(session, key)
        if caller is None:
            raise NotAuthenticated
        today: Callable[[], date] = request.app.state.today
        why = refusal(caller.terms, scope, today())
        if why is not None:
            raise Refused(why)
        return caller

    authorize.__name__ = f"caller_with_{scope.value}"
    return authorize


@cache
def tenant_with(scope: Scope) -> Callable[..., Awaitable[str]]:
    """A dependency: the tenant of a caller whose key holds ``scope``."""

    authorized = Depends(caller_with(scope))

    async def tenant(caller: Caller = authorized) -> str:
        return caller.tenant_id

    tenant.__name__ = f"tenant_with_{scope.value}"
    return tenant
