"""Cohort analytics benchmark (not a test).

Generates synthetic cBioPortal studies into benchmarks/out/cohort/ (git-ignored; never commit
data): 100k, 1M and 10M MAF rows (10 rows per sample: 10k, 100k and 1M samples), imports each to
Parquet, then times "prevalence + spectrum + KM" (ERBB2 calls through the engine, the views, the
PREVALENCE, SPECTRUM and SURVIVAL_COUNTS queries, and the Kaplan-Meier fit) on DuckDB and on
Spark local[2].

    python benchmarks/cohort_benchmark.py [--sizes 100000,1000000,10000000] [--no-spark]

Target: DuckDB under 10 s for 1,000,000 samples / 10,000,000 rows on the 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "cohort"
TARGET_S = 10.0
ERBB2 = [  # real ERBB2 alleles (GRCh37, MAF '-' convention) and how often a sample carries one
    ("37880981", "37880982", "-", "GCATACGTGATG", "In_Frame_Ins", "INS", "p.A775_G776insYVMA"),
    ("37880997", "37880998", "-", "TAT", "In_Frame_Ins", "INS", "p.G776delinsVC"),
    ("37868208", "37868208", "C", "T", "Missense_Mutation", "SNP", "p.S310F"),
    ("37880220", "37880220", "T", "C", "Missense_Mutation", "SNP", "p.L755S"),
    ("37864713", "37864713", "C", "T", "Missense_Mutation", "SNP", "p.P122L"),
]


def generate(rows: int, folder: Path) -> None:
    """Write the synthetic study. Paths and numbers are bound as DuckDB parameters (``cohort.sql.Bind``),
    never pasted into the SQL text: a checkout path with a quote in it stays a path."""
    import duckdb

    from her2scope.cohort.sql import Bind

    samples = rows // 10
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    b = Bind()
    erbb2 = ", ".join("(" + ", ".join(b(v) for v in (i, *allele)) + ")" for i, allele in enumerate(ERBB2))
    n_rows, n_samples = b(rows), b(samples)
    # row i -> sample i % samples; slot i // samples. Slot 0 of ~3% of samples is ERBB2, slot 1 of ~12%
    # KRAS G12C, of ~10% EGFR L858R; the rest are random genes.
    con.execute(f"""COPY (
WITH e AS (SELECT * FROM (VALUES {erbb2}) e(k, s, e, r, t, c, v, p)), base AS (
  SELECT i, i % {n_samples} AS sid, i // {n_samples} AS slot, hash(i) AS h, hash(i % {n_samples}) AS hs
  FROM range({n_rows}) t(i))
SELECT CASE WHEN slot = 0 AND hs % 100 < 3 THEN 'ERBB2' WHEN slot = 1 AND hs % 100 < 12 THEN 'KRAS'
            WHEN slot = 1 AND hs % 100 < 22 THEN 'EGFR' ELSE 'GENE' || (h % 500) END AS Hugo_Symbol,
  CASE WHEN slot = 0 AND hs % 100 < 3 THEN '17' ELSE '1' END AS Chromosome,
  CASE WHEN slot = 0 AND hs % 100 < 3 THEN e.s ELSE CAST(1000000 + h % 100000000 AS VARCHAR) END AS Start_Position,
  CASE WHEN slot = 0 AND hs % 100 < 3 THEN e.e ELSE CAST(1000000 + h % 100000000 AS VARCHAR) END AS End_Position,
  CASE WHEN slot = 0 AND hs % 100 < 3 THEN e.r ELSE 'C' END AS Reference_Allele,
  CASE WHEN slot = 0 AND hs % 100 < 3 THEN e.t ELSE 'T' END AS Tumor_Seq_Allele2,
  CASE WHEN slot = 0 AND hs % 100 < 3 THEN e.c ELSE 'Missense_Mutation' END AS Variant_Classification,
  CASE WHEN slot = 0 AND hs % 100 < 3 THEN e.v ELSE 'SNP' END AS Variant_Type,
  'S' || sid AS Tumor_Sample_Barcode, '37' AS NCBI_Build,
  CASE WHEN slot = 0 AND hs % 100 < 3 THEN e.p WHEN slot = 1 AND hs % 100 < 12 THEN 'p.G12C'
       WHEN slot = 1 AND hs % 100 < 22 THEN 'p.L858R' ELSE 'p.R' || (h % 900 + 1) || 'W' END AS HGVSp_Short
FROM base LEFT JOIN e ON e.k = (base.hs // 7) % {b(len(ERBB2))}
) TO {b(str(folder / "data_mutations.txt"))} (HEADER, DELIMITER '\t', QUOTE '')""", b.values)
    b = Bind()
    con.execute(f"""COPY (SELECT 'P' || i AS PATIENT_ID, 'S' || i AS SAMPLE_ID,
  CASE WHEN hash(i) % 10 < 7 THEN 'LUAD' ELSE 'LUSC' END AS ONCOTREE_CODE FROM range({b(samples)}) t(i))
  TO {b(str(folder / "data_clinical_sample.txt"))} (HEADER, DELIMITER '\t', QUOTE '')""", b.values)
    b = Bind()
    con.execute(f"""COPY (SELECT 'P' || i AS PATIENT_ID, CASE WHEN hash(i + 1) % 2 = 0 THEN 'Female' ELSE 'Male' END AS SEX,
  40 + hash(i + 2) % 45 AS AGE, CASE WHEN hash(i + 3) % 5 = 0 THEN 'Never' ELSE 'Former smoker' END AS SMOKING_HISTORY,
  'Stage ' || ['I', 'II', 'III', 'IV'][CAST(1 + hash(i + 4) % 4 AS BIGINT)] AS AJCC_PATHOLOGIC_TUMOR_STAGE,
  CASE WHEN hash(i + 5) % 3 = 0 THEN '0:LIVING' ELSE '1:DECEASED' END AS OS_STATUS,
  round((hash(i + 6) % 12000) / 100.0, 2) AS OS_MONTHS FROM range({b(samples)}) t(i))
  TO {b(str(folder / "data_clinical_patient.txt"))} (HEADER, DELIMITER '\t', QUOTE '')""", b.values)
    (folder / "meta_study.txt").write_text(f"cancer_study_identifier: synthetic_{rows}\nname: synthetic\n")
    con.close()


def run_fast(engine, parquet: Path) -> dict:
    from her2scope.cohort import queries as Q
    from her2scope.cohort.analysis import prepare
    from her2scope.cohort.stats import kaplan_meier, wilson

    t0 = time.perf_counter()
    prepare(engine, parquet)
    t1 = time.perf_counter()
    raw = {q.name: engine.run(q) for q in Q.FAST}
    t2 = time.perf_counter()
    p = raw["prevalence"][0]
    ci = wilson(int(p["mutant"]), int(p["profiled"]))
    km = kaplan_meier(raw["survival_counts"])
    t3 = time.perf_counter()
    return {"prepare_s": t1 - t0, "queries_s": t2 - t1, "stats_s": t3 - t2, "total_s": t3 - t0,
            "profiled": p["profiled"], "mutant": p["mutant"], "ci95": ci,
            "km_groups": {k.group: (k.n, k.median) for k in km}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep generated data (default: keep)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    from her2scope.cohort.engines import DuckDBEngine, SparkEngine, spark_session
    from her2scope.cohort.importer import import_study
    from her2scope.cohort.studies import open_study

    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    results = []
    for rows in sizes:
        folder = OUT / f"study_{rows}"
        pq = OUT / f"parquet_{rows}"
        if not (folder / "data_mutations.txt").exists():
            t = time.perf_counter()
            generate(rows, folder)
            print(f"[{rows:>10,} rows] generated in {time.perf_counter() - t:.1f} s "
                  f"({(folder / 'data_mutations.txt').stat().st_size / 1e6:.0f} MB MAF)")
        shutil.rmtree(pq, ignore_errors=True)
        t = time.perf_counter()
        import_study(open_study(folder), pq)
        imp = time.perf_counter() - t
        d = run_fast(DuckDBEngine(), pq)
        results.append((rows, "duckdb", imp, d))
        print(f"[{rows:>10,} rows] import to Parquet {imp:.2f} s | DuckDB prevalence+spectrum+KM "
              f"{d['total_s']:.2f} s (calls+views {d['prepare_s']:.2f}, queries {d['queries_s']:.2f}, "
              f"KM {d['stats_s']:.2f}) | {d['mutant']}/{d['profiled']}"
              + (f" | target < {TARGET_S:.0f} s: {'MET' if d['total_s'] < TARGET_S else 'MISSED'}"
                 if rows >= 10_000_000 else ""))
    if not args.no_spark:
        t = time.perf_counter()
        spark = spark_session()
        spark.range(1).count()
        print(f"Spark local[2] session start: {time.perf_counter() - t:.1f} s")
        for rows in sizes:
            s = run_fast(SparkEngine(spark), OUT / f"parquet_{rows}")
            ref = next(r[3] for r in results if r[0] == rows)
            same = (s["profiled"], s["mutant"]) == (ref["profiled"], ref["mutant"]) and s["km_groups"] == ref["km_groups"]
            results.append((rows, "spark", None, s))
            print(f"[{rows:>10,} rows] Spark prevalence+spectrum+KM {s['total_s']:.2f} s "
                  f"(calls+views {s['prepare_s']:.2f}, queries {s['queries_s']:.2f}, KM {s['stats_s']:.2f}) | "
                  f"same answer as DuckDB: {same}")
        spark.stop()
    print("\nscaling (seconds, prevalence + spectrum + KM):")
    print(f"{'rows':>12} {'samples':>10} {'import':>8} {'duckdb':>8} {'spark':>8}")
    for rows in sizes:
        d = next(r for r in results if r[0] == rows and r[1] == "duckdb")
        s = next((r for r in results if r[0] == rows and r[1] == "spark"), None)
        print(f"{rows:>12,} {rows // 10:>10,} {d[2]:>8.2f} {d[3]['total_s']:>8.2f} "
              f"{(s[3]['total_s'] if s else float('nan')):>8.2f}")


if __name__ == "__main__":
    main()
