"""``her2scope sweep --registry``: a swept archive's samples become NGS tests of registry patients.

End to end on a real registry (SQLite in tmp; PostgreSQL under CI through the registry test
helpers): a manifest ties three samples to two existing patients and leaves one sample without
a patient. Expected by hand from the demo files' known variants: P001_TUMOR carries
p.Y772_A775dup (oncogenic exon 20 insertion), P002_TUMOR p.S310F (oncogenic) and the benign
p.I655V, LAB-999 the same YVMA duplication; NEG-1's file has no ERBB2 record at all.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("sqlalchemy")

import registry_helpers as support  # noqa: E402
from conftest import DEMO, ROOT, YVMA_RECORD, rec, write_vcf  # noqa: E402
from registry_helpers import PASSWORD  # noqa: E402

from her2scope.registry import Registry  # noqa: E402
from her2scope.sweep.discover import discover  # noqa: E402
from her2scope.sweep.local import run_local  # noqa: E402
from her2scope.sweep.registry_step import RegistryOptions, run_registry_step  # noqa: E402
from her2scope.sweep.worker import Settings  # noqa: E402
from her2scope.readers.manifest import read_manifest_links  # noqa: E402

db_url = support.db_url  # shared fixture
registry = support.registry  # shared fixture
users = support.users  # shared fixture

WORKLIST = "her2_mutant_without_decision"
CHR1_ONLY = rec("chr1", 1_000_000, ".", "A", "G", 50, "PASS", "DP=10", "GT:AD:DP:AF", "0/1:5,5:10:0.5")


def make_archive(root: Path) -> Path:
    """Four files and a manifest: two samples for PT-A (one positive, one negative), one for
    PT-B, and LAB-999 listed without a patient."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO / "patient01_yvma_grch38.vcf", root / "p01.vcf")
    shutil.copy(DEMO / "patient02_s310f_grch37.vcf.gz", root / "p02.vcf.gz")
    write_vcf(root, "neg.vcf", [CHR1_ONLY], samples=("NEG-1",))
    write_vcf(root, "lab999.vcf", [YVMA_RECORD], samples=("LAB-999",))
    (root / "manifest.tsv").write_text(
        "path\tpatient\tsample\tsample_type\n"
        "p01.vcf\tPT-A\tP001_TUMOR\ttissue\n"
        "p02.vcf.gz\tPT-B\t\ttissue\n"
        "neg.vcf\tPT-A\tNEG-1\ttissue\n"
        "lab999.vcf\t\t\ttissue\n", encoding="utf-8")
    return root / "manifest.tsv"


def sweep_and_register(reg: Registry, actor, manifest: Path, out: Path, opts: RegistryOptions):
    inputs, _ = discover(str(manifest))
    run_local(inputs, str(out), Settings(), jobs=1, progress=False)
    return run_registry_step(str(out), reg, actor, opts, links=read_manifest_links(str(manifest)))


@pytest.fixture(scope="module")
def swept(registry, users, tmp_path_factory):
    clinician, manager = users["clinician"], users["data_manager"]
    for pid in ("PT-A", "PT-B"):
        registry.create_patient(pid, clinician, histology="adenocarcinoma", stage="IVB")
    registry.record_decision("PT-B", "therapy_chosen", "already on a HER2-directed drug", clinician)
    before = registry.counts()
    tmp = tmp_path_factory.mktemp("sweep-registry")
    manifest = make_archive(tmp / "archive")
    opts = RegistryOptions(assay_covers_erbb2=True)
    lines = sweep_and_register(registry, manager, manifest, tmp / "out", opts)
    return registry, manager, manifest, tmp, opts, before, lines


def outcome(lines, sample):
    found = [ln for ln in lines if ln.unit.sample == sample]
    assert len(found) == 1, [(ln.unit.file, ln.unit.sample) for ln in lines]
    return found[0]


def test_the_mutant_patient_without_a_decision_is_on_the_worklist(swept):
    reg, manager, *_ = swept
    rows = reg.worklists(manager, names=(WORKLIST,))[WORKLIST]
    # PT-A: YVMA (oncogenic), no decision. PT-B: S310F (oncogenic) but a therapy decision.
    assert [r.patient_id for r in rows] == ["PT-A"]


