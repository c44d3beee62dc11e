"""DuckDB and Spark (local mode) run the same query definitions: identical results on TCGA, and
on a six-sample study both engines give the numbers worked out by hand (two engines agreeing on
the same SQL proves the transpilation, not the SQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from her2scope.cohort import queries as Q
from her2scope.cohort.analysis import CohortAnalysis, analyse, import_if_needed
from her2scope.cohort.engines import DuckDBEngine, SparkEngine, spark_session


@pytest.fixture(scope="module")
def spark():
    session = spark_session()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    folder = import_if_needed("demo", parquet=tmp_path_factory.mktemp("tcga_pq")).folder
    return folder


def test_identical_results_duckdb_vs_spark(spark, parquet):
    duck = analyse(parquet, DuckDBEngine(), with_statistics=False)
    spk = analyse(parquet, SparkEngine(spark), with_statistics=False)
    assert duck.calls == spk.calls
    for q in Q.RESULTS:
        assert spk.raw[q.name] == duck.raw[q.name], q.name
    assert {k: v for k, v in duck.summary.items() if k != "engine"} == \
           {k: v for k, v in spk.summary.items() if k != "engine"}
    assert spk.summary["engine"] == "spark" and spk.summary["her2_mutant_samples"] > 0


def test_identical_amplification_results_on_a_cna_study(spark, tmp_path):
    """The TCGA demo has no data_CNA.txt; a synthetic study with one (NA samples, a CNA-only sample,
    a sample with both an activating mutation and amplification) runs through both engines too."""
    from synthetic_study import make_cna_study

    folder = import_if_needed(make_cna_study(tmp_path / "study"), parquet=tmp_path / "pq").folder
    duck = analyse(folder, DuckDBEngine(), with_statistics=False)
    spk = analyse(folder, SparkEngine(spark), with_statistics=False)
    for q in Q.RESULTS:
        assert spk.raw[q.name] == duck.raw[q.name], q.name
    assert {k: v for k, v in duck.summary.items() if k != "engine"} == \
           {k: v for k, v in spk.summary.items() if k != "engine"}
    s = spk.summary
    assert (s["cna_profiled_samples"], s["her2_amplified_samples"], s["mutation_and_amplification_samples"]) == \
           (9, 4, 1)


def test_identical_results_on_a_datahub_shaped_study(spark, tmp_path):
    """lung_msk_2017 as datahub publishes it (meta data_filename, lower-case data_cna.txt, two panels,
    an extra mutation file, STAGE_AT_DIAGNOSIS / SMOKER): both engines, same rows, counts by hand."""
    from cohort_studies import lung_msk_2017_like

    folder = import_if_needed(lung_msk_2017_like(tmp_path / "study"), parquet=tmp_path / "pq").folder
    duck = analyse(folder, DuckDBEngine(), with_statistics=False)
    spk = analyse(folder, SparkEngine(spark), with_statistics=False)
    assert duck.calls == spk.calls
    for q in Q.RESULTS:
        assert spk.raw[q.name] == duck.raw[q.name], q.name
    s = spk.summary
    assert (s["profiled_samples"], s["her2_mutant_samples"], s["cna_profiled_samples"], s["her2_amplified_samples"],
            s["mutation_and_amplification_samples"]) == (12, 4, 11, 5, 2)


def test_every_query_transpiles_for_spark():
    for q in Q.VIEWS + Q.RESULTS + (Q.DISTINCT_ERBB2,):
        assert q.text("spark").strip()


# --- a six-sample study whose every number is worked out by hand ----------------------------------

_MAF_HEAD = ("Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
             "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode\tNCBI_Build\tHGVSp_Short")
_MAF_ROWS = (
    "ERBB2\t17\t37880981\t37880982\t-\tGCATACGTGATG\tIn_Frame_Ins\tINS\tA1\t37\tp.A775_G776insYVMA",
    "TP53\t17\t7577120\t7577120\tC\tT\tMissense_Mutation\tSNP\tA1\t37\tp.R273H",
    "ERBB2\t\t\t\t\t\tMissense_Mutation\tSNP\tA2\t\tp.S310F",
    "ERBB2\t17\t37864713\t37864713\tC\tT\tMissense_Mutation\tSNP\tA3\t37\tp.P122L",
    "EGFR\t7\t55259515\t55259515\tT\tG\tMissense_Mutation\tSNP\tA3\t37\tp.L858R",
    "KRAS\t12\t25398285\t25398285\tC\tA\tMissense_Mutation\tSNP\tA4\t37\tp.G12C",
    "TP53\t17\t7577120\t7577120\tC\tT\tMissense_Mutation\tSNP\tA4\t37\tp.R273H",
    "TP53\t17\t7577120\t7577120\tC\tT\tMissense_Mutation\tSNP\tA5\t37\tp.R273H",
    "ERBB2\t17\t37880981\t37880982\t-\tGCATACGTGATG\tIn_Frame_Ins\tINS\tA6\t37\tp.A775_G776insYVMA",
)
# sample: (histology, sex, OS months, OS status, panel, ERBB2 discrete copy number)
_SAMPLES = {
    "A1": ("LUAD", "Female", "10", "1:DECEASED", "WES", "2"),     # ERBB2 YVMA (activating) + TP53; amplified
    "A2": ("LUAD", "Male", "20", "0:LIVING", "WES", "0"),         # ERBB2 S310F, protein change only (activating)
    "A3": ("LUAD", "Female", "5", "1:DECEASED", "WES", "NA"),     # ERBB2 P122L (VUS) + EGFR L858R; CN not profiled
    "A4": ("LUAD", "Male", "7", "1:DECEASED", "WES", "2"),        # KRAS G12C + TP53; amplified
    "A5": ("LUSC", "Female", "3", "1:DECEASED", "WES", "-1"),     # TP53 only
    "A6": ("LUAD", "Male", "12", "1:DECEASED", "SMALL", "2"),     # ERBB2 YVMA on a panel without ERBB2
}


def _table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_text("\n".join(["#" + "\t".join(header)] * 4 + ["\t".join(header)]
                              + ["\t".join(r) for r in rows]) + "\n")


def _six_sample_study(d: Path) -> Path:
    d.mkdir(parents=True)
    (d / "meta_study.txt").write_text("cancer_study_identifier: six\nname: six samples\n")
    (d / "data_mutations_extended.txt").write_text(_MAF_HEAD + "\n" + "\n".join(_MAF_ROWS) + "\n")
    _table(d / "data_clinical_sample.txt", ["PATIENT_ID", "SAMPLE_ID", "ONCOTREE_CODE"],
           [[f"P{s}", s, v[0]] for s, v in _SAMPLES.items()])
    _table(d / "data_clinical_patient.txt", ["PATIENT_ID", "SEX", "AGE", "OS_STATUS", "OS_MONTHS"],
           [[f"P{s}", v[1], "65", v[3], v[2]] for s, v in _SAMPLES.items()])
    _table(d / "data_gene_panel_matrix.txt", ["SAMPLE_ID", "mutations"], [[s, v[4]] for s, v in _SAMPLES.items()])
    (d / "data_gene_panel_small.txt").write_text("stable_id: SMALL\ngene_list: TP53\tKRAS\tEGFR\n")
    samples = list(_SAMPLES)
    (d / "data_CNA.txt").write_text("\n".join([
        "\t".join(["Hugo_Symbol", "Entrez_Gene_Id", *samples]),
        "\t".join(["EGFR", "1956", *["2"] * len(samples)]),                 # EGFR's 2s never count
        "\t".join(["ERBB2", "2064", *[v[5] for v in _SAMPLES.values()]])]) + "\n")
    return d


# Worked out from the table above (A6 is not profiled for ERBB2 mutations: its panel lacks ERBB2).
BY_HAND = {
    "counts": [{"samples": 6, "profiled_erbb2": 5, "not_profiled_erbb2": 1, "profiled_fusions": 0,
                "profiled_cna_erbb2": 5, "patients": 6}],
    # profiled A1-A5; activating A1, A2; any ERBB2 variant A1, A2, A3 (A6 unprofiled)
    "prevalence": [{"profiled": 5, "mutant": 2, "any_erbb2": 3}],
    # CN profiled A1 A2 A4 A5 A6, amplified A1 A4 A6; both profiled A1 A2 A4 A5:
    # A1 mutation+amp, A2 mutation only, A4 amp only, A5 neither
    "amplification": [{"cna_profiled": 5, "amplified": 3, "both_profiled": 4, "mutation_and_amplification": 1,
                       "mutation_only": 1, "amplification_only": 1, "neither": 1}],
    "survival_counts": [  # one patient per sample; A6 (not profiled) has no driver group
        {"driver_group": "EGFR", "months": 5.0, "events": 1, "n": 1},
        {"driver_group": "HER2 activating", "months": 10.0, "events": 1, "n": 1},
        {"driver_group": "HER2 activating", "months": 20.0, "events": 0, "n": 1},
        {"driver_group": "KRAS", "months": 7.0, "events": 1, "n": 1},
        {"driver_group": "No driver detected", "months": 3.0, "events": 1, "n": 1}],
}
# (both, HER2 only, other only, neither) among A1-A5 (all on WES): EGFR A3, KRAS A4, TP53 A1 A4 A5
COMUTATION_BY_HAND = {"egfr": (0, 2, 1, 2), "kras": (0, 2, 1, 2), "tp53": (1, 1, 2, 1), "braf": (0, 2, 0, 3)}


def _by_hand_checks(res: CohortAnalysis) -> None:
    raw = res.raw
    for name, rows in BY_HAND.items():
        assert [{k: r[k] for k in rows[0]} for r in raw[name]] == rows, name
    by = {(r["dimension"], r["level"]): (r["profiled"], r["mutant"]) for r in raw["prevalence_by"]}
    assert (by["histology", "LUAD"], by["histology", "LUSC"]) == ((4, 2), (1, 0))
    assert (by["sex", "Female"], by["sex", "Male"]) == ((3, 1), (2, 1))
    comut = {r["key"]: (r["both_altered"], r["her2_only"], r["other_only"], r["neither"]) for r in raw["comutation"]}
    assert {k: comut[k] for k in COMUTATION_BY_HAND} == COMUTATION_BY_HAND
    # no structural-variant file: fusions are not assessed (no row counted), never "absent"
    assert comut["alk"] == (None, None, None, None)
    # HER2 first, then by the other drivers in order (EGFR, KRAS, ..., TP53)
    assert [r["sample_id"] for r in raw["oncoprint"]] == ["A1", "A2", "A3", "A4", "A5"]
    onco: dict[str, int] = {}       # YVMA and S310F: oncogenic (different classes); P122L: VUS
    for r in raw["spectrum"]:
        onco[r["oncogenicity"]] = onco.get(r["oncogenicity"], 0) + r["mutations"]
    assert onco == {"oncogenic": 2, "uncertain_significance": 1}
    s = res.summary
    assert (s["profiled_samples"], s["her2_mutant_samples"], s["prevalence"]) == (5, 2, 2 / 5)


def test_both_engines_give_the_hand_worked_numbers(spark, tmp_path):
    folder = import_if_needed(_six_sample_study(tmp_path / "study"), parquet=tmp_path / "pq").folder
    for engine in (DuckDBEngine(), SparkEngine(spark)):
        _by_hand_checks(analyse(folder, engine, with_statistics=False))
