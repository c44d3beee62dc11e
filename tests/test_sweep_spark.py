"""``her2scope sweep --engine spark`` on local[2] writes the same rows as the local engine."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

from sweep_helpers import make_archive, read_table  # noqa: E402

from her2scope.sweep.discover import discover  # noqa: E402
from her2scope.sweep.local import run_local  # noqa: E402
from her2scope.sweep.spark import run_spark  # noqa: E402
from her2scope.sweep.worker import Settings  # noqa: E402


def test_spark_local2_rows_equal_the_local_engine(tmp_path):
    from her2scope.sweep.spark import sweep_session

    root = make_archive(tmp_path / "archive", copies=2)
    inputs, _ = discover(str(root))
    run_local(inputs, str(tmp_path / "local"), Settings(), jobs=2, progress=False)
    spark = sweep_session("local[2]")
    try:
        counts = run_spark(inputs, str(tmp_path / "spark"), Settings(), spark=spark)
    finally:
        spark.stop()
    for table in ("variants", "errors", "files", "activating_samples"):
        local = read_table(tmp_path / "local", table)
        assert read_table(tmp_path / "spark", table) == local, table
        assert counts[table] == len(local)
    assert counts["variants"] > 20 and counts["files"] == len(inputs)
