"""Registry lists benchmark (on demand; not a test): the patients page and worklist pages of
the web app with 100,000 patients on PostgreSQL. Target: server time p95 under 200 ms.

    .venv/bin/python benchmarks/registry_lists_benchmark.py [--patients 100000] [--pg URL] [--runs 40]

PostgreSQL: ``--pg`` or env HER2SCOPE_TEST_PG_URL (a server URL; a scratch database is
created and dropped). Without one, a private cluster is started the way ``.ci/run`` does
(initdb into a temporary folder, pg_ctl on 127.0.0.1 with a free port; run as the
``postgres`` user when started as root) and removed afterwards.

The registry is filled by bulk inserts of the synthetic patients that ``registry.demo``
generates for the import benchmark (diagnosis, one NGS test with its outcome, IHC for some,
decisions for half of the HER2-mutant), not through the engine: importing 100,000 patients
through the interpretation engine is the import benchmark's business, and a list's cost does
not depend on how its rows arrived. ``ANALYZE`` is run after loading, as autovacuum would.

Measured per request, in process: the time of the web app handling ``GET url`` through
Starlette's TestClient (routing, session check, the registry's queries, the audit entry,
template rendering; no network), after two warm-up requests. Also shown: the registry call
alone. Exit status 0 when every page's p95 is under the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

TARGET_MS = 200.0
TODAY = dt.date.today()
PASSWORD = "bench-viewer-password"
PAGES = (
    ("patients, page 1", "/patients"),
    ("patients, page 1000", "/patients?page=1000"),
    ("patients, search", "/patients?q=SYN-04217"),
    ("patients, sort by diagnosis date", "/patients?sort=diagnosed&dir=desc"),
    ("patients, filter HER2-mutant", "/patients?status=positive"),
    ("worklist advanced without NGS", "/worklists/advanced_without_ngs"),
    ("worklist advanced without NGS, by days", "/worklists/advanced_without_ngs?sort=days&dir=desc"),
    ("worklist advanced without NGS, page 100", "/worklists/advanced_without_ngs?page=100"),
    ("worklist pending too long", "/worklists/pending_too_long"),
    ("worklist HER2-mutant without decision", "/worklists/her2_mutant_without_decision"),
)


# ---- a private PostgreSQL cluster (as .ci/run starts one) ----------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def private_cluster():
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not bins:
        raise SystemExit("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin): give --pg URL")
    pgbin = Path(bins[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="her2scope-bench-pg."))
    port = _free_port()
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(root, "postgres")

    def run(cmd: str) -> None:
        full = ["su", "postgres", "-s", "/bin/sh", "-c", f"cd / && {cmd}"] if as_root else ["/bin/sh", "-c", cmd]
        subprocess.run(full, check=True, stdout=subprocess.DEVNULL)

    try:
        run(f"{pgbin}/initdb -D {root}/data -A trust -U postgres")
        run(f"{pgbin}/pg_ctl -D {root}/data -l {root}/log -w "
            f"-o '-c listen_addresses=127.0.0.1 -p {port} -k {root}' start")
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(f"{pgbin}/pg_ctl -D {root}/data -m fast stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def scratch_database(base: str):
    import psycopg

    admin = base.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"h2s_lists_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')      # name made here, not from input
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---- loading ---------------------------------------------------------------------------------------

def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load(reg, n: int) -> dict[str, int]:
    """Bulk-insert ``n`` synthetic patients (registry.demo.synthetic_rows) into the tables."""
    from sqlalchemy import insert, text

    from her2scope.registry.demo import synthetic_rows
    from her2scope.registry.models import Decision, Diagnosis, Patient, Result, Test
    from her2scope.registry.rows import is_advanced

    rng = random.Random(3)
    rows = synthetic_rows(n, seed=1, today=TODAY, her2_rate=0.03)
    patients, diagnoses, tests, results, decisions = {}, [], [], [], []
    for r in rows:
        pid = r["patient_id"]
        if pid not in patients:
            patients[pid] = len(patients) + 1
            diagnoses.append(dict(patient_id=patients[pid], natural_key=f"{pid}|dx", histology=r["histology"],
                                  stage=r["stage"], diagnosis_date=_date(r["diagnosis_date"]),
                                  advanced=is_advanced(r["stage"])))
        if not r.get("test_type"):
            continue
        test_id = len(tests) + 1
        status = "failed" if r.get("failed") else "resulted" if r.get("resulted") else \
            "received" if r.get("received") else "ordered"
        tests.append(dict(id=test_id, patient_id=patients[pid], natural_key=f"{pid}|{r['test_id']}",
                          test_type=r["test_type"], assay=r.get("assay"), external_id=r["test_id"], status=status,
                          ordered=_date(r.get("ordered")), received=_date(r.get("received")),
                          resulted=_date(r.get("resulted")), failed=_date(r.get("failed"))))
        if status != "resulted":
            continue
        if r["test_type"] == "ihc":
            her2, value = ("positive" if r["result"] == "3+" else "negative"), r["result"]
        elif r.get("erbb2_variants"):
            her2, value = "positive", None
            if rng.random() < 0.5:
                decisions.append(dict(patient_id=patients[pid], kind="therapy_chosen", detail="bench",
                                      actor="bench", decided_at=dt.datetime(2026, 11, 1)))
        else:
            her2, value = ("not_detected" if r["test_type"] == "ngs_plasma" else "negative"), None
        results.append(dict(test_id=test_id, her2_status=her2, summary=f"ERBB2 {her2}", value=value,
                            knowledge_version=None))
    with reg._tx() as s:
        for model, items in ((Patient, [dict(id=i, pseudonym=p, source="csv") for p, i in patients.items()]),
                             (Diagnosis, diagnoses), (Test, tests), (Result, results), (Decision, decisions)):
            for k in range(0, len(items), 5000):
                s.execute(insert(model), items[k:k + 5000])
    with reg.engine.begin() as c:
        for table in ("patients", "diagnoses", "tests", "results", "decisions"):
            c.execute(text(f"ANALYZE {table}"))     # fixed table names, no data
    return {"patients": len(patients), "tests": len(tests), "results": len(results), "decisions": len(decisions)}


# ---- timing ----------------------------------------------------------------------------------------

def p95(values: list[float]) -> float:
    xs = sorted(values)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def time_pages(reg, runs: int) -> list[tuple[str, str, float, float, int]]:
    from fastapi.testclient import TestClient

    from her2scope.registry import Role
    from her2scope.web.app import create_app
    from her2scope.web.config import WebSettings

    reg.create_user("bench-viewer", PASSWORD, Role.viewer)
    app = create_app(WebSettings(secure_cookies=False, precompute_figures=False, secret_key="b" * 40), reg)
    out = []
    with TestClient(app, base_url="http://127.0.0.1") as c:
        page = c.get("/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        r = c.post("/login", data={"username": "bench-viewer", "password": PASSWORD, "csrf_token": token,
                                   "next": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        for label, url in PAGES:
            for _ in range(2):
                assert c.get(url).status_code == 200, url
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                resp = c.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                assert resp.status_code == 200
            out.append((label, url, statistics.median(times), p95(times), len(resp.content)))
    return out


def time_registry(reg, runs: int) -> list[tuple[str, float, float, int]]:
    from her2scope.registry import Role

    viewer = reg.create_user("bench-viewer-2", PASSWORD, Role.viewer)
    calls = (("patients_page()", lambda: reg.patients_page(viewer)),
             ("worklist_page(advanced_without_ngs)",
              lambda: reg.worklist_page("advanced_without_ngs", viewer, today=TODAY)),
             ("worklist_page(pending_too_long)", lambda: reg.worklist_page("pending_too_long", viewer, today=TODAY)))
    out = []
    for label, call in calls:
        call()
        times, total = [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            total = call().total
            times.append((time.perf_counter() - t0) * 1000)
        out.append((label, statistics.median(times), p95(times), total))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("HER2SCOPE_TEST_PG_URL"))
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args(argv)
    from her2scope.registry import Registry

    with (private_cluster() if not args.pg else _given(args.pg)) as server, scratch_database(server) as url:
        reg = Registry.open(url)
        try:
            t0 = time.perf_counter()
            counts = load(reg, args.patients)
            print(f"loaded {counts} in {time.perf_counter() - t0:.1f} s", flush=True)
            pages = time_pages(reg, args.runs)
            calls = time_registry(reg, args.runs)
            version = reg.engine.connect().exec_driver_sql("SHOW server_version").scalar()
        finally:
            reg.close()
    print(f"\nregistry lists benchmark: {counts['patients']:,} patients on PostgreSQL {version} "
          f"(Python {platform.python_version()}, {os.cpu_count()} CPUs, {args.runs} requests each)")
    print(f"{'page (GET, in-process server time)':<44} {'median':>8} {'p95':>8} {'target':>8}")
    ok = True
    for label, url, med, q95, _size in pages:
        passed = q95 < TARGET_MS
        ok &= passed
        print(f"{label:<44} {med:>6.1f}ms {q95:>6.1f}ms {'<' + format(TARGET_MS, '.0f'):>6}ms  "
              f"{'PASS' if passed else 'FAIL'}  {url}")
    print(f"\n{'registry call alone':<44} {'median':>8} {'p95':>8}  rows matching")
    for label, med, q95, total in calls:
        print(f"{label:<44} {med:>6.1f}ms {q95:>6.1f}ms  {total:,}")
    return 0 if ok else 1


@contextmanager
def _given(url: str):
    yield url


if __name__ == "__main__":
    sys.exit(main())
