"""Issue 12 item 7: 'her2scope cohort import' of a study folder to Parquet, then every analysis
from the Parquet, gives the same numbers as from the folder (on a real-shaped study)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from cohort_studies import lung_msk_2017_like, nsclc_pd1_msk_2018_like

from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine
from her2scope.cohort.importer import import_study
from her2scope.cohort.studies import open_study


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("build", [lung_msk_2017_like, nsclc_pd1_msk_2018_like])
def test_folder_and_imported_parquet_agree(tmp_path: Path, build):
    d = build(tmp_path / "study")
    folder = analyse(d, DuckDBEngine())
    folder.close()
    import_study(open_study(d), tmp_path / "study.parquet")
    parquet = analyse(tmp_path / "study.parquet", DuckDBEngine())
    assert not parquet.study.owns_folder                   # read as imported, not imported again
    assert _same(folder.raw, parquet.raw)
    assert _same(folder.stats, parquet.stats)
    assert _same(folder.summary, parquet.summary)
    assert folder.summary["files_used"] and folder.summary["her2_mutant_samples"] > 0
