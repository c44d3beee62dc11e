"""knowledge diff v1 v2 lists every call that changed and why; a report made with v1 and re-made with
v2 says what changed."""

from __future__ import annotations

import json
import subprocess
import sys

from her2scope.classify import classify
from her2scope.hgvs.parse import parse_protein
from her2scope.knowledge import load_knowledge
from her2scope.knowledge.loader import resolve
from her2scope.pipeline import Options
from her2scope.report.diff import diff_knowledge, diff_reports
from her2scope.report.model import report_for

from report_helpers import CASES, case

V1, V2 = load_knowledge("v1"), load_knowledge("v2")
LINES = diff_knowledge(str(resolve("v1")), str(resolve("v2")))


def _call(name, kb):
    c = classify(parse_protein(None, name).change, frozenset(), kb)
    return c.oncogenicity, c.rule


def test_every_changed_call_is_listed_with_old_and_new_rule():
    names = list(V1.variants) + list(V2.variants)
    for kb in (V1, V2):
        names += [n for r in kb.rules for n in r.representative_variants + r.not_called]
    changed = {n for n in names if _call(n, V1) != _call(n, V2)}
    assert changed
    listed = {line.split(": ")[1] for line in LINES if line.startswith("calls: ")}
    assert listed == changed
    for n in changed:
        line = next(x for x in LINES if x.startswith(f"calls: {n}: "))
        (old, old_rule), (new, new_rule) = _call(n, V1), _call(n, V2)
        assert f"{old} ({old_rule};" in line and f"-> {new} ({new_rule};" in line and "; why: " in line


def test_l755p_and_the_exon20_rule_in_the_diff():
    l755p = next(x for x in LINES if x.startswith("calls: p.L755P: "))
    assert "uncertain_significance (curated_variant:p.L755P" in l755p
    assert "-> likely_oncogenic (curated_variant:p.L755P" in l755p and "PMID:" in l755p
    lc = next(x for x in LINES if x.startswith("calls: p.G776delinsLC: "))
    assert "-> likely_oncogenic (class_rule:exon20_insertion_region" in lc
    assert LINES[0] == f"knowledge_version 1.0.0 ({V1.released}) -> 2.0.0 ({V2.released})"
    assert not any(x.startswith("curated_variants: removed p.Y772_A775dup") for x in LINES)   # still curated


def test_cli_diff_with_bundled_names():
    run = subprocess.run([sys.executable, "-c", "from her2scope.cli import app; app()", "knowledge", "diff",
                          "v1", "v2"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "calls: p.L755P: " in run.stdout


def test_report_made_with_v1_and_remade_with_v2_says_what_changed(tmp_path):
    text = tmp_path / "result.txt"
    text.write_text("p.G776V\n")
    c = case(prior_lines=1, files=(str(text),))
    old = json.loads(json.dumps(report_for(c, CASES, Options(knowledge="v1")).as_dict()))
    new = report_for(c, CASES).as_dict()
    assert old["knowledge"]["variants"] == "1.0.0" and new["knowledge"]["variants"] == "2.0.0"
    changes = diff_reports(old, new)
    assert "mutation: equivocal -> positive" in changes
    assert "variant p.G776V: oncogenicity uncertain_significance -> likely_oncogenic" in changes
    assert any(x.startswith("variant p.G776V: oncogenicity_rule vicc_points:") and
               x.endswith("-> curated_variant:p.G776V") for x in changes)
    assert any(x.startswith("therapy ") and x.endswith("-> on_label") for x in changes)
    # every citation the v1 report uses resolves, although v2 is the default
    used = {k for v in old["variants"] for e in v["evidence"] for k in e["citations"]}
    assert used <= set(old["citations"])