def test_each_sample_is_stored_with_the_picture_status(swept):
    reg, manager, *_, lines = swept
    assert outcome(lines, "P001_TUMOR").outcome.value == "stored"
    assert outcome(lines, "P001_TUMOR").her2_status == "positive"
    assert outcome(lines, "P002_TUMOR").her2_status == "positive"
    # NEG-1: file read to its end, sample named in it, assay stated to cover ERBB2, no ERBB2 record.
    assert outcome(lines, "NEG-1").her2_status == "negative"
    detail = reg.patient_detail("PT-A", manager)
    statuses = sorted(t.result.her2_status for t in detail.tests)
    assert statuses == ["negative", "positive"] and detail.her2_mutation == "positive"
    positive = next(t for t in detail.tests if t.result.her2_status == "positive")
    assert [v.protein_change for v in positive.result.variants] == ["p.Y772_A775dup"]
    assert positive.external_id.startswith("sweep:") and positive.external_id.endswith(":P001_TUMOR")


def test_the_sample_without_a_patient_is_reported_not_dropped(swept):
    _, _, _, tmp, _, before, lines = swept
    lab = outcome(lines, "LAB-999")
    assert lab.outcome.value == "unmatched" and lab.unit.activating == ("p.Y772_A775dup",)
    with open(tmp / "out" / "registry.tsv", encoding="utf-8") as fh:
        report = list(csv.DictReader(fh, delimiter="\t"))
    assert {(r["sample"], r["outcome"]) for r in report} == {
        ("P001_TUMOR", "stored"), ("P002_TUMOR", "stored"), ("NEG-1", "stored"), ("LAB-999", "unmatched"),
        ("P001_NORMAL", "unmatched")}      # p01.vcf's second sample: the manifest names only the tumour


def test_no_patient_was_invented(swept):
    reg, *_, before, _ = swept
    after = reg.counts()
    assert after["patients"] == before["patients"]
    assert after["tests"] == before["tests"] + 3


def test_running_the_registry_step_again_adds_nothing(swept):
    reg, manager, manifest, tmp, opts, _, _ = swept
    counts = reg.counts()
    again = run_registry_step(str(tmp / "out"), reg, manager, opts, links=read_manifest_links(str(manifest)))
    assert {ln.unit.sample: ln.outcome.value for ln in again} == {
        "P001_TUMOR": "already_stored", "P002_TUMOR": "already_stored", "NEG-1": "already_stored",
        "LAB-999": "unmatched", "P001_NORMAL": "unmatched"}
    after = reg.counts()
    assert {k: after[k] for k in ("patients", "tests", "results", "result_variants", "import_batches")} == \
        {k: counts[k] for k in ("patients", "tests", "results", "result_variants", "import_batches")}


def test_a_resumed_sweep_sends_nothing_twice(swept):
    reg, manager, manifest, tmp, opts, _, _ = swept
    counts = reg.counts()
    lines = sweep_and_register(reg, manager, manifest, tmp / "out", opts)     # resumes from the parts
    assert not [ln for ln in lines if ln.outcome.value == "stored"]
    assert reg.counts()["tests"] == counts["tests"]


def test_without_the_coverage_statement_only_positives_are_stored(registry, users, tmp_path):
    clinician, manager = users["clinician"], users["data_manager"]
    registry.create_patient("PT-C", clinician, histology="adenocarcinoma", stage="IV")
    write_vcf(tmp_path, "c_pos.vcf", [YVMA_RECORD], samples=("C-POS",))
    write_vcf(tmp_path, "c_neg.vcf", [CHR1_ONLY], samples=("C-NEG",))
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,patient,sample\nc_pos.vcf,PT-C,C-POS\nc_neg.vcf,PT-C,C-NEG\n", encoding="utf-8")
    lines = sweep_and_register(registry, manager, manifest, tmp_path / "out", RegistryOptions(sample_type="tissue"))
    assert outcome(lines, "C-POS").her2_status == "positive"
    neg = outcome(lines, "C-NEG")
    assert neg.outcome.value == "not_stored" and "covered ERBB2" in neg.detail
    assert [t.result.her2_status for t in registry.patient_detail("PT-C", manager).tests] == ["positive"]


