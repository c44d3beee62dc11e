"""The sweep's four tables: one column list each, typed once, written by DuckDB (local) or
Spark. docs/sweep.md documents them; /work/notes/sweep_parquet.md is the cohort team's copy."""

from __future__ import annotations

import os

from ..result import CONTRACT_KEYS, ERROR_KEYS, EXTRA_KEYS

# Types: str, int, float, bool, and lists "str[]", "int[]".
_TYPES = {"record": "int", "pos": "int", "exon": "int", "intron": "int", "depth": "int",
          "vicc_points": "int", "vaf": "float", "reference_checked": "bool", "naming_differs": "bool",
          "vicc_codes": "str[]", "notes": "str[]", "joined_records": "int[]"}
# Nested values with optional keys (evidence items, caller annotations): JSON text as annotate prints it.
VARIANT_JSON_COLUMNS = ("evidence", "caller_annotations")
_HEAD = (("file", "str"), ("file_sha256", "str"), ("row", "int"))

VARIANTS = _HEAD + tuple((k, _TYPES.get(k, "str")) for k in CONTRACT_KEYS + EXTRA_KEYS)
ERRORS = _HEAD + tuple((k, _TYPES.get(k, "str")) for k in ERROR_KEYS)
FILES = (("file", "str"), ("input", "str"), ("file_sha256", "str"), ("size", "int"), ("status", "str"),
         ("reason", "str"), ("format", "str"), ("build", "str"), ("records", "int"),
         ("erbb2_records", "int"), ("variants", "int"), ("errors", "int"), ("activating", "int"),
         ("samples", "str[]"), ("no_call_samples", "str[]"))
ACTIVATING = (("file", "str"), ("sample", "str"), ("variants", "int"), ("protein_changes", "str[]"),
              ("oncogenicity", "str"), ("knowledge_version", "str"))
TABLES = {"variants": VARIANTS, "errors": ERRORS, "files": FILES, "activating_samples": ACTIVATING}
# Row order in every table (both engines): by file, then position in the file.
ORDER = {"variants": ("file", "row"), "errors": ("file", "row"), "files": ("file",),
         "activating_samples": ("file", "sample")}

_DUCKDB = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN",
           "str[]": "VARCHAR[]", "int[]": "BIGINT[]"}


def duckdb_columns(table: str) -> str:
    """The ``columns=`` struct literal for DuckDB's read_json."""
    return "{" + ", ".join(f"'{name}': '{_DUCKDB[t]}'" for name, t in TABLES[table]) + "}"


def spark_schema(table: str):
    from pyspark.sql import types as T  # lazy: PySpark is optional (the spark extra)

    scalar = {"str": T.StringType(), "int": T.LongType(), "float": T.DoubleType(), "bool": T.BooleanType()}

    def of(t: str):
        return T.ArrayType(scalar[t[:-2]]) if t.endswith("[]") else scalar[t]

    return T.StructType([T.StructField(name, of(t), True) for name, t in TABLES[table]])


def as_tuple(table: str, row: dict) -> tuple:
    return tuple(row.get(name) for name, _ in TABLES[table])


def write_parquet_duckdb(staging: dict[str, str], out_dir: str) -> None:
    """Each table's newline-delimited JSON staging file -> ``OUT/<table>.parquet`` (written to a
    hidden name, then renamed: a killed run never leaves a half-written table)."""
    import duckdb  # lazy: optional (the ``cohort`` extra), and the sweep workers never need it

    con = duckdb.connect(":memory:")
    try:
        for table, src in staging.items():
            final = os.path.join(out_dir, f"{table}.parquet")
            tmp = os.path.join(out_dir, f".{table}.parquet.partial")
            order = ", ".join(ORDER[table])
            # The paths are bound as parameters ($src, $dst), never pasted into the SQL text.
            select = ("SELECT * FROM read_json($src, format='newline_delimited', "
                      f"columns={duckdb_columns(table)})")
            params = {"src": src, "dst": tmp}
            if os.path.getsize(src) == 0:   # read_json cannot infer nothing: an empty typed table
                cols = ", ".join(f"NULL::{_DUCKDB[t]} AS {n}" for n, t in TABLES[table])
                select, params = f"SELECT {cols} WHERE false", {"dst": tmp}
            con.execute(f"COPY ({select} ORDER BY {order}) TO $dst (FORMAT parquet, COMPRESSION zstd)", params)
            os.replace(tmp, final)
    finally:
        con.close()
