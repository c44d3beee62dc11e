"""``her2scope knowledge audit``: unverified, stale and secondary-sourced entries across knowledge files.

Day counts are worked by hand: 2026-06-04 -> 2026-12-01 is 180 days (26 days of June + 31+31+30+31+30
+ 1 = 180), so it is not stale at the 180-day limit; 2026-06-03 is 181 days and is.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import yaml

from her2scope.knowledge.audit import Problem, audit, default_files

AS_OF = dt.date(2026, 12, 1)


def _file(tmp_path, name="k.yaml"):
    raw = {
        "knowledge_version": "9.0.0",
        "sources": {
            "REG:1": {"kind": "trial_registry", "checked": "2026-06-04", "how": "registry record"},
            "NEWS:1": {"kind": "secondary", "checked": "2026-06-03", "how": "news page"},
        },
        "trials": [
            {"id": "NCT00000001", "acronym": "FRESH", "verified": True, "citations": ["REG:1"], "checked": "2026-06-04"},
            {"id": "NCT00000002", "acronym": "OLD", "verified": True, "citations": ["REG:1"], "checked": "2026-06-03"},
            {"id": "NCT00000003", "acronym": "NEWSONLY", "status": "recruiting", "status_as_of": "unknown",
             "verified": False, "citations": ["NEWS:1"], "checked": "2026-12-01"},
            {"id": "NCT00000004", "acronym": "MIXED", "citations": ["REG:1", "NEWS:1"], "checked": "2026-12-01"},
            {"id": "NCT00000005", "acronym": "NODATE", "citations": ["REG:1"]},
        ],
        "actionability": {"escat": [{"id": "escat_x", "verified": False, "citations": ["REG:1"],
                                     "checked": "2026-12-01"}]},
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw))
    return path


def _by(findings):
    return {(f.entry, f.problem) for f in findings}


def test_each_problem_is_found_and_nothing_else(tmp_path):
    found = _by(audit([_file(tmp_path)], AS_OF))
    assert found == {
        ("source NEWS:1", Problem.secondary),
        ("source NEWS:1", Problem.stale),                          # 181 days
        ("trials: NCT00000002 (OLD)", Problem.stale),              # 181 days
        ("trials: NCT00000003 (NEWSONLY)", Problem.unverified),
        ("trials: NCT00000003 (NEWSONLY)", Problem.secondary_sourced),
        ("trials: NCT00000004 (MIXED)", Problem.secondary_sourced),
        ("trials: NCT00000005 (NODATE)", Problem.undated),
        ("actionability/escat: escat_x", Problem.unverified),
    }                                                              # FRESH and REG:1 (180 days) are fine


def test_secondary_detail_says_only_or_among(tmp_path):
    details = {f.entry: f.detail for f in audit([_file(tmp_path)], AS_OF) if f.problem is Problem.secondary_sourced}
    assert details["trials: NCT00000003 (NEWSONLY)"] == "only secondary sources: NEWS:1"
    assert details["trials: NCT00000004 (MIXED)"] == "secondary among its sources: NEWS:1"


def test_stale_days_and_as_of_move_the_line(tmp_path):
    path = _file(tmp_path)
    assert ("trials: NCT00000001 (FRESH)", Problem.stale) in _by(audit([path], AS_OF, stale_days=179))
    assert ("trials: NCT00000002 (OLD)", Problem.stale) not in _by(audit([path], dt.date(2026, 11, 30)))


def test_default_files_cover_variants_labels_and_trials():
    names = [p.name for p in default_files()]
    assert "trials_v2.yaml" in names and "next_steps_v2.yaml" in names
    assert any(p.parent.name == "erbb2_kb_v2" for p in default_files())
    findings = audit(as_of=AS_OF)
    files = {f.file for f in findings}
    assert "trials_v2.yaml" in files and "next_steps_v2.yaml" in files
    # the trial list's secondary sources are listed, e.g. the undated aggregator behind SOHO-02's status
    assert any(f.entry == "source news:soho02-withpower" and f.problem is Problem.secondary for f in findings)
    assert any(f.entry == "trials: NCT06452277 (SOHO-02)" and f.problem is Problem.unverified for f in findings)


def test_cli_json_exit_zero(tmp_path):
    path = _file(tmp_path)
    run = subprocess.run([sys.executable, "-m", "her2scope.cli", "knowledge", "audit", "--format", "json",
                          "--as-of", "2026-12-01", "--file", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["as_of"] == "2026-12-01" and len(out["findings"]) == 8
    table = subprocess.run([sys.executable, "-m", "her2scope.cli", "knowledge", "audit", "--as-of", "2026-12-01",
                            "--file", str(path)], capture_output=True, text=True)
    assert table.returncode == 0 and "8 item(s) to re-check" in table.stdout


def test_cli_bad_date_is_a_usage_error():
    run = subprocess.run([sys.executable, "-m", "her2scope.cli", "knowledge", "audit", "--as-of", "1 Dec"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "YYYY-MM-DD" in run.stderr and "Traceback" not in run.stderr
