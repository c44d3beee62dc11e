"""The DuckDB engine pasted the Parquet folder into its SQL text (``read_parquet('<path>')``), so an
imported study in a folder named ``o'k`` failed with "unterminated string literal" (and a crafted
name could have changed the statement). The path now goes through DuckDB's relation API, never
into SQL text. Expected counts by hand in tests/cohort_studies.py (lung_msk_2017_like: 4 of 12
profiled samples carry an activating HER2 mutation)."""

from __future__ import annotations

from cohort_studies import lung_msk_2017_like

from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine


def test_parquet_folder_with_quotes_is_read(tmp_path):
    study = lung_msk_2017_like(tmp_path / "study")
    parquet = tmp_path / "o'k \"parquet\"; DROP VIEW samples; --"
    engine = DuckDBEngine()
    try:
        res = analyse(study, engine, parquet=parquet, with_statistics=False)
    finally:
        engine.close()
    assert (res.summary["her2_mutant_samples"], res.summary["profiled_samples"]) == (4, 12)