def test_the_manifest_s_panel_genes_decide_the_negatives(registry, users, tmp_path):
    """Without --assay-covers-erbb2, a manifest line's genes_covered says what its assay covered:
    with ERBB2 a sample without an ERBB2 variant is stored negative; without ERBB2 it is stored
    'not assessed' (NGS done, ERBB2 not looked at: the patient stays on advanced_without_ngs);
    a bad list stores nothing and says why."""
    clinician, manager = users["clinician"], users["data_manager"]
    for pid in ("PT-G1", "PT-G2", "PT-G3"):
        registry.create_patient(pid, clinician, histology="adenocarcinoma", stage="IVB")
    for name in ("G1", "G2", "G3"):
        write_vcf(tmp_path, f"{name}.vcf", [CHR1_ONLY], samples=(name,))
    manifest = tmp_path / "m.tsv"
    manifest.write_text("path\tpatient\tsample\tsample_type\tgenes_covered\n"
                        "G1.vcf\tPT-G1\tG1\ttissue\tEGFR;ERBB2;KRAS\n"
                        "G2.vcf\tPT-G2\tG2\ttissue\tEGFR;KRAS\n"
                        "G3.vcf\tPT-G3\tG3\ttissue\tEGFR KRAS\n", encoding="utf-8")
    lines = sweep_and_register(registry, manager, manifest, tmp_path / "out", RegistryOptions())
    assert (outcome(lines, "G1").outcome.value, outcome(lines, "G1").her2_status) == ("stored", "negative")
    assert (outcome(lines, "G2").outcome.value, outcome(lines, "G2").her2_status) == ("stored", "not_assessed")
    bad = outcome(lines, "G3")
    assert bad.outcome.value == "not_stored" and "manifest line 4: genes_covered must be gene symbols" in bad.detail
    assert registry.patient_detail("PT-G3", manager).tests == ()
    worklist = {w.patient_id for w in registry.worklists(manager)["advanced_without_ngs"]}
    assert "PT-G2" in worklist and "PT-G1" not in worklist


def test_a_sample_without_a_genotype_call_at_erbb2_gets_no_negative(registry, users, tmp_path):
    """A tumour with GT ./. at the YVMA record (a caller's no-call): even with the coverage
    statement nothing is stored for it, and the files table names the sample."""
    clinician, manager = users["clinician"], users["data_manager"]
    registry.create_patient("PT-NC", clinician, histology="adenocarcinoma", stage="IVB")
    no_call = YVMA_RECORD.replace("0/1:290,130:420:0.31", "./.:290,130:420:0.31")
    write_vcf(tmp_path, "nc.vcf", [no_call], samples=("NC-1",))
    manifest = tmp_path / "m.tsv"
    manifest.write_text("path\tpatient\tsample\tsample_type\nnc.vcf\tPT-NC\tNC-1\ttissue\n", encoding="utf-8")
    lines = sweep_and_register(registry, manager, manifest, tmp_path / "out",
                               RegistryOptions(assay_covers_erbb2=True))
    line = outcome(lines, "NC-1")
    assert line.outcome.value == "not_stored" and "no genotype call" in line.detail
    assert registry.patient_detail("PT-NC", manager).tests == ()
    import duckdb

    files = duckdb.sql(f"SELECT no_call_samples FROM read_parquet('{tmp_path / 'out' / 'files.parquet'}')").fetchall()
    assert files == [(["NC-1"],)]


def test_a_truncated_file_gives_no_negative_and_a_wrong_sample_name_nothing(registry, users, tmp_path):
    clinician, manager = users["clinician"], users["data_manager"]
    registry.create_patient("PT-D", clinician, histology="adenocarcinoma", stage="IV")
    shutil.copy(DEMO / "bad_truncated.vcf.gz", tmp_path / "bad.vcf.gz")
    write_vcf(tmp_path, "d.vcf", [CHR1_ONLY], samples=("D-1",))
    manifest = tmp_path / "m.tsv"
    (tmp_path / "garbage.vcf.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    manifest.write_text("path\tpatient\tsample\nbad.vcf.gz\tPT-D\t\nd.vcf\tPT-D\tD-TYPO\n"
                        "garbage.vcf.gz\tPT-D\t\nmissing.vcf\tPT-D\t\n", encoding="utf-8")
    before = registry.counts()["tests"]
    lines = sweep_and_register(registry, manager, manifest, tmp_path / "out",
                               RegistryOptions(sample_type="tissue", assay_covers_erbb2=True))
    typo = outcome(lines, "D-TYPO")
    assert typo.outcome.value == "not_stored" and "not a sample of the file" in typo.detail
    bad = [ln for ln in lines if ln.unit.file == "bad.vcf.gz"]
    assert bad and all(ln.outcome.value != "stored" or ln.unit.activating for ln in bad)
    assert all("file" in ln.detail for ln in bad if not ln.unit.activating)
    # A file that could not be read at all still has its line: reported, not dropped, not stored.
    for name, words in (("garbage.vcf.gz", "file failed"), ("missing.vcf", "file not read")):
        (line,) = [ln for ln in lines if ln.unit.file == name]
        assert (line.match.patient, line.outcome.value) == ("PT-D", "not_stored") and words in line.detail
    stored = [ln for ln in lines if ln.outcome.value == "stored"]
    assert registry.counts()["tests"] == before + len(stored)
    assert all(ln.her2_status == "positive" for ln in stored)


