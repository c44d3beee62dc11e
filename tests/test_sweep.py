"""``her2scope sweep``: every file's rows equal ``annotate`` on that file; per-file status with the
reason; the activating-sample summary; resume after a SIGKILL equals one uninterrupted sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from sweep_helpers import annotate_rows, make_archive, read_table, sweep_rows_by_input  # noqa: E402

from her2scope.sweep.discover import discover  # noqa: E402
from her2scope.sweep.local import run_local  # noqa: E402
from her2scope.sweep.worker import Settings  # noqa: E402
from her2scope.vocabulary import is_activating  # noqa: E402

HER2SCOPE = [sys.executable, "-m", "her2scope"]


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    root = make_archive(tmp_path_factory.mktemp("archive"))
    out = tmp_path_factory.mktemp("out")
    inputs, skipped = discover(str(root))
    result = run_local(inputs, str(out), Settings(), jobs=2, progress=False)
    return root, out, inputs, skipped, result


def test_sweep_rows_equal_annotate_on_every_file(swept):
    root, out, inputs, _, _ = swept
    rows = sweep_rows_by_input(out)
    for inp in inputs:
        assert rows.get(inp.path, []) == annotate_rows(inp.path), inp.file


def test_every_file_has_a_status_and_failures_give_the_reason(swept):
    root, out, inputs, skipped, result = swept
    files = {r["file"]: r for r in read_table(out, "files")}
    assert sorted(files) == sorted(i.file for i in inputs)
    assert skipped >= 1                                     # the .tbi beside patient02
    truncated = files["batch000/bad_truncated.vcf.gz"]
    assert truncated["status"] == "failed" and truncated["reason"].startswith("corrupt_file: ")
    assert truncated["variants"] > 0                          # records before the damage still count
    notvcf = files["notes.vcf"]
    assert notvcf["status"] == "failed" and notvcf["reason"].startswith("not_variant_file: ")
    done = files["batch000/patient01_yvma_grch38.vcf"]
    assert done["status"] == "done" and done["reason"] is None and done["build"] == "GRCh38"
    assert result.failed == 2 and result.done == len(inputs) - 2


def test_activating_summary_lists_exactly_the_samples_with_an_activating_variant(swept):
    _, out, _, _, _ = swept
    expected: dict[tuple, list[str]] = {}
    for v in read_table(out, "variants"):
        if is_activating(v["oncogenicity"]):
            expected.setdefault((v["file"], v["sample"]), []).append(v["protein_change"])
    summary = {(r["file"], r["sample"]): list(r["protein_changes"]) for r in read_table(out, "activating_samples")}
    assert summary == expected
    # patient01 carries the YVMA duplication, an oncogenic exon 20 insertion (PMID 22761469 et al.)
    assert ["p.Y772_A775dup"] in [v for (f, _), v in summary.items() if "patient01" in f]


def test_killed_and_resumed_sweep_equals_one_uninterrupted_sweep(tmp_path):
    root = make_archive(tmp_path / "archive", copies=12)
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    subprocess.run([*HER2SCOPE, "sweep", str(root), "-o", str(whole), "-j", "2"], env=env,
                   capture_output=True, check=False)
    proc = subprocess.Popen([*HER2SCOPE, "sweep", str(root), "-o", str(resumed), "-j", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    state = resumed / ".sweep"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        parts = list(state.glob("*/*.json")) if state.exists() else []
        if len(parts) >= 20:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the sweep finished before it could be killed: make the archive bigger"
    os.killpg(proc.pid, signal.SIGKILL)                      # the CLI and its pool workers
    proc.wait()
    assert not (resumed / "variants.parquet").exists()      # killed before the tables were written
    done_before = len(list(state.glob("*/*.json")))
    again = subprocess.run([*HER2SCOPE, "sweep", str(root), "-o", str(resumed), "-j", "2"], env=env,
                           capture_output=True, text=True)
    assert f"; {done_before} taken from an earlier run" in again.stderr and again.returncode == 1
    for table in ("variants", "errors", "files", "activating_samples"):
        assert read_table(resumed, table) == read_table(whole, table), table
    assert not list(state.glob("*/*.partial"))


def test_a_changed_file_is_annotated_again_on_resume(tmp_path):
    root = tmp_path / "a"
    root.mkdir()
    from conftest import DEMO

    target = root / "p.vcf"
    target.write_bytes((DEMO / "patient01_yvma_grch38.vcf").read_bytes())
    out = tmp_path / "out"
    first = run_local(discover(str(root))[0], str(out), Settings(), jobs=1, progress=False)
    target.write_bytes((DEMO / "patient03_split_l755p_grch38.vcf").read_bytes())
    second = run_local(discover(str(root))[0], str(out), Settings(), jobs=1, progress=False)
    assert first.resumed == 0 and second.resumed == 0
    assert [r["input"] for r in read_table(out, "variants")] and \
        {r["protein_change"] for r in read_table(out, "variants")} == \
        {r.get("protein_change") for r in annotate_rows(str(target))}
    third = run_local(discover(str(root))[0], str(out), Settings(), jobs=1, progress=False)
    assert third.resumed == 1
