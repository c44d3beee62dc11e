"""Shared fixtures for the registry tests (imported by each tests/test_registry_*.py).

Every repository test runs twice: on SQLite (a file in tmp) and on PostgreSQL (a fresh
database per test module on the server named by HER2SCOPE_TEST_PG_URL, which .ci/run
starts). Without that variable the PostgreSQL half is skipped on a developer machine, and
FAILS when CI is set: skipping is not acceptable in CI.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from importlib import resources
from pathlib import Path

import pytest
from conftest import skip_unless_ci

PG_ENV = "HER2SCOPE_TEST_PG_URL"
TODAY = dt.date(2026, 11, 20)
DEMO = Path(str(resources.files("her2scope") / "demo_data"))
EXAMPLE_CSV = Path(str(resources.files("her2scope.registry") / "data" / "import_example.csv"))
PASSWORD = "a-long-test-password"
HEADER = ("patient_id,histology,stage,diagnosis_date,test_type,test_id,assay,ordered,received,resulted,failed,"
          "result,erbb2_variants,scoring_system")


def pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    skip_unless_ci(f"{PG_ENV} not set: PostgreSQL half skipped on this machine (.ci/run sets it)",
                   f"CI is set but {PG_ENV} is not: the PostgreSQL registry tests must run in CI "
                   "(.ci/run starts a private PostgreSQL and sets it)")


def _admin_url(base: str) -> str:
    return base.replace("postgresql+psycopg://", "postgresql://", 1)


def create_pg_database(base: str, tag: str) -> str:
    import psycopg

    name = f"h2s_{tag}_{uuid.uuid4().hex[:8]}".lower()
    with psycopg.connect(_admin_url(base), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(base: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_admin_url(base), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    """A fresh, empty database URL for this test module, once per backend."""
    tag = request.module.__name__.removeprefix("test_registry_")
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('registry-' + tag) / 'registry.db'}"
        return
    base = pg_base_url()
    url = create_pg_database(base, tag)
    try:
        yield url
    finally:
        drop_pg_database(base, url)


@pytest.fixture(scope="module")
def registry(db_url):
    from her2scope.registry import Registry

    reg = Registry.open(db_url)
    yield reg
    reg.close()


@pytest.fixture(scope="module")
def users(registry):
    from her2scope.registry import Role

    return {role.value: registry.create_user(f"u-{role.value}", PASSWORD, role) for role in Role}


@pytest.fixture
def sqlite_manager(tmp_path):
    """A fresh SQLite registry and a signed-in data manager: (registry, user)."""
    from her2scope.registry import Registry, Role

    reg = Registry.open(f"sqlite:///{tmp_path / 'registry.db'}")
    reg.create_user("dm", "a-long-manager-password", Role.data_manager)
    yield reg, reg.authenticate("dm", "a-long-manager-password")
    reg.close()


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join((HEADER,) + rows) + "\n", encoding="utf-8")
    return path


def fhir_bundle():
    """The FHIR bundle of demo case 1's report plus a Condition (histology, stage) and a second
    Patient that carries a name."""
    from her2scope.report.fhir import render_fhir
    from her2scope.report.model import make_report

    bundle = render_fhir(make_report(DEMO / "cases" / "case01_yvma_after_one_line.yaml", today=TODAY))
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    bundle["entry"].append({"fullUrl": "urn:uuid:cond-1", "resource": {
        "resourceType": "Condition", "id": "cond-1", "subject": {"reference": patient["fullUrl"]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "35917007", "display": "Adenocarcinoma"}],
                 "text": "Lung adenocarcinoma"},
        "stage": [{"summary": {"text": "IVB"}}], "onsetDateTime": "2026-09-01"}})
    bundle["entry"].append({"fullUrl": "urn:uuid:named", "resource": {
        "resourceType": "Patient", "id": "named", "name": [{"family": "Doe"}],
        "identifier": [{"value": "NAMED-1"}]}})
    return bundle
