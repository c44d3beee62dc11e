"""Automated accessibility check (issue 13 item 5): axe-core, the rules engine behind most
accessibility audits, runs in Debian chromium on each main page of the web app (logged out
and logged in, at desktop and phone width) and finds no violation of serious or critical
impact. axe-core is vendored under tests/tools/axe-core (MPL-2.0, see SOURCES.md): nothing is
downloaded at test time. The server and browser are tests/browser_helpers.py's fixtures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from browser_helpers import ARTIFACTS, browser, browser_login, server  # noqa: F401  (fixtures)
from web_helpers import YVMA_VCF

AXE = Path(__file__).parent / "tools" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
BLOCKING = ("serious", "critical")
PAGES = ("/", "/patients", "/patients/EX-001", "/worklists", "/worklists/advanced_without_ngs", "/upload", "/case",
         "/knowledge", "/about", "/account", "/admin/users", "/audit")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, "tests/tools/axe-core/axe.min.js is not the vendored file"
    return data.decode("utf-8")


def _violations(page, axe_source: str) -> list[str]:
    # Injected through the DevTools protocol: the app's Content-Security-Policy (no inline
    # scripts) stays on, as users get it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in result if v["impact"] in BLOCKING]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_main_pages_have_no_serious_accessibility_violations(browser, server, axe_source, width):
    ctx = browser.new_context(base_url=server, viewport=WIDTHS[width])
    page = ctx.new_page()
    found: dict[str, list[str]] = {}
    try:
        page.goto("/login")
        found["/login"] = _violations(page, axe_source)
        browser_login(page, "admin")
        for url in PAGES:
            page.goto(url)
            found[url] = _violations(page, axe_source)
        # an Upload report (the page with the report frame) and the patient's report document
        page.goto("/upload")
        page.set_input_files("#file", str(YVMA_VCF))
        page.select_option("#histology", "adenocarcinoma")
        page.select_option("#stage", "IVB")
        page.select_option("#region", "US")
        page.click("main button[type=submit]")
        page.wait_for_url("**/reports/*/view")
        found["/reports/*/view"] = _violations(page, axe_source)
        page.goto(page.url.rsplit("/", 1)[0] + "/document")
        found["/reports/*/document"] = _violations(page, axe_source)
        page.screenshot(path=str(ARTIFACTS / f"web-14-axe-{width}.png"), full_page=False)
    finally:
        ctx.close()
    problems = {url: v for url, v in found.items() if v}
    assert not problems, "\n".join(f"{url}: {x}" for url, v in problems.items() for x in v)
    assert len(found) == len(PAGES) + 3
