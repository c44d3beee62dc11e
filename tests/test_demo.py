"""`her2scope demo`: annotates the bundled batch, writes jsonl, prints the table, exits 0."""

from __future__ import annotations

import json
import os

from conftest import DEMO, assert_no_traceback, run_cli


def test_demo_writes_results_for_every_patient(tmp_path):
    out = tmp_path / "demo" / "annotations.jsonl"
    run = run_cli("demo", "-o", out, cwd=tmp_path)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert out.exists()
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines

    patients = sorted(p.name for p in DEMO.iterdir() if p.name.startswith("patient")
                      and not p.name.endswith((".tbi", ".csi")))
    assert len(patients) >= 5
    with_results = {os.path.basename(d["input"]) for d in lines if "error" not in d}
    assert set(patients) <= with_results, set(patients) - with_results

    errors = [d for d in lines if "error" in d]
    corrupt = [d for d in errors if d["error"] == "corrupt_file"]
    assert len(corrupt) == 1
    assert os.path.basename(corrupt[0]["input"]) == "bad_truncated.vcf.gz"
    assert set(corrupt[0]) == {"input", "record", "error", "message"}
    # the record before the damage in the broken file is still reported: S310F, record 1
    truncated = [d for d in lines if os.path.basename(d["input"]) == "bad_truncated.vcf.gz"
                 and "error" not in d]
    assert [(d["record"], d["protein_change"]) for d in truncated][:1] == [(1, "p.S310F")]

    # the known vectors come out right
    by_file: dict[str, set] = {}
    for d in lines:
        if "error" not in d:
            by_file.setdefault(os.path.basename(d["input"]), set()).add(
                (d["hgvs_c"], d["hgvs_p"], d["protein_change"]))
    assert ("NM_004448.4:c.2313_2324dup", "NP_004439.2:p.(Tyr772_Ala775dup)", "p.Y772_A775dup") \
        in by_file["patient01_yvma_grch38.vcf"]
    assert ("NM_004448.4:c.929C>T", "NP_004439.2:p.(Ser310Phe)", "p.S310F") \
        in by_file["patient02_s310f_grch37.vcf.gz"]

    # the tables are printed on stdout, one block per file, errors after them (issue 15)
    for text in ("P001_TUMOR", "P002_TUMOR", "p.S310F", "corrupt_file", "oncogenic"):
        assert text in run.stdout, text
    # 100 columns, except where a line quotes the -o path as given (here pytest's long tmp path)
    assert max(len(line) for line in run.stdout.splitlines() if str(tmp_path) not in line) <= 100
    for name in patients:
        assert f"{name}  (" in run.stdout, name          # the block's heading names the file, not its path
    assert str(DEMO) not in run.stdout and str(DEMO) not in run.stderr
    # then one card per demo patient, each with the three HER2 results
    cases = sorted(p for p in (DEMO / "cases").iterdir() if p.suffix == ".yaml")
    cards = run.stdout.split("Reports for", 1)[1]
    for case in cases:
        assert f"({case.name})" in cards, case.name
    assert cards.count("ERBB2 amplification") >= len(cases)


def test_demo_help():
    run = run_cli("demo", "--help")
    assert run.returncode == 0
    assert "--output" in run.stdout
