"""Knowledge versions: diff two knowledge bases; re-running an old case shows what changed."""

import json
import subprocess
import sys

import yaml

from her2scope.knowledge import load_knowledge
from her2scope.report.diff import diff_knowledge, diff_reports
from her2scope.report.model import make_report

from report_helpers import CASES


def _changed_kb(tmp_path):
    kb = load_knowledge("v1")        # a v1-style single file, edited
    raw = yaml.safe_load(open(kb.path))
    raw["knowledge_version"] = "1.1.0"
    for v in raw["curated_variants"]:
        if v["protein_change"] == "p.S310F":
            v["oncogenicity"] = "oncogenic"
    raw["curated_variants"] = [v for v in raw["curated_variants"] if v["protein_change"] != "p.L869R"]
    path = tmp_path / "kb_v1_1.yaml"
    path.write_text(yaml.safe_dump(raw))
    return kb.path, str(path)


def test_diff_lists_changed_and_removed_entries(tmp_path):
    old, new = _changed_kb(tmp_path)
    lines = diff_knowledge(old, new)
    assert lines[0].startswith("knowledge_version 1.0.0")
    assert "curated_variants: p.S310F: oncogenicity 'likely_oncogenic' -> 'oncogenic'" in lines
    assert "curated_variants: removed p.L869R" in lines
    assert diff_knowledge(old, old) == []


def test_cli_knowledge_diff(tmp_path):
    old, new = _changed_kb(tmp_path)
    run = subprocess.run([sys.executable, "-m", "her2scope.cli", "knowledge", "diff", old, new],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "p.S310F" in run.stdout


def test_rerunning_an_old_report_shows_what_changed():
    rep = make_report(CASES / "case02_s310f.yaml").as_dict()
    old = json.loads(json.dumps(rep))
    old["knowledge"]["variants"] = "0.9.0"
    for v in old["variants"]:
        if v["protein_change"] == "p.S310F":
            v["oncogenicity"] = "uncertain_significance"
    old["therapy_options"][0]["verdict"] = "not_on_label"
    changes = diff_reports(old, rep)
    assert any(c.startswith("knowledge:") for c in changes)
    assert "variant p.S310F: oncogenicity uncertain_significance -> oncogenic" in changes
    assert any(c.startswith(f"therapy {rep['therapy_options'][0]['label_id']}: not_on_label -> ") for c in changes)
    assert diff_reports(rep, rep) == []
