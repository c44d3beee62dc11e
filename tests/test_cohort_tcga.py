"""The bundled TCGA LUAD + LUSC study: counts recomputed here from the raw bundled MAF."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import her2scope
from her2scope.cli import app
from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine
from her2scope.cohort.studies import demo_path

DEMO = demo_path()


def _raw_maf() -> list[dict]:
    with gzip.open(DEMO / "data_mutations.txt.gz", "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _oncotree() -> dict[str, str]:
    with open(DEMO / "data_clinical_sample.txt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh if not line.startswith("#")]
    head = rows[0]
    return {r[head.index("SAMPLE_ID")]: r[head.index("ONCOTREE_CODE")] for r in rows[1:]}


@pytest.fixture(scope="module")
def result():
    with analyse("demo", DuckDBEngine()) as res:
        yield res


@pytest.fixture(scope="module")
def raw_maf():
    return _raw_maf()


def test_bundled_files_are_small_and_attributed():
    for p in DEMO.rglob("*"):
        if p.is_file():
            assert p.stat().st_size < 5 * 1024 * 1024, p
    text = (DEMO / "SOURCES.md").read_text()
    for word in ("PoisonAlien/TCGAmutations", "MIT", "Firehose", "Oncotator", "open-access"):
        assert word in text


def test_luad_erbb2_rows_and_exon20_insertions(raw_maf, result):
    code = _oncotree()
    luad = [r for r in raw_maf if code[r["Tumor_Sample_Barcode"]] == "LUAD"]
    erbb2 = [r for r in luad if r["Hugo_Symbol"] == "ERBB2"]
    luad_samples = {r["Tumor_Sample_Barcode"] for r in luad}
    assert len(luad_samples) == 533
    assert len(erbb2) == 12 and len({r["Tumor_Sample_Barcode"] for r in erbb2}) == 12
    ex20_ins = [r for r in erbb2 if r["Variant_Classification"] == "In_Frame_Ins"
                and 37880979 <= int(r["Start_Position"]) <= 37881164]   # exon 20, GRCh37 (UTA exon table)
    assert len(ex20_ins) == 6
    rows = [r for r in result.raw["erbb2_rows"] if r["histology"] == "LUAD"]
    assert len(rows) == len(erbb2)
    ex20 = [r for r in rows if r["alteration_class"].startswith("exon20_insertion")]
    assert len(ex20) == 6
    yvma = sum(1 for r in erbb2 if r["Protein_Change"] == "p.771_771A>AYVMA")
    assert sum(1 for r in rows if r["protein_change"] == "p.Y772_A775dup") == yvma == 4


def test_prevalence_matches_engine_calls_per_raw_row(raw_maf, result):
    """Numerator: samples with an ERBB2 row the engine calls activating, called row by row here."""
    mutant = set()
    for r in raw_maf:
        if r["Hugo_Symbol"] != "ERBB2":
            continue
        ref = "" if r["Reference_Allele"] == "-" else r["Reference_Allele"]
        alt = "" if r["Tumor_Seq_Allele2"] == "-" else r["Tumor_Seq_Allele2"]
        v = her2scope.interpret_allele(her2scope.Build.GRCh37, int(r["Start_Position"]), ref, alt)
        if v.classification.oncogenicity in ("oncogenic", "likely_oncogenic"):
            mutant.add(r["Tumor_Sample_Barcode"])
    samples = {r["Tumor_Sample_Barcode"] for r in raw_maf}
    s = result.summary
    assert s["profiled_samples"] == len(samples) == 709
    assert s["her2_mutant_samples"] == len(mutant)
    assert s["erbb2_variants_with_errors"] == 0
    luad = next(r for r in result.stats["prevalence_by"]
                if r["dimension"] == "histology" and r["level"] == "LUAD")
    assert luad["profiled"] == 533


def test_oncotator_spelling_equals_coordinates():
    a = her2scope.interpret_protein("p.771_771A>AYVMA")
    b = her2scope.interpret_allele(her2scope.Build.GRCh37, 37880981, "", "GCATACGTGATG")
    assert a.protein_change == b.protein_change == "p.Y772_A775dup"


def test_drivers_counted_only_by_rules(raw_maf, result):
    egfr_l858r = {r["Tumor_Sample_Barcode"] for r in raw_maf
                  if r["Hugo_Symbol"] == "EGFR" and r["Protein_Change"] == "p.L858R"}
    oncoprint = {r["sample_id"]: r for r in result.raw["oncoprint"]}
    assert egfr_l858r and all(oncoprint[s]["egfr"] == 1 for s in egfr_l858r)
    # no SV file: fusions are not assessed (-1), never "absent" (0)
    assert all(r["alk"] == -1 for r in oncoprint.values())
    comut = {r["key"]: r for r in result.stats["comutation"]}
    assert comut["alk"]["assessed"] is False and comut["egfr"]["assessed"] is True


def test_cli_prevalence_json_contract():
    out = CliRunner().invoke(app, ["cohort", "prevalence", "demo", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout.strip().splitlines()[-1])
    for key in ("profiled_samples", "her2_mutant_samples", "prevalence", "ci95", "engine"):
        assert key in doc
    assert doc["engine"] == "duckdb" and len(doc["ci95"]) == 2
    assert doc["ci95"][0] <= doc["prevalence"] <= doc["ci95"][1]
    assert "oncogenic or likely_oncogenic" in doc["definition"]
    # the demo has no data_CNA.txt: amplification is not assessed (null), never 0
    for key in ("cna_profiled_samples", "her2_amplified_samples", "amplification_prevalence",
                "mutation_and_amplification_samples", "amplification_by"):
        assert doc[key] is None, key
    assert doc["amplification_ci95"] == [None, None] and doc["amplification_assessed"] is False
    assert "not assessed" in doc["amplification_definition"]


def test_demo_amplification_not_assessed(result):
    assert not (DEMO / "data_CNA.txt").exists()
    s = result.summary
    assert s["cna_profiled_samples"] is None and s["her2_amplified_samples"] is None
    assert s["amplification_prevalence"] is None and s["mutation_and_amplification_samples"] is None
    assert result.raw["counts"][0]["profiled_cna_erbb2"] == 0
    assert result.stats["amplification_overlap"] is None and result.stats["amplification_by"] == []


def test_cli_report_is_self_contained(tmp_path: Path):
    out = tmp_path / "cohort.html"
    res = CliRunner().invoke(app, ["cohort", "report", str(demo_path()), "-o", str(out),
                                   "--figures", str(tmp_path / "figs")])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64,") == 4
    assert "n = 709" in html and "Activating HER2 mutation" in html
    assert "ERBB2 amplification: <b>not assessed</b> (the study has no discrete copy-number file (data_cna.txt))" in html
    for name in ("lollipop", "spectrum", "oncoprint", "km"):
        assert (tmp_path / "figs" / f"{name}.png").stat().st_size > 1000
        assert (tmp_path / "figs" / f"{name}.svg").read_text().lstrip().startswith("<?xml")


def test_demo_path_command():
    out = CliRunner().invoke(app, ["cohort", "demo-path"])
    assert out.exit_code == 0 and Path(out.stdout.strip()) == DEMO


def test_import_her2scope_stays_light():
    import subprocess
    import sys

    code = ("import sys, her2scope, her2scope.cli; "
            "print(sorted(m for m in ('duckdb','pandas','pyspark','matplotlib','lifelines') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
