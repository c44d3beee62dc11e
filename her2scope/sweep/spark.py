"""The Spark engine: files spread over executors, each annotated by the same ``annotate_file``
as the local engine, rows written by Spark as Parquet folders (``OUT/<table>.parquet/part-*``).

Inputs must be readable at the same path on every executor (a shared file system: NFS, Lustre,
a mounted bucket); ``OUT`` may be any URI Spark writes (``s3a://``, ``abfss://``, ``gs://``,
``hdfs://``). Executors need her2scope installed (or shipped with ``--py-files``). No resume
state: Spark re-runs a lost task itself.
"""

from __future__ import annotations

import os
import sys

from ..cohort.engines import spark_session
from .discover import SweepInput
from .tables import ORDER, TABLES, as_tuple, spark_schema
from .worker import Settings, annotate_file


def _annotate_partition(items, settings: Settings):
    for inp in items:
        outcome = annotate_file(inp, settings)
        yield ("files", as_tuple("files", outcome["status"]))
        for table, key in (("variants", "variants"), ("errors", "errors"), ("activating_samples", "activating")):
            for row in outcome[key]:
                yield (table, as_tuple(table, row))


def sweep_session(master: str | None = None):
    """The cohort engine's SparkSession; Python workers run this interpreter (where her2scope is
    installed) unless PYSPARK_PYTHON says otherwise (a cluster's own setting wins)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return spark_session(master, app_name="her2scope-sweep")


def run_spark(inputs: list[SweepInput], out_dir: str, settings: Settings, *, master: str | None = None,
              spark=None) -> dict[str, int]:
    """Annotate ``inputs`` on Spark and write the four tables under ``out_dir``; returns row counts."""
    # Lazy: PySpark is optional (the ``spark`` extra) and slow to import.
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    own = spark is None
    spark = spark or sweep_session(master)
    try:
        sc = spark.sparkContext
        slices = max(1, min(len(inputs), 4 * sc.defaultParallelism))
        # Biggest files first so that a WGS-size VCF does not start last and hold up the job.
        ordered = sorted(inputs, key=lambda i: -(i.size or 0))
        rows = (sc.parallelize(ordered, slices)
                .mapPartitions(lambda part: _annotate_partition(part, settings))
                .persist(StorageLevel.MEMORY_AND_DISK))
        counts = {}
        for table in TABLES:
            df = spark.createDataFrame(rows.filter(lambda r, t=table: r[0] == t).map(lambda r: r[1]),
                                       spark_schema(table))
            order = [F.col(c).asc_nulls_last() for c in ORDER[table]]
            df.orderBy(*order).coalesce(1).write.mode("overwrite").parquet(f"{out_dir.rstrip('/')}/{table}.parquet")
            counts[table] = rows.filter(lambda r, t=table: r[0] == t).count()
        rows.unpersist()
        return counts
    finally:
        if own:
            spark.stop()
