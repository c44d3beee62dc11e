"""The `her2scope registry` people, token and report commands (cli_registry_people), run through
the CLI on a SQLite demo registry: listed after the registry's own commands, and each one
doing what it says."""

from __future__ import annotations

import json

from registry_helpers import TODAY
from typer.testing import CliRunner

from her2scope.cli import app

ADMIN = {"HER2SCOPE_PASSWORD": "demo-admin-password"}


def _run(*args, env=ADMIN):
    return CliRunner().invoke(app, ["registry", *args], env=env)


def test_help_lists_people_commands_after_the_registry_commands():
    r = CliRunner().invoke(app, ["registry", "--help"], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    order = [r.output.index(f"│ {name} ") for name in ("init", "demo", "users", "report")]
    assert order == sorted(order)


def test_people_token_and_report_commands(tmp_path):
    db = str(tmp_path / "reg.db")
    assert _run("demo", "--db", db, "--today", TODAY.isoformat()).exit_code == 0
    who = ("--db", db, "--user", "demo-admin")

    r = _run("users", *who)
    assert r.exit_code == 0, r.output
    assert [line.split()[0] for line in r.output.splitlines()] == ["demo-admin", "demo-clinician", "demo-viewer"]

    r = _run("token", "demo-viewer", *who)
    assert r.exit_code == 0, r.output
    viewer_token = r.output.strip()
    r = _run("tokens", *who, "--of", "demo-viewer")
    assert r.exit_code == 0 and len(r.output.splitlines()) == 1 and r.output.split()[-1] == "active"
    token_id = r.output.split()[0]
    assert _run("stats", "--db", db, "--token", viewer_token, env={}).exit_code == 0
    r = _run("token-revoke", token_id, *who)
    assert r.exit_code == 0 and f"token {token_id} " in r.output and "of demo-viewer revoked" in r.output
    assert _run("stats", "--db", db, "--token", viewer_token, env={}).exit_code == 2     # revoked

    viewer = {"HER2SCOPE_PASSWORD": "demo-viewer-password"}
    assert _run("user-deactivate", "demo-viewer", *who).exit_code == 0
    assert _run("stats", "--db", db, "--user", "demo-viewer", env=viewer).exit_code == 2
    assert _run("user-activate", "demo-viewer", *who).exit_code == 0
    assert _run("stats", "--db", db, "--user", "demo-viewer", env=viewer).exit_code == 0
    r = _run("user-password", "demo-viewer", *who, env={**ADMIN, "HER2SCOPE_NEW_PASSWORD": "another-long-password"})
    assert r.exit_code == 0, r.output
    assert _run("stats", "--db", db, "--user", "demo-viewer", env=viewer).exit_code == 2
    assert _run("stats", "--db", db, "--user", "demo-viewer",
                env={"HER2SCOPE_PASSWORD": "another-long-password"}).exit_code == 0
    # a viewer may not manage users: a one-line permission error, exit 1
    r = _run("users", "--db", db, "--user", "demo-viewer", env={"HER2SCOPE_PASSWORD": "another-long-password"})
    assert r.exit_code == 1 and "permission_denied" in r.output

    out = tmp_path / "report.json"
    r = _run("report", "DEMO-VCF01", "-o", str(out), *who)
    assert r.exit_code == 0, r.output
    assert "p.Y772_A775dup" in json.dumps(json.loads(out.read_text()))   # the demo VCF01's YVMA insertion
