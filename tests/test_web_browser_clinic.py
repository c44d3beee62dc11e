"""Issue 13 in a real browser (Debian chromium, as tests/browser_helpers.py launches it): no
horizontal overflow at a phone's 390 px, the skip link is the first tab stop and moves focus to
the content, and the walk a clinic does: attach a VCF on the patient page, read the report with
its on-label options, record a decision, retract the result, revoke a token (the API answers
401), deactivate a user (their open session fails)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from browser_helpers import ARTIFACTS, browser, browser_login, server  # noqa: F401  (fixtures)
from web_helpers import PASSWORD, YVMA_VCF

PHONE = {"width": 390, "height": 844}


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _context(browser, server, viewport):
    ctx = browser.new_context(base_url=server, viewport=viewport)
    return ctx, ctx.new_page()


def test_no_horizontal_overflow_at_390px_and_skip_link(browser, server):
    ctx, page = _context(browser, server, PHONE)
    try:
        browser_login(page, "admin")
        for url in ("/patients", "/worklists", "/worklists/advanced_without_ngs", "/patients/EX-001", "/account",
                    "/admin/users", "/upload"):
            page.goto(url)
            assert _overflow(page) <= 0, (url, _overflow(page))
        page.screenshot(path=str(ARTIFACTS / "web-13-patients-390.png"), full_page=False)
        page.goto("/patients")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip"
        assert page.locator("a.skip").is_visible()                    # shown when focused
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
    finally:
        ctx.close()


def _api_status(server: str, token: str) -> int:
    req = urllib.request.Request(server + "/api/v1/patients", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_clinic_walk(browser, server):
    ctx, page = _context(browser, server, {"width": 1280, "height": 900})
    leaver_ctx, leaver = _context(browser, server, {"width": 1280, "height": 900})
    try:
        browser_login(page, "admin")
        # a user who will leave, logged in in another browser
        page.goto("/admin/users")
        page.fill("#new-username", "walk-leaver")
        page.fill("#new-password", PASSWORD)
        page.select_option("#role", "clinician")
        page.click("form[action='/admin/users'] button[type=submit]")
        page.wait_for_selector("text=user created")
        browser_login(leaver, "walk-leaver")
        # the patient: clinical data, then a VCF attached on the patient page
        page.goto("/patients/EX-005")
        page.select_option("#c-region", "US")
        page.check("#c-prior-platinum_chemotherapy")
        page.select_option("#c-brain", "no")
        page.click("form[action='/patients/EX-005/clinical'] button[type=submit]")
        page.wait_for_selector("text=clinical data saved")
        page.set_input_files("#result-file", str(YVMA_VCF))
        page.click("form[action='/patients/EX-005/results'] button[type=submit]")
        page.wait_for_selector("text=result attached")
        options = page.locator("table.options").inner_text()
        assert "trastuzumab deruxtecan" in options and "on label" in options
        page.screenshot(path=str(ARTIFACTS / "web-14-patient-report.png"), full_page=True)
        # a decision, then the result retracted
        page.select_option("#kind", "trial_referral")
        page.fill("#detail", "walk: referred")
        page.click("form[action='/patients/EX-005/decisions'] button[type=submit]")
        page.wait_for_selector("text=decision recorded")
        page.locator("details.retract summary").first.click()
        page.locator("details.retract input[name=reason]").first.fill("walk: wrong patient")
        page.locator("details.retract button[type=submit]").first.click()
        page.wait_for_selector("text=result retracted")
        assert "walk: wrong patient" in page.locator("#tests").inner_text()
        # a token issued, used, revoked: the API answers 401
        page.goto("/account")
        page.fill("#token-name", "walk")
        page.click("form[action='/account/token'] button[type=submit]")
        token = page.locator("#token").inner_text().strip()
        assert _api_status(server, token) == 200
        page.locator("#token-list button").first.click()
        page.wait_for_selector("text=token revoked")
        assert _api_status(server, token) == 401
        # the leaver deactivated: their open session fails at once
        page.goto("/admin/users")
        page.locator("#user-walk-leaver button", has_text="Deactivate").click()
        page.wait_for_selector("text=user deactivated")
        leaver.goto("/patients")
        assert "/login" in leaver.url
        body = leaver.content()
        assert json.dumps("EX-005") not in body
    finally:
        ctx.close()
        leaver_ctx.close()
