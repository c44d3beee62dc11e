"""Issue 11 item 5: ``analyse()`` returned a dict holding a TemporaryDirectory under "_tmp"; every
caller had to remember ``res["_tmp"].cleanup()`` and an exception between the import and that
call left the imported Parquet tables in /tmp. The result is now a ``CohortAnalysis`` that owns
its temporary import folder: gone after the ``with`` block, after ``close()`` (twice is harmless),
after an exception inside the block and after a failure inside ``analyse`` itself; a folder the
user imported is never removed; the numbers stay readable after close, the folder does not."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from synthetic_study import make_study

from her2scope.cohort import analysis
from her2scope.cohort.analysis import CohortAnalysis, analyse
from her2scope.cohort.engines import DuckDBEngine
from her2scope.cohort.errors import AnalysisClosedError, StudyFileError


@pytest.fixture(autouse=True)
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folders of this test only (other runs may import studies into /tmp meanwhile)."""
    d = tmp_path / "tmp"
    d.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(d))
    return d


def _cohort_tmp_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("her2scope-cohort-*"))


@pytest.fixture()
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path / "study")


def test_folder_is_gone_after_the_with_block(study: Path):
    before = _cohort_tmp_folders()
    with analyse(study, DuckDBEngine(), with_statistics=False) as res:
        folder = res.folder
        assert (folder / "mutations.parquet").is_file()        # the import is there while open
        assert folder in _cohort_tmp_folders() - before
    assert not folder.exists()
    assert _cohort_tmp_folders() == before
    assert res.closed
    # the numbers do not need the folder: S01 YVMA and S02 S310F among the 8 profiled (make_study)
    assert (res.summary["her2_mutant_samples"], res.summary["profiled_samples"]) == (2, 8)
    with pytest.raises(AnalysisClosedError, match="closed"):
        res.folder


def test_close_removes_the_folder_and_twice_is_harmless(study: Path):
    res = analyse(study, DuckDBEngine(), with_statistics=False)
    folder = res.folder
    res.close()
    assert not folder.exists()
    res.close()
    assert res.closed and not folder.exists()


def test_folder_is_gone_after_an_exception_inside_the_block(study: Path):
    before = _cohort_tmp_folders()
    with pytest.raises(RuntimeError, match="inside the block"):
        with analyse(study, DuckDBEngine(), with_statistics=False) as res:
            folder = res.folder
            raise RuntimeError("inside the block")
    assert not folder.exists()
    assert _cohort_tmp_folders() == before


def test_folder_is_gone_when_analyse_itself_fails(study: Path, monkeypatch: pytest.MonkeyPatch):
    """A failure after the import (here in the queries) removes the folder before it propagates."""
    def broken(engine, queries):
        raise RuntimeError("query failed")

    monkeypatch.setattr(analysis, "run_queries", broken)
    before = _cohort_tmp_folders()
    with pytest.raises(RuntimeError, match="query failed"):
        analyse(study, DuckDBEngine(), with_statistics=False)
    assert _cohort_tmp_folders() == before


def test_a_folder_the_user_imported_is_kept(study: Path, tmp_path: Path):
    parquet = tmp_path / "pq"
    with analyse(study, DuckDBEngine(), parquet=parquet, with_statistics=False) as res:
        assert not res.study.owns_folder
    assert (parquet / "mutations.parquet").is_file()
    with analyse(parquet, DuckDBEngine(), with_statistics=False) as again:   # read as imported
        assert not again.study.owns_folder and again.folder == parquet
    assert (parquet / "mutations.parquet").is_file()


def test_as_dict_has_the_keys_of_the_old_dict(study: Path):
    with analyse(study, DuckDBEngine()) as res:
        assert isinstance(res, CohortAnalysis)
        d = res.as_dict()
        assert list(d) == ["manifest", "raw", "calls", "summary", "stats", "timings"]
        assert list(d["timings"]) == ["import_s", "calls_and_views_s", "queries_s", "statistics_s"]
    with analyse(study, DuckDBEngine(), with_statistics=False) as res:
        assert res.stats is None
        assert list(res.as_dict()) == ["manifest", "raw", "calls", "summary", "timings"]


def test_folder_is_gone_when_the_import_fails(tmp_path: Path):
    """A folder with no mutation file cannot be imported: a named StudyFileError, no folder left."""
    empty = tmp_path / "empty_study"
    empty.mkdir()
    (empty / "meta_study.txt").write_text("cancer_study_identifier: empty\nname: empty\n")
    before = _cohort_tmp_folders()
    with pytest.raises(StudyFileError):
        analyse(empty, DuckDBEngine(), with_statistics=False)
    assert _cohort_tmp_folders() == before
