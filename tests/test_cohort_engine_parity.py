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


def test_every_query_transpiles_for_spark():
    for q in Q.VIEWS + Q.RESULTS + (Q.DISTINCT_ERBB2,):
        assert q.text("spark").strip()
