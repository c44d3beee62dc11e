"""Alembic migrations match the models; the registry stays out of the annotate start-up path;
the `her2scope registry` commands work end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import registry_helpers as support
from sqlalchemy import inspect as sa_inspect
from registry_helpers import DEMO, EXAMPLE_CSV, TODAY, write_csv
from typer.testing import CliRunner

from her2scope.cli import app

db_url = support.db_url  # shared fixture

ENV = {"HER2SCOPE_PASSWORD": "cli-admin-password"}


def test_migrations_match_models_and_round_trip(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from her2scope.registry.db import make_engine, migrate
    from her2scope.registry.models import Base

    engine = make_engine(db_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diffs == []
        from alembic import command

        from her2scope.registry.db import alembic_config, current_revision

        cfg = alembic_config(db_url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        with engine.connect() as conn:
            assert "audit_log" not in sa_inspect(conn).get_table_names()
        assert current_revision(engine) is None
        migrate(engine)
        assert current_revision(engine) == "0002"
    finally:
        engine.dispose()


def test_registry_is_not_imported_by_annotate_path():
    code = ("import sys, her2scope, her2scope.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'psycopg')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _run(*args):
    return CliRunner().invoke(app, ["registry", *args], env=ENV)


def test_cli_end_to_end(db_url, tmp_path):
    r = _run("init", "--db", db_url, "--admin", "cli-admin")
    assert r.exit_code == 0, r.output
    assert "revision 0002" in r.output
    r = _run("import", str(EXAMPLE_CSV), "--db", db_url, "--user", "cli-admin")
    assert r.exit_code == 0, r.output
    assert "7 of 7 rows" in r.output
    r = _run("import", str(EXAMPLE_CSV), "--db", db_url, "--user", "cli-admin")
    assert r.exit_code == 0 and "already imported" in r.output
    bad = write_csv(tmp_path / "bad.csv", "CLI-1,adenocarcinoma,IVB,2026-09-01,,,,,,,,,,",
                    "CLI-2,adenocarcinoma,IVQ,2026-09-01,,,,,,,,,,")
    r = _run("import", str(bad), "--db", db_url, "--user", "cli-admin")
    assert r.exit_code == 1 and "rejected row 2 (CLI-2)" in r.output
    r = _run("attach", "EX-003", str(DEMO / "patient01_yvma_grch38.vcf"), "--db", db_url, "--user", "cli-admin",
             "--resulted", "2026-10-01")
    assert r.exit_code == 0, r.output
    assert "p.Y772_A775dup" in r.output
    r = _run("worklist", "advanced_without_ngs", "--db", db_url, "--user", "cli-admin", "--json",
             "--today", TODAY.isoformat())
    assert r.exit_code == 0, r.output
    ids = {row["patient_id"] for row in json.loads(r.output)["advanced_without_ngs"]}
    assert "CLI-1" in ids and "EX-003" not in ids
    r = _run("stats", "--db", db_url, "--user", "cli-admin")
    assert r.exit_code == 0 and "HER2-mutation yield" in r.output and "Wilson" in r.output
    r = _run("stats", "--db", db_url, "--user", "cli-admin", "--json")
    assert json.loads(r.output)["her2_yield"]["expected_range"] == [0.02, 0.04]
    r = CliRunner().invoke(app, ["registry", "stats", "--db", db_url, "--user", "cli-admin"],
                           env={"HER2SCOPE_PASSWORD": "wrong-password"})
    assert r.exit_code == 2


def test_cli_attach_names_the_tumour_sample(db_url):
    """`registry attach --sample`: the same tumour/normal VCF is positive for the tumour column,
    negative for the normal one, and an unknown name is an error that lists the file's samples."""
    # The module's database may already hold the end-to-end test's registry (same admin, same CSV).
    init = _run("init", "--db", db_url, "--admin", "cli-admin")
    assert init.exit_code == 0 or "already" in init.output, init.output
    assert _run("import", str(EXAMPLE_CSV), "--db", db_url, "--user", "cli-admin").exit_code == 0
    vcf = str(DEMO / "patient01_yvma_grch38.vcf")          # samples P001_TUMOR, P001_NORMAL

    def attach(sample):
        return _run("attach", "EX-003", vcf, "--db", db_url, "--user", "cli-admin", "--resulted", "2026-10-01",
                    "--sample", sample)

    tumour = attach("P001_TUMOR")
    assert tumour.exit_code == 0 and "Activating ERBB2 mutation detected: p.Y772_A775dup" in tumour.output
    normal = attach("P001_NORMAL")
    assert normal.exit_code == 0 and "No activating ERBB2 mutation" in normal.output
    unknown = attach("NOPE")
    assert unknown.exit_code == 1
    assert "no sample named 'NOPE'" in unknown.output and "P001_TUMOR, P001_NORMAL" in unknown.output


def test_cli_demo(db_url):
    r = _run("demo", "--db", db_url, "--today", TODAY.isoformat())
    assert r.exit_code == 0, r.output
    assert "p" in r.output and "DEMO-VCF01" in r.output
    r = CliRunner().invoke(app, ["registry", "worklist", "--db", db_url, "--user", "demo-viewer",
                                 "--today", TODAY.isoformat()], env={"HER2SCOPE_PASSWORD": "demo-viewer-password"})
    assert r.exit_code == 0, r.output
    for name in ("advanced_without_ngs", "pending_too_long", "plasma_not_detected_without_tissue",
                 "ihc_without_ngs", "her2_mutant_without_brain_mri", "her2_mutant_without_decision"):
        assert f"{name} (" in r.output and f"{name} (0)" not in r.output, name
    r = CliRunner().invoke(app, ["registry", "import", str(EXAMPLE_CSV), "--db", db_url, "--user", "demo-viewer"],
                           env={"HER2SCOPE_PASSWORD": "demo-viewer-password"})
    assert r.exit_code == 1 and "permission_denied" in r.output


def test_postgresql_connections_run_without_jit(db_url):
    """The registry's PostgreSQL connections turn the JIT compiler off (it cost ~300 ms per list
    request once a plan's estimated cost passed its threshold); SQLite has no such setting."""
    from sqlalchemy import text

    from her2scope.registry.db import make_engine

    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    with make_engine(db_url).connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
