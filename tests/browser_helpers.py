"""Browser test fixtures shared by tests/test_web_browser*.py and test_web_accessibility.py (no tests here):
the real ``her2scope serve`` on 127.0.0.1 (a free port) with a temporary SQLite registry, and headless
Debian chromium driven by Playwright (no browser download: ``executable_path`` is the system chromium,
$HER2SCOPE_CHROMIUM or /usr/bin/chromium). Screenshots go to tests/artifacts/. Without chromium or
playwright the tests skip on a developer machine and FAIL under CI=true.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import skip_unless_ci
from web_helpers import PASSWORD, make_registry

CHROMIUM = os.environ.get("HER2SCOPE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def need(condition: bool, why: str) -> None:
    if not condition:
        skip_unless_ci(why, f"browser tests cannot run in CI: {why}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "registry.db"
    reg, _users = make_registry(db)
    reg.close()
    port = _free_port()
    env = {**os.environ, "HER2SCOPE_SECRET_KEY": "browser-test-" + "k" * 32}
    log = open(tmp_path_factory.mktemp("serverlog") / "server.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "her2scope", "serve", "--db", f"sqlite:///{db}",
                             "--host", "127.0.0.1", "--port", str(port), "--insecure-cookies"],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"her2scope serve did not start:\n{log.read()}")
            time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.seek(0)
    server_log = log.read()
    log.close()
    # What the server logged while a browser used it: route templates, never the patient ids.
    assert "GET /patients/{patient_id}" in server_log
    assert "EX-005" not in server_log and "Y772" not in server_log


@pytest.fixture(scope="module")
def browser():
    need(os.path.exists(CHROMIUM), f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed (pip install 'her2scope[test]')")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def browser_login(page, user="clinician"):
    """Log ``user`` in through the login form (the page starts logged out)."""
    page.goto("/patients")
    assert "/login" in page.url
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/patients")
