"""The console's guards, over the real front door and status service: no page or action without a session,
every form's CSRF token checked, another tenant's record answered 404 as a missing one, a session ended after
inactivity and by signing out, the cookies' flags, roles, and the access audit of sign-ins and record views."""

from __future__ import annotations

from contextlib import aclosing
from datetime import timedelta

import pytest
from fastapi.routing import APIRoute

from otrcm_console.adapters import accounts
from tests.integration.console.conftest import Site, csrf_of

pytestmark = pytest.mark.integration
OPEN = {"/sign-in"}  # the only route answered without a session


def _routes(site: Site) -> list[tuple[str, str]]:
    """Every page and action of the console as (method, a concrete path)."""
    found, routes = [], list(site.app.routes)  # type: ignore[attr-defined]
    while routes:
        route = routes.pop(0)
        included = getattr(route, "original_router", None)  # FastAPI keeps an included router whole
        routes += list(included.routes) if included is not None else []
        if isinstance(route, APIRoute) and route.path not in OPEN:
            path = route.path.replace("{encounter_id}", "enc-x").replace("{claim_id}", "clm-x")
            found += [(method, path.replace("{fix}", "certification")) for method in sorted(route.methods)]
    return found


async def test_no_page_or_action_is_reachable_without_a_session(site: Site) -> None:
    routes = _routes(site)
    assert {("GET", "/"), ("GET", "/encounters/enc-x"), ("POST", "/encounters/enc-x/fixes/certification"),
            ("POST", "/claims/clm-x/approve"), ("POST", "/sign-out"), ("GET", "/alerts")} <= set(routes)  # fmt: skip
    async with site.browser() as anonymous:
        for method, path in routes:
            answer = await anonymous.request(method, path, data={"csrf_token": "x"})
            assert answer.status_code == 303, (method, path, answer.status_code)
            assert answer.headers["location"].startswith("/sign-in"), (method, path)
        anonymous.cookies.set("otrcm_console", "not-a-session-anyone-was-given")
        assert (await anonymous.get("/")).headers["location"].startswith("/sign-in"), "a forged session opens nothing"


async def test_every_form_needs_its_sessions_csrf_token(site: Site) -> None:
    tenant, _ = await site.tenant_with_encounter("csrf-1", ("ada", "admin"))
    client, token = await site.signed_in(tenant, "ada")
    async with aclosing(client):
        page = await client.get("/encounters/csrf-1")
        assert page.status_code == 200, page.text
        forms = page.text.count('method="post"')
        assert forms >= 6
        assert page.text.count('name="csrf_token"') == forms, "every form carries the token"
        posts = [(method, path) for method, path in _routes(site) if method == "POST"]
        for _, path in posts:
            for sent in ({}, {"csrf_token": "forged"}):
                answer = await client.post(path.replace("enc-x", "csrf-1"), data=sent)
                assert answer.status_code == 403, (path, sent, answer.status_code)
        assert (await client.get("/")).status_code == 200, "still signed in: the refused posts changed nothing"
        signed_out = await client.post("/sign-out", data={"csrf_token": token})
        assert signed_out.status_code == 303
    async with site.browser() as fresh:
        await fresh.get("/sign-in")
        refused = await fresh.post("/sign-in", data={"tenant": tenant, "username": "ada", "password": "x"})
        assert refused.status_code == 403, "the sign-in form has its own token"


async def test_another_tenants_records_answer_404_as_missing_ones(site: Site) -> None:
    tenant_a, keys_a = await site.tenant_with_encounter("iso-a")
    tenant_b, keys_b = await site.tenant_with_encounter("iso-b")
    record = await site.door.client.get("/v1/encounters/iso-a/record", headers=keys_a)
    assert record.status_code == 200, record.text
    assert record.json()["encounter"]["patient_id"] == "mrn-1001"
    assert [line["minutes"] for line in record.json()["encounter"]["lines"]] == [25, 15]
    theirs = await site.door.client.get("/v1/encounters/iso-a/record", headers=keys_b)
    missing = await site.door.client.get("/v1/encounters/nobody/record", headers=keys_b)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json(), "the API's new read answers another tenant's id as a missing one"
    not_yet = await site.door.client.get("/v1/encounters/iso-a/units", headers=keys_a)
    assert not_yet.status_code == 200, not_yet.text
    assert (not_yet.json()["lines"], not_yet.json()["explanation"]) == ([], None), "no units service ran here"
    assert (await site.door.client.get("/v1/encounters/iso-a/units", headers=keys_b)).status_code == 404
    client, token = await site.signed_in(tenant_b, "bea")
    async with aclosing(client):
        assert (await client.get("/encounters/iso-b")).status_code == 200
        theirs, missing = await client.get("/encounters/iso-a"), await client.get("/encounters/no-such")
        assert theirs.status_code == missing.status_code == 404
        assert theirs.text.replace("iso-a", "X") == missing.text.replace("no-such", "X")
        fix = await client.post("/encounters/iso-a/fixes/attestation", data={"csrf_token": token})
        assert fix.status_code == 404, "a fix to another tenant's encounter is not even tried"
        assert (await client.get("/claims/CLM-OF-NOBODY")).status_code == 404
    assert tenant_a != tenant_b


