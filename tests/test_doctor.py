"""``her2scope doctor`` (issue 15): what is installed and usable, the knowledge version and its
checked date (read here from the bundled YAML itself), and a fix for whatever is missing."""

from __future__ import annotations

import json
import os
import stat

import yaml

from conftest import run_cli

from her2scope import doctor
from her2scope.knowledge.loader import DEFAULT_KB

COMPONENTS = {"core", "knowledge", "report", "cohort", "spark", "registry", "postgresql", "web", "test", "browser"}


def test_doctor_lists_every_component_with_a_fix_for_the_missing():
    run = run_cli("doctor", "--format", "json")
    assert run.returncode == 0, run.stderr
    checks = {c["name"]: c for c in json.loads(run.stdout)["checks"]}
    assert set(checks) == COMPONENTS
    for c in checks.values():
        assert c["state"] in ("ok", "missing", "unusable")
        assert c["detail"] and c["enables"]
        if c["state"] != "ok":
            assert c["fix"], c
    assert checks["core"]["state"] == "ok"


def test_doctor_names_the_knowledge_version_and_checked_date():
    from importlib import resources

    raw = yaml.safe_load((resources.files("her2scope") / "knowledge" / "data" / DEFAULT_KB).read_text())
    run = run_cli("doctor")
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert f"knowledge {raw['knowledge_version']}" in text
    assert f"checked {raw['checked']}" in text


def test_a_missing_package_says_what_to_install():
    check = doctor._python_packages("cohort", ("no-such-distribution-h2s",), "cohort", "cohort")
    assert check.state is doctor.State.missing
    assert check.fix == "pip install 'her2scope[cohort]'"
    assert "no-such-distribution-h2s" in check.detail


def test_java_8_is_too_old_for_spark(tmp_path, monkeypatch):
    """PySpark 4 needs Java 17: a java that reports "1.8.0_392" (Java 8's spelling) is unusable."""
    java = tmp_path / "bin" / "java"
    java.parent.mkdir()
    java.write_text('#!/bin/sh\necho \'openjdk version "1.8.0_392"\' >&2\n')
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    # The version reading does not depend on PySpark being installed: checked on every machine.
    assert doctor._java_version(str(java))[0] == 8
    check = doctor._spark()
    if doctor._version("pyspark") is None:
        assert check.state is doctor.State.missing
        return
    assert check.state is doctor.State.unusable
    assert "Java 17" in check.fix
    assert os.path.exists(java)
