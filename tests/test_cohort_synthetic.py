"""Synthetic cohorts with known answers: denominators, Wilson CI, KM median, error reporting."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest
from synthetic_study import (CNA_ERBB2, MAF_HEAD, TP53, YVMA, add_cna, make_cna_study, make_study,
                             write_clinical_table)

from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine
from her2scope.cohort.errors import StudyFileError
from her2scope.cohort.importer import import_study
from her2scope.cohort.stats import benjamini_hochberg, kaplan_meier, km_median_from_counts, wilson
from her2scope.cohort.studies import open_study
from her2scope.cohort.tcga import FirehoseCohort, convert


@pytest.fixture()
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path / "study")


def test_denominator_excludes_samples_whose_panel_lacks_erbb2(study: Path):
    res = analyse(study, DuckDBEngine())
    s = res.summary
    assert s["profiled_samples"] == 8                      # S09, S10 (panel without ERBB2), S11 (NA)
    assert s["her2_mutant_samples"] == 2                   # S01 YVMA, S02 S310F from the protein change
    assert s["samples_not_profiled_for_erbb2"] == 3
    assert s["erbb2_variants_with_errors"] == 1            # S04: reported, never dropped
    rows = {r["sample_id"]: r for r in res.raw["erbb2_rows"]}
    assert rows["S04"]["error"] and "ref_mismatch" in rows["S04"]["error"]
    assert rows["S09"]["profiled"] is False
    assert rows["S02"]["call_source"] == "protein_change"
    res.close()


def test_prevalence_and_wilson_against_hand_formula(study: Path):
    res = analyse(study, DuckDBEngine(), with_statistics=False)
    k, n, z = 2, 8, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert res.summary["prevalence"] == pytest.approx(0.25)
    assert res.summary["ci95"] == pytest.approx([centre - half, centre + half], abs=1e-12)
    assert wilson(0, 10)[0] == 0.0 and math.isnan(wilson(0, 0)[0])
    res.close()


def test_km_median_of_constructed_dataset():
    # HER2: deaths at 1, 2, 3, 4, 5 months -> S(3) = 2/5 <= 0.5, median 3.
    # Other: 4 patients, death at 2, censored at 3, deaths at 6 and 8 -> S: .75, .75, .375 -> median 6.
    counts = ([{"driver_group": "HER2", "months": float(t), "events": 1, "n": 1} for t in range(1, 6)]
              + [{"driver_group": "Other", "months": 2.0, "events": 1, "n": 1},
                 {"driver_group": "Other", "months": 3.0, "events": 0, "n": 1},
                 {"driver_group": "Other", "months": 6.0, "events": 1, "n": 1},
                 {"driver_group": "Other", "months": 8.0, "events": 1, "n": 1}])
    curves = {c.group: c for c in kaplan_meier(counts)}
    assert curves["HER2"].median == 3.0 and curves["HER2"].n == 5
    assert curves["Other"].median == 6.0 and curves["Other"].events == 3
    assert km_median_from_counts([(1.0, 1, 1), (2.0, 1, 1), (3.0, 1, 1), (4.0, 1, 1), (5.0, 1, 1)]) == 3.0
    # aggregated ties give the same answer as one row per patient
    tied = [{"driver_group": "G", "months": 2.0, "events": 3, "n": 4},
            {"driver_group": "G", "months": 5.0, "events": 1, "n": 2}]
    assert kaplan_meier(tied)[0].median == 2.0


def test_benjamini_hochberg():
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])  # by hand: 4p/rank, then running min from the top


def test_bad_start_position_names_file_and_line(tmp_path: Path):
    maf = tmp_path / "calls.maf"
    maf.write_text(MAF_HEAD + "\n" + YVMA.format(s="A") + "\n" + TP53.format(s="B").replace("7577120\t7577120", "x12\t12") + "\n")
    with pytest.raises(StudyFileError) as err:
        import_study(open_study(maf), tmp_path / "pq")
    assert err.value.line == 3 and "calls.maf" in err.value.message


def test_missing_required_column(tmp_path: Path):
    maf = tmp_path / "calls.maf"
    maf.write_text("Hugo_Symbol\tChromosome\nERBB2\t17\n")
    with pytest.raises(StudyFileError, match="Tumor_Sample_Barcode"):
        open_study(maf)


def test_plain_maf_with_clinical_tsv(tmp_path: Path):
    maf = tmp_path / "calls.maf"
    maf.write_text(MAF_HEAD + "\n" + YVMA.format(s="A") + "\n" + TP53.format(s="B") + "\n")
    clin = tmp_path / "clinical.tsv"
    clin.write_text("SAMPLE_ID\tSEX\nA\tFemale\nB\tMale\nC\tMale\n")
    res = analyse(maf, DuckDBEngine(), clinical=clin, with_statistics=False)
    # C has no MAF row and no panel information: not known to be sequenced -> not profiled
    assert res.summary["profiled_samples"] == 2 and res.summary["her2_mutant_samples"] == 1
    res.close()


def test_firehose_converter(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    head = ("Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
            "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode\tCenter\tNCBI_Build\tProtein_Change\tt_depth\tt_vaf")
    body = ("ERBB2\t17\t37880981\t37880982\t-\tGCATACGTGATG\tIn_Frame_Ins\tINS\tTCGA-AA-0001\tbroad\t37\t"
            "p.771_771A>AYVMA\t83\t0.1\nTP53\t17\t7577120\t7577120\tC\tT\tMissense_Mutation\tSNP\tTCGA-AA-0002\t"
            "broad\t37\t\"\"\t10\t0.5\n")
    with gzip.open(src / "luad.maf.tsv.gz", "wt") as fh:
        fh.write(head + "\n" + body)
    (src / "luad_clin.tsv").write_text(
        "Tumor_Sample_Barcode\tgender\tvital_status\tdays_to_death\tdays_to_last_followup\t"
        "tobacco_smoking_history\tstage_event_pathologic_stage\tage_at_initial_pathologic_diagnosis\n"
        "TCGA-AA-0001\tFEMALE\t1\t365.25\t\t1\tStage_IIIA\t61\n")
    counts = convert([FirehoseCohort("LUAD", src / "luad.maf.tsv.gz", src / "luad_clin.tsv")], tmp_path / "out")
    assert counts["LUAD"] == {"maf_rows": 2, "samples": 2, "clinical_rows": 1, "samples_without_clinical": 1,
                              "clinical_without_maf": 0}
    res = analyse(tmp_path / "out", DuckDBEngine())
    assert res.summary["profiled_samples"] == 2 and res.summary["her2_mutant_samples"] == 1
    km = res.stats["km"]
    assert [(k["group"], k["n"], k["events"], k["median"]) for k in km] == [("HER2 activating", 1, 1, 12.0)]
    res.close()


# --- ERBB2 copy number (data_CNA.txt) -------------------------------------------------------------

def _wilson_by_hand(k: int, n: int) -> list[float]:
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return [centre - half, centre + half]


def test_cna_amplification_counts_by_hand(tmp_path: Path):
    res = analyse(make_cna_study(tmp_path / "study"), DuckDBEngine())
    s = res.summary
    assert s["amplification_assessed"] is True
    assert s["cna_profiled_samples"] == 9                  # NA samples (S04, S08 empty, S11) excluded
    assert s["her2_amplified_samples"] == 4                # EGFR's 2s never counted
    assert s["amplification_prevalence"] == pytest.approx(4 / 9)
    assert s["amplification_ci95"] == pytest.approx(_wilson_by_hand(4, 9), abs=1e-12)
    assert s["mutation_and_amplification_samples"] == 1
    assert s["mutation_and_cna_profiled_samples"] == 6
    assert "copy number 2" in s["amplification_definition"]
    # mutations untouched: amplification is never merged into the activating-mutation numbers
    assert (s["profiled_samples"], s["her2_mutant_samples"]) == (8, 2)
    assert s["samples_total"] == 12                        # S12 only in the CNA matrix
    ov = res.stats["amplification_overlap"]
    assert (ov["mutation_and_amplification"], ov["mutation_only"], ov["amplification_only"], ov["neither"]) == \
           (1, 1, 2, 2)
    luad = next(r for r in res.stats["amplification_by"] if r["dimension"] == "histology")
    assert (luad["level"], luad["amplified"], luad["profiled"]) == ("LUAD", 4, 8)   # S12: no clinical row
    # driver groups and the oncoprint know nothing of amplification
    assert all("her2_amp" not in r for r in res.raw["oncoprint"])
    groups = {r["patient_id"]: r["driver_group"] for r in res.raw["survival_patients"]}
    assert groups["PS01"] == "HER2 activating" and groups["PS03"] != "HER2 activating"   # S03: amplified only
    assert any("not profiled for ERBB2 copy number" in w for w in s["warnings"])
    res.close()


def test_cna_panel_column_restricts_profiling(tmp_path: Path):
    d = make_cna_study(tmp_path / "study")
    # cna column: S03 on SMALL (no ERBB2) -> its 2 is not counted; S05 NA; S10 SMALL; S12 not in the matrix
    # (falls back to its non-NA value). Profiled: S01 S02 S06 S07 S09 S12 = 6; amplified S01 S07 S09 = 3.
    cna_panel = {"S03": "SMALL", "S05": "NA", "S10": "SMALL", "S11": "NA"}
    mut_panel = {"S09": "SMALL", "S10": "SMALL", "S11": "NA"}
    write_clinical_table(d / "data_gene_panel_matrix.txt", ["SAMPLE_ID", "mutations", "cna"],
                         [[f"S{i:02d}", mut_panel.get(f"S{i:02d}", "WES"), cna_panel.get(f"S{i:02d}", "WES")]
                          for i in range(1, 12)])
    res = analyse(d, DuckDBEngine(), with_statistics=False)
    s = res.summary
    assert (s["cna_profiled_samples"], s["her2_amplified_samples"]) == (6, 3)
    assert s["mutation_and_amplification_samples"] == 1
    assert s["mutation_and_cna_profiled_samples"] == 4      # S01 S02 S06 S07
    assert (s["profiled_samples"], s["her2_mutant_samples"]) == (8, 2)
    res.close()


def test_cna_entrez_only_matrix(tmp_path: Path):
    d = add_cna(make_study(tmp_path / "study"), gene_columns=("Entrez_Gene_Id",))
    res = analyse(d, DuckDBEngine(), with_statistics=False)
    assert (res.summary["cna_profiled_samples"], res.summary["her2_amplified_samples"]) == (9, 4)
    res.close()


def test_cna_without_erbb2_row_is_not_assessed(tmp_path: Path):
    d = add_cna(make_study(tmp_path / "study"), erbb2_ids=("MYC", "4609"))
    res = analyse(d, DuckDBEngine(), with_statistics=False)
    s = res.summary
    assert s["cna_profiled_samples"] == 0 and s["amplification_assessed"] is False
    assert s["her2_amplified_samples"] is None and s["amplification_prevalence"] is None
    assert any("no ERBB2 row" in w for w in s["warnings"])
    res.close()


@pytest.mark.parametrize("bad", ["3", "amp", "2.5"])
def test_cna_bad_value_names_file_line_and_sample(tmp_path: Path, bad: str):
    d = add_cna(make_study(tmp_path / "study"), {**CNA_ERBB2, "S05": bad})
    with pytest.raises(StudyFileError) as err:
        import_study(open_study(d), tmp_path / "pq")
    assert err.value.line == 3 and "data_CNA.txt" in err.value.message and "S05" in err.value.message


def test_cna_duplicate_erbb2_rows_rejected(tmp_path: Path):
    d = add_cna(make_study(tmp_path / "study"))
    with open(d / "data_CNA.txt", "a") as fh:
        fh.write("\t".join(["ERBB2", "2064", *["0"] * len(CNA_ERBB2)]) + "\n")
    with pytest.raises(StudyFileError, match="ERBB2 appears in 2 rows"):
        import_study(open_study(d), tmp_path / "pq")


def test_cna_report_and_cli(tmp_path: Path):
    from typer.testing import CliRunner

    from her2scope.cli import app

    d = make_cna_study(tmp_path / "study")
    out = CliRunner().invoke(app, ["cohort", "prevalence", str(d), "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout.strip().splitlines()[-1])
    assert (doc["cna_profiled_samples"], doc["her2_amplified_samples"], doc["mutation_and_amplification_samples"]) \
        == (9, 4, 1)
    assert doc["amplification_ci95"] == pytest.approx(_wilson_by_hand(4, 9), abs=1e-12)
    assert (doc["profiled_samples"], doc["her2_mutant_samples"]) == (8, 2)
    html = tmp_path / "cohort.html"
    res = CliRunner().invoke(app, ["cohort", "report", str(d), "-o", str(html)])
    assert res.exit_code == 0, res.output
    text = html.read_text()
    assert "ERBB2 amplification (copy number; a separate alteration)" in text
    assert "<b>4 / 9</b> samples profiled for ERBB2 copy number" in text
    assert "HER2-positive" not in text.replace("&#x27;HER2-positive&#x27;", "")


def test_old_import_schema_is_refused(tmp_path: Path):
    pq = tmp_path / "pq"
    import_study(open_study(make_study(tmp_path / "study")), pq)
    m = json.loads((pq / "her2scope_cohort.json").read_text())
    m["schema_version"] = 1
    (pq / "her2scope_cohort.json").write_text(json.dumps(m))
    with pytest.raises(StudyFileError, match="older her2scope"):
        analyse(pq, DuckDBEngine())
