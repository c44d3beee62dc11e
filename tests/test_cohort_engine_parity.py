"""DuckDB and Spark (local mode) run the same query definitions: identical results on TCGA."""

from __future__ import annotations

import pytest

from her2scope.cohort import queries as Q
from her2scope.cohort.analysis import analyse, import_if_needed
from her2scope.cohort.engines import DuckDBEngine, SparkEngine, spark_session


@pytest.fixture(scope="module")
def spark():
    session = spark_session()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    folder, _, _ = import_if_needed("demo", parquet=tmp_path_factory.mktemp("tcga_pq"))
    return folder


def test_identical_results_duckdb_vs_spark(spark, parquet):
    duck = analyse(parquet, DuckDBEngine(), with_statistics=False)
    spk = analyse(parquet, SparkEngine(spark), with_statistics=False)
    assert duck["calls"] == spk["calls"]
    for q in Q.RESULTS:
        assert spk["raw"][q.name] == duck["raw"][q.name], q.name
    assert {k: v for k, v in duck["summary"].items() if k != "engine"} == \
           {k: v for k, v in spk["summary"].items() if k != "engine"}
    assert spk["summary"]["engine"] == "spark" and spk["summary"]["her2_mutant_samples"] > 0


def test_identical_amplification_results_on_a_cna_study(spark, tmp_path):
    """The TCGA demo has no data_CNA.txt; a synthetic study with one (NA samples, a CNA-only sample,
    a sample with both an activating mutation and amplification) runs through both engines too."""
    from test_cohort_synthetic import make_cna_study

    folder, _, _ = import_if_needed(make_cna_study(tmp_path / "study"), parquet=tmp_path / "pq")
    duck = analyse(folder, DuckDBEngine(), with_statistics=False)
    spk = analyse(folder, SparkEngine(spark), with_statistics=False)
    for q in Q.RESULTS:
        assert spk["raw"][q.name] == duck["raw"][q.name], q.name
    assert {k: v for k, v in duck["summary"].items() if k != "engine"} == \
           {k: v for k, v in spk["summary"].items() if k != "engine"}
    s = spk["summary"]
    assert (s["cna_profiled_samples"], s["her2_amplified_samples"], s["mutation_and_amplification_samples"]) == \
           (9, 4, 1)


def test_identical_results_on_a_datahub_shaped_study(spark, tmp_path):
    """lung_msk_2017 as datahub publishes it (meta data_filename, lower-case data_cna.txt, two panels,
    an extra mutation file, STAGE_AT_DIAGNOSIS / SMOKER): both engines, same rows, counts by hand."""
    from cohort_studies import lung_msk_2017_like

    folder, _, _ = import_if_needed(lung_msk_2017_like(tmp_path / "study"), parquet=tmp_path / "pq")
    duck = analyse(folder, DuckDBEngine(), with_statistics=False)
    spk = analyse(folder, SparkEngine(spark), with_statistics=False)
    assert duck["calls"] == spk["calls"]
    for q in Q.RESULTS:
        assert spk["raw"][q.name] == duck["raw"][q.name], q.name
    s = spk["summary"]
    assert (s["profiled_samples"], s["her2_mutant_samples"], s["cna_profiled_samples"], s["her2_amplified_samples"],
            s["mutation_and_amplification_samples"]) == (12, 4, 11, 5, 2)


def test_every_query_transpiles_for_spark():
    for q in Q.VIEWS + Q.RESULTS + (Q.DISTINCT_ERBB2,):
        assert q.text("spark").strip()
