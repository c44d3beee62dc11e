"""The local engine: a process pool over all cores, a progress bar on a terminal, and resume.

State lives in ``OUT/.sweep/<settings key>/``: one part per finished file, named by the sha256 of
its path and of its bytes, written to a hidden name and renamed when complete (a killed worker
leaves no part). A file whose part exists is not read again; the tables are rebuilt from the
parts of the files listed now, so a killed and resumed sweep writes the same tables as one
uninterrupted sweep. A different knowledge base, build, reference or her2scope version is a
different settings key: everything is annotated again (the point of re-sweeping).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from .._version import __version__
from ..errors import OutputError
from ..knowledge.loader import load_knowledge
from .discover import SweepInput
from .tables import write_parquet_duckdb
from .worker import Settings, annotate_file, checksum

# Bumped when a part's content changes shape (2: the files row gained ``samples``; 3:
# ``no_call_samples``), so parts written by an older layout are annotated again instead of
# giving rows with missing columns.
PART_FORMAT = 3


@dataclass
class SweepResult:
    out_dir: str
    files: int = 0
    done: int = 0
    failed: int = 0
    resumed: int = 0              # files taken from an earlier run's parts
    records: int = 0
    variants: int = 0
    errors: int = 0
    activating_samples: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)   # (file, reason)
    seconds: float = 0.0


def settings_key(settings: Settings) -> str:
    """her2scope version, knowledge files, build and reference: what makes old parts reusable."""
    kb = load_knowledge(settings.knowledge)
    h = hashlib.sha256(f"{__version__}\0{PART_FORMAT}\0{kb.version}\0{settings.build}\0".encode())
    folder = os.path.dirname(os.path.abspath(kb.path))
    for name in sorted(os.listdir(folder)):           # the KB file and any fragments beside it
        if name.endswith((".yaml", ".yml", ".tsv")):
            h.update(name.encode() + b"\0" + checksum(os.path.join(folder, name)).encode())
    if settings.reference:
        st = os.stat(settings.reference)
        h.update(f"{os.path.abspath(settings.reference)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def _part_name(inp: SweepInput, sha256: str) -> str:
    return hashlib.sha256(inp.path.encode("utf-8", "surrogateescape")).hexdigest()[:24] + "-" + sha256 + ".json"


def process_one(inp: SweepInput, settings: Settings, state: str) -> tuple[dict, bool]:
    """Pool task: the file's outcome, reused from ``state`` when this path with these bytes was
    done before (second value True), else annotated and saved there."""
    try:
        sha256 = checksum(inp.path)
    except OSError:
        return annotate_file(inp, settings), False        # reported as a failed file
    part = os.path.join(state, _part_name(inp, sha256))
    try:
        with open(part, encoding="utf-8") as fh:
            return json.load(fh), True
    except (OSError, ValueError):
        pass
    outcome = annotate_file(inp, settings, sha256)
    tmp = f"{part}.{os.getpid()}.partial"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(outcome, fh, ensure_ascii=False)
    os.replace(tmp, part)
    return outcome, False


def _remove_partials(state: str) -> None:
    """Parts a killed run was writing (never renamed into place): they are annotated again."""
    for name in os.listdir(state):
        if name.endswith(".partial"):
            try:
                os.remove(os.path.join(state, name))
            except FileNotFoundError:
                pass


def run_local(inputs: list[SweepInput], out_dir: str, settings: Settings, *, jobs: int | None = None,
              restart: bool = False, progress: bool | None = None,
              on_outcome: Callable[[dict], None] | None = None) -> SweepResult:
    t0 = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    try:
        os.makedirs(out_dir, exist_ok=True)
        state = os.path.join(out_dir, ".sweep", settings_key(settings))
        if restart and os.path.isdir(state):
            shutil.rmtree(state)
        os.makedirs(state, exist_ok=True)
        _remove_partials(state)
    except OSError as exc:
        raise OutputError(out_dir, exc.strerror or str(exc)) from exc
    outcomes: list[dict | None] = [None] * len(inputs)
    result = SweepResult(out_dir=out_dir, files=len(inputs))
    show = sys.stderr.isatty() if progress is None else progress
    with _Progress(inputs, show) as bar:
        for index, outcome, reused in _pooled(inputs, settings, state, jobs):
            outcomes[index] = outcome
            result.resumed += reused
            bar.add(inputs[index], outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    _write_tables([o for o in outcomes if o is not None], out_dir)
    for o in outcomes:
        assert o is not None   # the pool has given every input its outcome
        st = o["status"]
        if st["status"] == "done":
            result.done += 1
        else:
            result.failed += 1
            # the summary line names the file first: its path is not repeated inside the reason
            result.failures.append((st["file"], st["reason"].replace(f"{st['input']}: ", "")))
        result.records += st["records"]
        result.variants += st["variants"]
        result.errors += st["errors"]
        result.activating_samples += len(o["activating"])
    result.seconds = time.perf_counter() - t0
    return result


def _pooled(inputs: list[SweepInput], settings: Settings, state: str, jobs: int):
    """(index, outcome, reused) as files finish. A worker that dies (a crash in a compiled
    library, the OOM killer) breaks the pool: the files it held are retried once in a fresh pool,
    then reported failed, and the rest of the batch goes on."""
    pending = list(range(len(inputs)))[::-1]
    attempts: dict[int, int] = {}
    while pending:
        pool = ProcessPoolExecutor(max_workers=jobs)
        running: dict[Future, int] = {}
        broken = False
        try:
            while (pending or running) and not broken:
                while pending and len(running) < 4 * jobs:
                    i = pending.pop()
                    running[pool.submit(process_one, inputs[i], settings, state)] = i
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    i = running.pop(fut)
                    try:
                        outcome, reused = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        attempts[i] = attempts.get(i, 0) + 1
                        if attempts[i] < 2:
                            pending.append(i)
                        else:
                            yield i, _crashed(inputs[i], "a worker process died on this file twice"), False
                        continue
                    except Exception as exc:   # a bug, not the file's fault: report it, go on
                        yield i, _crashed(inputs[i], f"internal error: {type(exc).__name__}: {exc}"), False
                        continue
                    yield i, outcome, reused
            if broken:
                for fut, i in running.items():
                    attempts[i] = attempts.get(i, 0) + 1
                    pending.append(i)
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)


def _crashed(inp: SweepInput, reason: str) -> dict:
    status = {"file": inp.file, "input": inp.path, "file_sha256": None, "size": inp.size,
              "status": "failed", "reason": f"worker_failed: {reason}", "format": None, "build": None,
              "records": 0, "erbb2_records": 0, "variants": 0, "errors": 0, "activating": 0,
              "samples": None, "no_call_samples": None}
    return {"status": status, "variants": [], "errors": [], "activating": [], "seconds": 0.0}


def _write_tables(outcomes: list[dict], out_dir: str) -> None:
    with tempfile.TemporaryDirectory(prefix=".staging-", dir=out_dir) as tmp:
        staging = {}
        for table, key in (("variants", "variants"), ("errors", "errors"), ("files", None),
                           ("activating_samples", "activating")):
            path = os.path.join(tmp, f"{table}.ndjson")
            with open(path, "w", encoding="utf-8") as fh:
                for o in outcomes:
                    for row in ([o["status"]] if key is None else o[key]):
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            staging[table] = path
        write_parquet_duckdb(staging, out_dir)


class _Progress:
    """Files, records, ERBB2 hits, errors and ETA (by bytes) on stderr; only on a terminal."""

    def __init__(self, inputs: list[SweepInput], show: bool) -> None:
        self.show = show
        self.total_files = len(inputs)
        self.files = self.records = self.hits = self.errors = self.failed = 0
        self.total_bytes = sum(i.size or 0 for i in inputs) or 1

    def __enter__(self) -> "_Progress":
        if self.show:
            # Lazy: every pool worker imports this module (``process_one``), and draws nothing.
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn("[bold]sweep[/]"), BarColumn(),
                                     TextColumn("{task.description}"), TimeRemainingColumn(),
                                     console=Console(stderr=True), transient=False)
            self.progress.start()
            self.task = self.progress.add_task(self._text(), total=self.total_bytes)
        return self

    def _text(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"{self.files}/{self.total_files} files{failed}, {self.records:,} records, "
                f"{self.hits:,} ERBB2 hits, {self.errors:,} errors")

    def add(self, inp: SweepInput, outcome: dict) -> None:
        st = outcome["status"]
        self.files += 1
        self.records += st["records"]
        self.hits += st["variants"]
        self.errors += st["errors"]
        self.failed += st["status"] != "done"
        if self.show:
            self.progress.update(self.task, advance=inp.size or 0, description=self._text())

    def __exit__(self, *exc) -> None:
        if self.show:
            self.progress.stop()
