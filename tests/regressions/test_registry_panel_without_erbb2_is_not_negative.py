"""The registry took every resulted NGS row without ERBB2 variants as a negative, whatever the
assay: a small panel that does not look at ERBB2 (an EGFR/KRAS/ALK hotspot panel) gave
'no ERBB2 mutation' and took the patient off the 'advanced NSCLC without NGS' worklist. The CSV
import now takes the panel's genes (optional ``genes_covered`` column, as a case file's
ngs[].genes_covered): without ERBB2 (or HER2) the test is 'not assessed' and the patient stays on
the worklist; without the column the assay is taken as a broad panel, as before."""

from __future__ import annotations

import datetime as dt

import pytest
from registry_helpers import TODAY, sqlite_manager  # noqa: F401 (a fixture)


DAY = (TODAY - dt.timedelta(days=3)).isoformat()
HEAD = "patient_id,histology,stage,test_type,test_id,resulted,erbb2_variants,result,genes_covered\n"


@pytest.fixture
def reg(sqlite_manager):
    return sqlite_manager


def _import(r, user, tmp_path, *rows: str, name: str = "ngs.csv"):
    path = tmp_path / name
    path.write_text(HEAD + "\n".join(rows) + "\n")
    return r.import_csv(path, user, today=TODAY)


def _ngs_status(r, user, patient: str) -> str:
    return next(t for t in r.patient_detail(patient, user).tests if t.test_type == "ngs_tissue").result.her2_status


def _without_ngs(r, user) -> list[str]:
    return [w.patient_id for w in r.worklists(user, today=TODAY)["advanced_without_ngs"]]


def test_a_panel_without_erbb2_is_not_a_negative_and_keeps_the_patient_on_the_worklist(reg, tmp_path):
    r, dm = reg
    rep = _import(r, dm, tmp_path, f"SMALL-1,adenocarcinoma,IVB,ngs_tissue,S1,{DAY},,,EGFR;KRAS;ALK",
                  f"WIDE-1,adenocarcinoma,IVB,ngs_tissue,W1,{DAY},,,EGFR;ERBB2;KRAS",
                  f"BROAD-1,adenocarcinoma,IVB,ngs_tissue,B1,{DAY},,,")
    assert rep.rows_imported == 3, rep.rejected
    assert _ngs_status(r, dm, "SMALL-1") == "not_assessed"
    assert _ngs_status(r, dm, "WIDE-1") == "negative"
    assert _ngs_status(r, dm, "BROAD-1") == "negative"        # no genes given: a broad panel
    assert _without_ngs(r, dm) == ["SMALL-1"]


def test_her2_as_the_gene_name_counts_as_erbb2(reg, tmp_path):
    r, dm = reg
    rep = _import(r, dm, tmp_path, f"ALIAS-1,adenocarcinoma,IVB,ngs_tissue,A1,{DAY},,,EGFR;her2")
    assert rep.rows_imported == 1, rep.rejected
    assert _ngs_status(r, dm, "ALIAS-1") == "negative"


def test_a_corrected_gene_list_reinterprets_the_stored_result(reg, tmp_path):
    r, dm = reg
    _import(r, dm, tmp_path, f"FIX-1,adenocarcinoma,IVB,ngs_tissue,F1,{DAY},,,")
    assert _ngs_status(r, dm, "FIX-1") == "negative"
    rep = _import(r, dm, tmp_path, f"FIX-1,adenocarcinoma,IVB,ngs_tissue,F1,{DAY},,,EGFR;KRAS", name="fix.csv")
    assert rep.rows_imported == 1, rep.rejected
    assert _ngs_status(r, dm, "FIX-1") == "not_assessed"
    assert _without_ngs(r, dm) == ["FIX-1"]


