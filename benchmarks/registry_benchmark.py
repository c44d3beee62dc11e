"""Registry import benchmark (on demand; not a test): 10,000 pseudonymous patients with
results, one CSV in the import template, imported in one transaction through
``Registry.import_csv`` (every NGS result interpreted by the engine through the HER2
picture), on SQLite and on PostgreSQL. Target: < 60 s per backend.

    .venv/bin/python benchmarks/registry_benchmark.py [--patients 10000] [--pg URL] [--sqlite-only]

PostgreSQL: ``--pg`` or env HER2SCOPE_TEST_PG_URL (a server URL; a scratch database is created
and dropped). Also timed: the idempotent re-import (file already imported), the seven
worklists and the statistics over the loaded registry. Exit status 0 when every target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

TARGET_S = 60.0


def _pg_database(base: str) -> tuple[str, callable]:
    import psycopg

    admin = base.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"h2s_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return base.rsplit("/", 1)[0] + "/" + name, drop


def run(label: str, url: str, csv_path: Path, n: int, today: dt.date) -> dict:
    from her2scope.registry import Registry, Role

    reg = Registry.open(url)
    try:
        admin = reg.create_user("bench-admin", "bench-admin-password", Role.admin)
        t0 = time.perf_counter()
        rep = reg.import_csv(csv_path, admin, today=today)
        t_import = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = reg.import_csv(csv_path, admin, today=today)
        t_again = time.perf_counter() - t0
        t0 = time.perf_counter()
        lists = reg.worklists(admin, today=today)
        t_lists = time.perf_counter() - t0
        t0 = time.perf_counter()
        yld = reg.her2_yield(admin)
        reg.turnaround(admin)
        t_stats = time.perf_counter() - t0
        counts = reg.counts()
    finally:
        reg.close()
    assert rep.ok and again.already_imported and counts["patients"] == n
    return dict(label=label, import_s=t_import, reimport_s=t_again, worklists_s=t_lists, stats_s=t_stats,
                rows=rep.rows_total, tests=counts["tests"], results=counts["results"],
                variants=counts["result_variants"], mutant=yld["her2_mutant"], tested=yld["tested"],
                lists={k: len(v) for k, v in lists.items()})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=10_000)
    ap.add_argument("--pg", default=os.environ.get("HER2SCOPE_TEST_PG_URL"))
    ap.add_argument("--sqlite-only", action="store_true")
    args = ap.parse_args(argv)
    from her2scope.registry.demo import write_synthetic_csv

    today = dt.date(2026, 11, 20)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        csv_path = write_synthetic_csv(Path(tmp) / "bench.csv", args.patients, seed=1, today=today, her2_rate=0.03)
        print(f"generated {args.patients} patients ({csv_path.stat().st_size / 1e6:.1f} MB CSV) "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
        results.append(run("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", csv_path, args.patients, today))
        if not args.sqlite_only:
            if not args.pg:
                print("PostgreSQL: no --pg URL and HER2SCOPE_TEST_PG_URL unset: skipped", file=sys.stderr)
            else:
                url, drop = _pg_database(args.pg)
                try:
                    results.append(run("PostgreSQL", url, csv_path, args.patients, today))
                finally:
                    drop()
    print(f"\nregistry import benchmark ({platform.python_version()}, {os.cpu_count()} CPUs)")
    print(f"{'backend':<11} {'import':>9} {'target':>7} {'':4} {'re-import':>9} {'worklists':>9} {'stats':>7}  rows/tests/results/variants")
    ok = True
    for r in results:
        passed = r["import_s"] < TARGET_S
        ok &= passed
        print(f"{r['label']:<11} {r['import_s']:>8.1f}s {TARGET_S:>6.0f}s {'PASS' if passed else 'FAIL':4} "
              f"{r['reimport_s']:>8.2f}s {r['worklists_s']:>8.2f}s {r['stats_s']:>6.2f}s  "
              f"{r['rows']}/{r['tests']}/{r['results']}/{r['variants']}")
    if results:
        r = results[0]
        print(f"HER2-mutant {r['mutant']} of {r['tested']} tested; worklists: "
              + ", ".join(f"{k}={v}" for k, v in r["lists"].items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