def test_the_command_line_sweeps_then_stores(tmp_path):
    """``her2scope sweep MANIFEST -o OUT --registry`` on a registry made by ``registry init``."""
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    env = dict(os.environ, HER2SCOPE_PASSWORD=PASSWORD, PYTHONPATH=str(ROOT), NO_COLOR="1")
    her2scope = [sys.executable, "-m", "her2scope"]
    subprocess.run([*her2scope, "registry", "init", "--db", db, "--admin", "alice"], env=env, check=True,
                   capture_output=True)
    with Registry.open(db) as reg:
        alice = reg.authenticate("alice", PASSWORD)
        for pid in ("PT-A", "PT-B"):
            reg.create_patient(pid, alice, histology="adenocarcinoma", stage="IVB")
    manifest = make_archive(tmp_path / "archive")
    cmd = [*her2scope, "sweep", str(manifest), "-o", str(tmp_path / "out"), "-j", "1", "--registry",
           "--db", db, "--user", "alice"]                     # tissue: from the manifest's sample_type
    first = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert first.returncode == 1, first.stderr          # LAB-999's positive has no patient
    assert "lab999.vcf sample LAB-999: unmatched: manifest line 5 names no patient" in first.stderr
    # NEG-1 has no ERBB2 record, but without --assay-covers-erbb2 no negative is claimed.
    # (P001_NORMAL, unmatched and without a variant, is likewise not_stored.)
    assert "registry: 5 samples: 2 not_stored, 2 stored, 1 unmatched" in first.stderr, first.stderr
    again = subprocess.run([*cmd, "--registry-only"], env=env, capture_output=True, text=True)
    assert "registry: 5 samples: 2 already_stored, 2 not_stored, 1 unmatched" in again.stderr, again.stderr
    assert "records" not in again.stderr            # --registry-only annotated nothing
    with Registry.open(db) as reg:
        alice = reg.authenticate("alice", PASSWORD)
        rows = reg.worklists(alice, names=(WORKLIST,))[WORKLIST]
        assert sorted(r.patient_id for r in rows) == ["PT-A", "PT-B"]
        assert reg.counts()["tests"] == 2


def test_the_command_line_refuses_to_guess_tissue_or_plasma(tmp_path):
    (tmp_path / "list.txt").write_text("x.vcf\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "her2scope", "sweep", str(tmp_path / "list.txt"), "-o",
                          str(tmp_path / "out"), "--registry", "--db", f"sqlite:///{tmp_path / 'r.db'}",
                          "--user", "alice"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and "--sample-type" in run.stderr and not (tmp_path / "out").exists()


def test_registry_only_without_a_sweep_names_the_missing_table(tmp_path):
    env = dict(os.environ, HER2SCOPE_PASSWORD=PASSWORD, NO_COLOR="1")
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    her2scope = [sys.executable, "-m", "her2scope"]
    subprocess.run([*her2scope, "registry", "init", "--db", db, "--admin", "alice"], env=env, check=True,
                   capture_output=True, cwd=ROOT)
    (tmp_path / "list.txt").write_text("x.vcf\n", encoding="utf-8")
    run = subprocess.run([*her2scope, "sweep", str(tmp_path / "list.txt"), "-o", str(tmp_path / "none"),
                          "--registry-only", "--sample-type", "tissue", "--db", db, "--user", "alice"],
                         env=env, capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and "files.parquet: no such table" in run.stderr
    assert "Traceback" not in run.stderr
