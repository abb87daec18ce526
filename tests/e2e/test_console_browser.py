"""The console in a real headless Chromium over the whole pipeline (real broker and PostgreSQL): a biller signs
in, opens the worklist, opens an encounter held POC_MISSING (its patient's plan of care was never entered),
records the plan and its certification (a certifier the rules refuse first: the API's error shows inline), sees
the hold released and the encounter billed, opens its claim, the claims and the alerts, and signs out, after
which the session no longer opens a page. Every page is checked with axe-core (no serious or critical
violation) and photographed under var/console-screenshots/ (copies in docs/console/)."""

from __future__ import annotations

import asyncio
import base64
import os
import time
from uuid import uuid4

import pytest

from tests.e2e.conftest import PHYSICIAN_NPI, Pipeline
from tests.support.console import AXE, CHROMEDRIVER, CHROMIUM, PASSWORD, ROOT, Browser, console_with, enrol, served
from tests.support.intake_samples import encounter, fresh_npi, patient

pytestmark = pytest.mark.e2e
BROWSER_READY = CHROMIUM.exists() and CHROMEDRIVER.exists() and AXE.exists()
SHOTS = ROOT / "var" / "console-screenshots"
BILLED = ("ready", "submitted", "accepted", "paid", "partially_paid")


def _script(url: str, tenant: str, encounter_id: str) -> dict[str, list[str]]:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    SHOTS.mkdir(parents=True, exist_ok=True)
    browser = Browser.start()
    driver = browser.driver
    problems: dict[str, list[str]] = {}

    def look(name: str) -> None:
        problems[name] = browser.axe_problems()
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]  # the whole page, not the window
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 4000), "scale": 1}
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                                 "clip": clip})  # fmt: skip
        (SHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))

    def text(css: str) -> str:
        """The element's text once the page has settled: a click that navigates can leave the element found
        a moment ago stale (the page it belonged to is gone), so look it up again for a few seconds."""
        for _ in range(50):
            try:
                return str(driver.find_element(By.CSS_SELECTOR, css).text)
            except StaleElementReferenceException:
                time.sleep(0.1)
        return str(driver.find_element(By.CSS_SELECTOR, css).text)

    def fill(field_id: str, value: str) -> None:
        field = driver.find_element(By.ID, field_id)
        field.clear()
        field.send_keys(value)

    try:
        driver.get(f"{url}/")
        assert "/sign-in" in driver.current_url, "the worklist needs a session"
        look("sign-in")
        fill("tenant", tenant)
        fill("username", "bea")
        fill("password", PASSWORD)
        driver.find_element(By.ID, "sign-in").click()

        for _ in range(120):  # the encounter reaches the worklist once poc has held its day
            if encounter_id in driver.page_source:
                break
            time.sleep(0.5)
            driver.get(f"{url}/")
        assert "POC_MISSING" in text(".counts"), text("main")
        look("worklist")

        driver.find_element(By.LINK_TEXT, encounter_id).click()
        assert text("#status") == "held"
        assert text("#units-explanation"), "the units and how they were counted"
        assert "POC_MISSING" in text("#hold-POC_MISSING")
        look("encounter-held")

        form = driver.find_element(By.ID, "form-certification")
        Select(driver.find_element(By.ID, "cert-plan")).select_by_value("new")
        for field_id, value in (("new-plan-id", "poc-browser"), ("new-plan-days", "60"), ("cert-npi", PHYSICIAN_NPI),
                                ("cert-cred", "DC")):  # fmt: skip
            fill(field_id, value)
        for field_id, value in (("new-plan-eval", "2026-10-01"), ("cert-date", "2026-10-02")):
            driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, field_id), value)
        form.submit()
        refused = text("#certification-errors")
        assert "certifier_credential" in refused, refused
        assert "certifier.credential_allowed" in refused, refused
        look("encounter-refused-fix")

        fill("cert-cred", "MD")
        driver.find_element(By.ID, "form-certification").submit()
        assert "Recorded" in text("#done")
        for _ in range(240):
            if text("#status") in BILLED and "claim" in text(".lede"):
                break
            time.sleep(0.5)
            driver.refresh()
        assert text("#status") in BILLED, text("main")
        assert "Nothing holds this encounter" in text("#no-holds")
        look("encounter-billed")

        driver.find_element(By.CSS_SELECTOR, ".lede a").click()
        assert text("#claim-status") in ("built", "validated", "submitted", "accepted", "paid"), text("main")
        look("claim")
        driver.get(f"{url}/claims")
        look("claims")
        driver.get(f"{url}/alerts")
        look("alerts")
        driver.get(f"{url}/")
        assert encounter_id not in driver.page_source, "released: off the worklist"

        driver.find_element(By.ID, "sign-out").click()
        assert "You are signed out" in text("main")
        driver.get(f"{url}/encounters/{encounter_id}")
        assert "/sign-in" in driver.current_url, "the session ended with the sign-out"
    finally:
        browser.quit()
    return problems


async def test_a_biller_releases_a_held_encounter_in_the_browser(pipeline: Pipeline, postgres_base_url: str) -> None:
    if not BROWSER_READY:  # `make test` installs them first (`make browser`); CI must never skip this
        missing = "chromium, chromium-driver or axe-core is missing: make browser"
        pytest.fail(missing) if os.environ.get("CI") else pytest.skip(missing)
    tenant, npi = f"tenant-{uuid4().hex[:8]}", fresh_npi()
    headers = await pipeline.onboard(tenant, npi)
    assert (await pipeline.client.post("/v1/patients", json=patient("mrn-2002"), headers=headers)).status_code == 202
    body = encounter("brw-1", patient_id="mrn-2002", date_of_service="2026-10-05", billing_provider_npi=npi)
    assert (await pipeline.client.post("/v1/encounters", json=body, headers=headers)).status_code == 202
    console = console_with(postgres_base_url, pipeline.client)
    await enrol(console, tenant, headers["X-API-Key"], ("bea", "biller"))
    async with served(console) as url:
        problems = await asyncio.to_thread(_script, url, tenant, "brw-1")
    await console.db.dispose()
    assert {page: found for page, found in problems.items() if found} == {}
    shots = await asyncio.to_thread(lambda: sorted(path.stem for path in SHOTS.glob("*.png")))
    assert sorted(problems) == shots
