"""Crash safety of imports: an importer killed with SIGKILL part-way leaves the database as
before (no partial batch); running it again imports the file completely, once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import registry_helpers as support
from registry_helpers import PASSWORD, TODAY

from her2scope.registry.demo import write_synthetic_csv

db_url = support.db_url  # shared fixture
registry = support.registry  # shared fixture
users = support.users  # shared fixture

IMPORTER = """
import datetime as dt, os, sys, time
from her2scope.registry import Registry
from her2scope.registry.importing import BatchWriter

# Fault injection (the test's, not the importer's): with PAUSE_AFTER=N the N-th row is flushed
# into the open transaction, the importer says so on stderr and sleeps, to be killed there.
pause_after = int(os.environ.get("PAUSE_AFTER", "0"))
if pause_after:
    apply, applied = BatchWriter.apply, []
    def paused_apply(self, row):
        apply(self, row)
        applied.append(row)
        if len(applied) == pause_after:
            self.s.flush()
            print(f"paused after {len(applied)} rows", file=sys.stderr, flush=True)
            time.sleep(120)
    BatchWriter.apply = paused_apply

reg = Registry.open(sys.argv[1])
user = reg.authenticate("u-data_manager", sys.argv[3])
rep = reg.import_csv(sys.argv[2], user, today=dt.date.fromisoformat(sys.argv[4]))
print("done", rep.rows_imported, flush=True)
"""
DATA_TABLES = ("patients", "diagnoses", "tests", "results", "result_variants", "import_batches")


def _start(db_url, path, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.Popen([sys.executable, "-c", IMPORTER, db_url, str(path), PASSWORD, TODAY.isoformat()],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _data_counts(registry):
    c = registry.counts()
    return {k: c[k] for k in DATA_TABLES}


def _wait_for(proc, marker: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if marker in line:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"importer ended before {marker!r}: {proc.stderr.read()}")
    raise AssertionError(f"importer did not reach {marker!r}")


def test_kill_mid_import_leaves_nothing_then_rerun_completes(registry, users, db_url, tmp_path):
    path = write_synthetic_csv(tmp_path / "big.csv", 1500, seed=11, today=TODAY, her2_rate=0.05, prefix="CRASH")
    before = _data_counts(registry)
    proc = _start(db_url, path, {"PAUSE_AFTER": "700"})
    try:
        _wait_for(proc, "paused after 700 rows")   # 700 rows are written into the open transaction
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert _data_counts(registry) == before      # no partial batch
    rep = registry.import_csv(path, users["data_manager"], today=TODAY)
    assert not rep.already_imported and rep.ok
    after = _data_counts(registry)
    assert after["import_batches"] == before["import_batches"] + 1
    assert after["patients"] == before["patients"] + 1500
    assert registry.import_csv(path, users["data_manager"], today=TODAY).already_imported
    assert _data_counts(registry) == after


def test_kill_at_a_random_moment_is_all_or_nothing(registry, users, db_url, tmp_path):
    path = write_synthetic_csv(tmp_path / "random.csv", 1500, seed=12, today=TODAY, prefix="RAND")
    before = _data_counts(registry)
    proc = _start(db_url, path)
    time.sleep(random.Random(os.getpid()).uniform(0.5, 2.5))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    now = _data_counts(registry)
    if now != before:                             # the import had committed before the kill
        assert now["patients"] == before["patients"] + 1500
        assert now["import_batches"] == before["import_batches"] + 1
    rep = registry.import_csv(path, users["data_manager"], today=TODAY)
    assert rep.ok
    final = _data_counts(registry)
    assert final["patients"] == before["patients"] + 1500
    assert final["import_batches"] == before["import_batches"] + 1
