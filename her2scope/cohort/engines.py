"""Two engines, one set of queries: DuckDB (embedded, default) and PySpark (local mode here; the
same code runs under spark-submit on a cluster).

Both read the Parquet tables written by ``importer`` (any path Spark/DuckDB can read: a local
folder, or ``s3a://`` / ``abfss://`` / ``gs://`` on a cluster) and return plain Python rows
(dicts), so results can be compared value for value.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from .importer import connect
from .queries import VIEWS, Query

TABLES = ("mutations", "samples", "patients", "sv")


class Engine:
    name = "engine"
    dialect = "duckdb"

    def load(self, folder: str | Path) -> None:
        for t in TABLES:
            self._register_parquet(t, f"{str(folder).rstrip('/')}/{t}.parquet")

    def _register_parquet(self, name: str, path: str) -> None:
        raise NotImplementedError

    def _create_view(self, name: str, sql: str) -> None:
        raise NotImplementedError

    def add_table(self, name: str, columns: tuple[tuple[str, str], ...], rows: list[tuple]) -> None:
        raise NotImplementedError

    def create_views(self) -> None:
        for v in VIEWS:
            self._create_view(v.name, v.text(self.dialect))

    def run(self, query: Query) -> list[dict]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class DuckDBEngine(Engine):
    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None) -> None:
        self.con = connect(threads, memory_limit)

    def _register_parquet(self, name: str, path: str) -> None:
        # A view cannot take a bound parameter, so the path goes through DuckDB's relation API
        # (a folder named "o'k" once ended the SQL string literal it was pasted into).
        self.con.read_parquet(path).create_view(name, replace=True)

    def add_table(self, name, columns, rows) -> None:
        cols = ", ".join(f"{c} {t}" for c, t in columns)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} ({cols})")
        if rows:
            self.con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' for _ in columns)})", rows)

    def _create_view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def run(self, query: Query) -> list[dict]:
        cur = self.con.execute(query.text(self.dialect))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, _plain(r))) for r in cur.fetchall()]

    def close(self) -> None:
        self.con.close()


def spark_session(master: str | None = None, app_name: str = "her2scope-cohort"):
    """A SparkSession: local[2] bound to 127.0.0.1 with the UI off unless a master is given
    (spark-submit sets one; then the cluster's own settings apply)."""
    from pyspark.sql import SparkSession  # lazy: pyspark is optional (the spark extra)

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName(app_name)
    if master or not os.environ.get("SPARK_MASTER") and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = (builder.master(master or "local[2]")
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "4")
                   .config("spark.default.parallelism", "2")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.driver.memory", os.environ.get("HER2SCOPE_SPARK_DRIVER_MEMORY", "2g")))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkEngine(Engine):
    name = "spark"
    dialect = "spark"

    def __init__(self, spark=None) -> None:
        self._own = spark is None
        self.spark = spark or spark_session()

    def _register_parquet(self, name: str, path: str) -> None:
        self.spark.read.parquet(path).createOrReplaceTempView(name)

    def add_table(self, name, columns, rows) -> None:
        types = {"VARCHAR": "STRING", "INTEGER": "INT", "BOOLEAN": "BOOLEAN", "BIGINT": "BIGINT",
                 "DOUBLE": "DOUBLE"}
        schema = ", ".join(f"{c} {types[t]}" for c, t in columns)
        self.spark.createDataFrame(rows, schema=schema).createOrReplaceTempView(name)

    def _create_view(self, name: str, sql: str) -> None:
        df = self.spark.sql(sql)
        if name in ("sample_flags", "patient_flags"):   # read by most queries: compute once
            df = df.cache()
        df.createOrReplaceTempView(name)

    def run(self, query: Query) -> list[dict]:
        return [dict(zip(r.__fields__, _plain(tuple(r)))) for r in self.spark.sql(query.text(self.dialect)).collect()]

    def close(self) -> None:
        if self._own:
            self.spark.stop()


def _plain(values: tuple) -> tuple:
    """Engine-neutral Python values (Decimal -> int/float)."""
    return tuple((int(v) if v == v.to_integral_value() else float(v)) if isinstance(v, Decimal) else v
                 for v in values)


def make_engine(name: str, **kw) -> Engine:
    if name == "duckdb":
        return DuckDBEngine(**kw)
    if name == "spark":
        return SparkEngine(**kw)
    raise ValueError(f"unknown engine {name!r} (duckdb or spark)")
