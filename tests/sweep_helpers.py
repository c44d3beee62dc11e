"""Shared by the sweep tests: a small archive, the tables read back, annotate's rows per file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DEMO, ROOT

from her2scope.pipeline import Options, annotate_inputs
from her2scope.render.records import as_dict


def make_archive(root: Path, copies: int = 1) -> Path:
    """Demo batch (one file truncated on purpose) + the callers' test files, ``copies`` times over,
    plus a text file misnamed .vcf and an index file that the walk must skip."""
    root.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        dest = root / f"batch{k:03d}"
        (dest / "callers").mkdir(parents=True)
        for p in sorted(DEMO.iterdir()):
            if p.name.startswith(("patient", "bad")) and p.is_file():
                shutil.copy(p, dest / p.name)
        for p in sorted((ROOT / "tests" / "data" / "callers").iterdir()):
            shutil.copy(p, dest / "callers" / p.name)
    (root / "notes.vcf").write_text("this is not a VCF\n")
    return root


def read_table(out: Path, table: str) -> list[dict]:
    import duckdb

    path = out / f"{table}.parquet"
    src = str(path / "*.parquet") if path.is_dir() else str(path)      # Spark writes a folder
    con = duckdb.connect()
    cur = con.execute(f"SELECT * FROM read_parquet('{src}')")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    con.close()
    return rows


def annotate_rows(path: str) -> list[dict]:
    """What ``her2scope annotate PATH --format jsonl`` prints, as dicts (same library call)."""
    return [json.loads(json.dumps(as_dict(i), ensure_ascii=False)) for i in annotate_inputs([path], Options())]


def sweep_rows_by_input(out: Path) -> dict[str, list[dict]]:
    """Variant and error rows of a sweep, back in annotate's shape, per input path, in row order."""
    by: dict[str, list[tuple[int, dict]]] = {}
    for r in read_table(out, "variants"):
        d = {k: v for k, v in r.items() if k not in ("file", "file_sha256", "row")}
        d["evidence"] = json.loads(d["evidence"])
        d["caller_annotations"] = json.loads(d["caller_annotations"])
        by.setdefault(d["input"], []).append((r["row"], d))
    for r in read_table(out, "errors"):
        d = {k: r[k] for k in ("input", "record", "error", "message")}
        by.setdefault(d["input"], []).append((r["row"], d))
    return {k: [d for _, d in sorted(v, key=lambda x: x[0])] for k, v in by.items()}
