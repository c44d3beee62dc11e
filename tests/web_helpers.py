"""Shared fixtures for the web tests (imported by each tests/test_web_*.py; no tests here).

One SQLite registry per test module with four users (one per role) and the registry's example
CSV imported; a FastAPI app on it (figures not precomputed unless a test asks); logged-in
TestClients per role (through the real login form, CSRF token included).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("her2scope.registry")

PASSWORD = "a-long-web-test-password"
ROLES = ("viewer", "clinician", "data_manager", "admin")
DEMO = Path(str(resources.files("her2scope") / "demo_data"))
YVMA_VCF = DEMO / "patient01_yvma_grch38.vcf"
EXAMPLE_CSV = Path(str(resources.files("her2scope.registry") / "data" / "import_example.csv"))
BASE = "http://127.0.0.1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def make_registry(path: Path, *, import_example: bool = True):
    from her2scope.registry import Registry, Role

    reg = Registry.open(f"sqlite:///{path}")
    users = {role: reg.create_user(role, PASSWORD, Role(role)) for role in ROLES}
    if import_example:
        reg.import_csv(EXAMPLE_CSV, users["admin"])
    return reg, users


def make_app(reg, **settings):
    from her2scope.web.app import create_app
    from her2scope.web.config import WebSettings

    opts = {"secure_cookies": False, "precompute_figures": False, "secret_key": "x" * 40}
    opts.update(settings)
    return create_app(WebSettings(**opts), reg)


def client(app, **kw):
    from fastapi.testclient import TestClient

    kw.setdefault("base_url", BASE)
    return TestClient(app, **kw)


def login(app, username: str, password: str = PASSWORD):
    c = client(app)
    page = c.get("/login")
    r = c.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text),
                               "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def bearer(reg, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {reg.issue_api_token(username)}"}


def stored_reports(reg) -> tuple[int, int, int]:
    """(tests, results, result variants) in the registry: unchanged after a refused upload."""
    counts = reg.counts()
    return counts["tests"], counts["results"], counts["result_variants"]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """(app, registry, users) on a fresh SQLite registry for this test module."""
    reg, users = make_registry(tmp_path_factory.mktemp("web") / "registry.db")
    app = make_app(reg)
    yield app, reg, users
    reg.close()