@pytest.mark.parametrize("row,reason", [
    (f"X-1,,,ihc,X1,{DAY},,2+,EGFR", "genes_covered given for a ihc test"),
    (f"X-2,,,ngs_tissue,X2,{DAY},,,EGFR KRAS", "genes_covered must be gene symbols separated by ';'"),
    (f"X-3,,,ngs_tissue,X3,{DAY},,,EGFR;;KRAS", "genes_covered must be gene symbols separated by ';'"),
    (f"X-4,,,ngs_tissue,X4,{DAY},p.Y772_A775dup,,EGFR;KRAS",
     "erbb2_variants given but genes_covered does not include ERBB2"),
    ("X-5,,,,,,,,EGFR", "test columns are filled but test_type is empty"),
])
def test_bad_gene_lists_are_rejected_with_the_reason(reg, tmp_path, row, reason):
    r, dm = reg
    rep = _import(r, dm, tmp_path, row)
    assert rep.rows_imported == 0 and any(reason in x.reason for x in rep.rejected), rep.rejected


def test_the_patients_report_says_the_panel_did_not_cover_erbb2(reg, tmp_path):
    from pathlib import Path

    from her2scope.case.picture import build_picture
    from her2scope.registry.clinical import check_update

    r, dm = reg
    _import(r, dm, tmp_path, f"SMALL-2,adenocarcinoma,IVB,ngs_tissue,S2,{DAY},,,EGFR;KRAS")
    r.update_clinical("SMALL-2", check_update(region="US"), dm)
    case = r.patient_case("SMALL-2", dm).case
    assert case is not None and case.ngs[0].genes_covered == ["EGFR", "KRAS"]
    mutation = build_picture(case, Path(".")).mutation
    assert mutation.status == "not_assessed"
    assert "does not include ERBB2" in mutation.summary


def test_reinterpretation_keeps_the_panel_genes(reg, tmp_path):
    from sqlalchemy import text

    r, dm = reg
    _import(r, dm, tmp_path, f"RE-1,adenocarcinoma,IVB,ngs_tissue,R1,{DAY},,,EGFR;ERBB2",
            f"RE-2,adenocarcinoma,IVB,ngs_tissue,R2,{DAY},,,EGFR;KRAS")
    with r.engine.begin() as conn:        # as if made with an older knowledge base
        conn.execute(text("UPDATE results SET knowledge_version = 'old'"))
    covered, small = r.reinterpret("RE-1", dm), r.reinterpret("RE-2", dm)
    assert len(covered) == 1 and "negative (knowledge old) -> negative" in covered[0]
    test = next(t for t in r.patient_detail("RE-1", dm).tests if t.test_type == "ngs_tissue")
    assert test.result.picture["genes_covered"] == ["EGFR", "ERBB2"] and test.result.knowledge_version != "old"
    assert len(small) == 1 and "the panel does not cover ERBB2" in small[0]
    assert _ngs_status(r, dm, "RE-2") == "not_assessed"


def test_cli_attach_takes_the_panel_genes(tmp_path):
    from registry_helpers import DEMO
    from typer.testing import CliRunner

    from her2scope.cli import app

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"HER2SCOPE_PASSWORD": "cli-admin-password"}

    def run(*args):
        return CliRunner().invoke(app, ["registry", *args, "--db", db], env=env)

    assert run("init", "--admin", "cli-admin").exit_code == 0
    (tmp_path / "dx.csv").write_text("patient_id,histology,stage\nATT-1,adenocarcinoma,IVB\n")
    assert run("import", str(tmp_path / "dx.csv"), "--user", "cli-admin").exit_code == 0
    vcf = str(DEMO / "patient01_yvma_grch38.vcf")       # the normal column holds no ERBB2 variant
    attach = ("attach", "ATT-1", vcf, "--user", "cli-admin", "--sample", "P001_NORMAL")
    small = run(*attach, "--genes-covered", "EGFR;KRAS")
    assert small.exit_code == 0 and "does not include ERBB2" in small.output, small.output
    bad = run(*attach, "--genes-covered", "EGFR KRAS")
    assert bad.exit_code == 2 and "genes_covered must be gene symbols" in bad.output
    broad = run(*attach)
    assert broad.exit_code == 0 and "No activating ERBB2 mutation" in broad.output, broad.output
