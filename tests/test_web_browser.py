"""End-to-end in a real browser: headless Debian chromium driven by Playwright (no browser
download: ``executable_path`` is the system chromium, $HER2SCOPE_CHROMIUM or /usr/bin/chromium).

The server is the real ``her2scope serve`` on 127.0.0.1 (a free port) with a temporary SQLite
registry (fixtures in tests/browser_helpers.py). Screenshots go to tests/artifacts/. Without chromium
or playwright the tests skip on a developer machine and FAIL under CI=true.
"""

from __future__ import annotations

import time

import pytest
from browser_helpers import ARTIFACTS, browser, browser_login, server  # noqa: F401  (fixtures)
from web_helpers import YVMA_VCF


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: problems.append(f"outside request {r.url}")
          if not r.url.startswith((server, "data:", "about:")) else None)
    pg.problems = problems
    yield pg
    context.close()


def _section(page, name: str) -> str:
    return page.locator(f"section#{name}").inner_text()


def test_login_upload_and_report(page):
    browser_login(page)
    page.screenshot(path=str(ARTIFACTS / "web-01-patients.png"), full_page=True)
    page.goto("/upload")
    page.set_input_files("#file", str(YVMA_VCF))
    page.select_option("#histology", "adenocarcinoma")
    page.select_option("#stage", "IVB")
    page.select_option("#region", "US")
    page.fill("#prior_lines", "1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/reports/*/view")
    table = page.locator("#annotations").inner_text()
    assert "p.Y772_A775dup" in table and "oncogenic" in table
    frame = page.frame_locator("iframe.report")
    frame.locator("body").wait_for()
    assert "p.Y772_A775dup" in frame.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "web-02-upload-report.png"), full_page=True)
    assert not [p for p in page.problems if "Content Security Policy" in p or "Refused" in p], page.problems
    assert not [p for p in page.problems if p.startswith("outside request")]


def test_patient_leaves_no_ngs_worklist_after_result(page):
    browser_login(page)
    page.goto("/worklists")
    assert "EX-005" in _section(page, "advanced_without_ngs")
    page.screenshot(path=str(ARTIFACTS / "web-03-worklists-before.png"), full_page=True)
    page.click("section#advanced_without_ngs >> text=EX-005")
    page.wait_for_url("**/patients/EX-005")
    assert page.locator("#timeline").is_visible()
    page.set_input_files("#result-file", str(YVMA_VCF))
    page.select_option("#sample_type", "tissue")
    page.click("form[action='/patients/EX-005/results'] button[type=submit]")
    page.wait_for_selector("text=result attached")
    assert "p.Y772_A775dup" in page.locator("#tests").inner_text()
    page.screenshot(path=str(ARTIFACTS / "web-04-patient-result.png"), full_page=True)
    page.goto("/worklists")
    assert "EX-005" not in _section(page, "advanced_without_ngs")
    assert "EX-005" in _section(page, "her2_mutant_without_decision")
    page.screenshot(path=str(ARTIFACTS / "web-05-worklists-after.png"), full_page=True)


def test_knowledge_and_about_pages_render(page):
    browser_login(page, "viewer")
    page.goto("/knowledge")
    # the curated list (knowledge v2 orders it by fragment, so YVMA need not come first)
    assert "p.Y772_A775dup" in " ".join(page.locator("#variants ~ section").all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "web-06-knowledge.png"))
    deadline = time.monotonic() + 90
    while True:
        page.goto("/about")
        if not page.locator("#preparing").count() or time.monotonic() > deadline:
            break
        time.sleep(1)
    img = page.locator("img[src='/about/figures/burden.png']")
    img.wait_for()
    assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) > 100
    page.screenshot(path=str(ARTIFACTS / "web-07-about.png"), full_page=True)
    assert not [p for p in page.problems if "Refused" in p], page.problems