async def test_a_session_ends_after_inactivity_and_activity_keeps_it(site: Site) -> None:
    tenant, _ = await site.tenant_with_encounter("idle-1")
    client, _ = await site.signed_in(tenant, "bea")
    real_now, idle = site.console.now, site.console.idle
    started = real_now()
    async with aclosing(client):
        site.console.now = lambda: started + idle - timedelta(minutes=1)
        assert (await client.get("/")).status_code == 200, "active within the limit: renewed"
        site.console.now = lambda: started + 2 * idle - timedelta(minutes=2)
        assert (await client.get("/")).status_code == 200, "the limit counts from the last request"
        site.console.now = lambda: started + 3 * idle
        expired = await client.get("/encounters/idle-1")
        assert expired.status_code == 303
        assert expired.headers["location"].startswith("/sign-in?next=")
        assert "expired=1" in expired.headers["location"]
        site.console.now = real_now
        assert (await client.get("/")).status_code == 303, "an expired session is gone, not paused"
    async with site.console.db.transaction() as session:
        rows = await accounts.audit_since(session, tenant, started.date())
    assert [row["action"] for row in rows if row["username"] == "bea"] == ["sign_in", "session_expired"]


async def test_cookies_roles_and_the_access_audit(site: Site) -> None:
    tenant, _ = await site.tenant_with_encounter("audit-1", ("bea", "biller"), ("sam", "supervisor"))
    async with site.browser() as browser:
        token = csrf_of((await browser.get("/sign-in")).text)
        wrong = await browser.post("/sign-in", data={"csrf_token": token, "tenant": tenant, "username": "bea",
                                                     "password": "not the password"})  # fmt: skip
        nobody = await browser.post("/sign-in", data={"csrf_token": csrf_of(wrong.text), "tenant": tenant,
                                                      "username": "nobody", "password": "x"})  # fmt: skip
        assert wrong.status_code == nobody.status_code == 401
        assert "do not match a user" in wrong.text
        assert "do not match a user" in nobody.text
    client, _ = await site.signed_in(tenant, "bea", https=True)
    async with aclosing(client):
        page = await client.get("/encounters/audit-1")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        refused = await client.post("/claims/CLM-1/approve", data={"csrf_token": csrf_of(page.text)})
        assert refused.status_code == 403, "a biller does not approve corrections"
    async with site.browser(https=True) as browser:
        token = csrf_of((await browser.get("/sign-in")).text)
        signed = await browser.post("/sign-in", data={"csrf_token": token, "tenant": tenant, "username": "sam",
                                                      "password": "correct horse battery staple"})  # fmt: skip
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=strict" in cookie
        assert "secure" in cookie
    async with site.browser() as plain:
        token = csrf_of((await plain.get("/sign-in", headers={"x-forwarded-proto": "https"})).text)
        assert (
            "secure"
            in (await plain.get("/sign-in", headers={"x-forwarded-proto": "https"})).headers["set-cookie"].lower()
        )
    async with site.console.db.transaction() as session:
        rows = await accounts.audit_since(session, tenant, site.console.now().date())
    assert ("bea", "view", "encounter", "audit-1") in {(r["username"], r["action"], r["resource_kind"],
                                                        r["resource_id"]) for r in rows}  # fmt: skip
    assert [r["action"] for r in rows if r["username"] == "bea"][:3] == ["sign_in_failed", "sign_in", "view"]
