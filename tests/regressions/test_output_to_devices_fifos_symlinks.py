"""Issue 8 item 13: ``-o /dev/null`` destroyed /dev/null.

Every ``-o`` writer wrote ``.NAME.partial`` beside the target and renamed it over the target: for
``/dev/null`` (run as root) that replaced the null device with a regular file, for a FIFO it
replaced the pipe (the reader never saw a byte), and for a symlink it replaced the link instead of
writing through it. Now one helper (``her2scope/render/outputs.py``) writes devices, FIFOs and
``-`` in place, writes through symlinks, and renames only onto regular files or new paths.

Expectations are derived independently of the helper: what a reader at the other end of a FIFO
receives must equal what the same command prints on stdout, the link must still be a link to the
same place, and the file type of each target (``stat``) must not change.

/dev/null itself is touched only by the last tests, after the FIFO tests have shown that non-regular
targets are written in place, and with ``os.replace``/``os.rename`` guarded so that nothing can be
renamed into /dev even if the helper regressed.

Two follow-ups: ``report -o /dev/null`` was refused because the report format came only from the
file's extension (now ``--format html|pdf|json|fhir`` names it for devices, FIFOs and ``-``; a name
that says otherwise is refused), and ``cohort report`` (and ``annotate``/``burden`` on a full disk)
showed a traceback for an output it could not write (now ``her2scope: cannot write X: reason``, exit 2).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from conftest import DEMO, annotate, assert_no_traceback, run_cli
from her2scope.errors import OutputError
from her2scope.render.outputs import make_folder, open_output, write_output, writing
from report_helpers import CASES

YVMA = "ERBB2 p.A775_G776insYVMA"
CASE02 = CASES / "case02_s310f.yaml"
SMALL_STUDY = DEMO / "patient04_tcga_luad_erbb2.maf"     # a MAF is a study for `cohort report`


class FifoReader:
    """A FIFO in tmp_path with a thread reading everything written to it (the other end of a pipe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.data = b""
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as fh:   # blocks until a writer opens the FIFO
            self.data = fh.read()

    def received(self, timeout: float = 60) -> bytes:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the FIFO was never written (replaced instead?)"
        return self.data


def _is_fifo(path: Path) -> bool:
    return stat.S_ISFIFO(os.lstat(path).st_mode)


# --------------------------------------------------------------------------------------------
# The helper itself
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("binary", [False, True])
def test_fifo_is_written_in_place_not_replaced(tmp_path, binary):
    fifo = FifoReader(tmp_path / "pipe")
    payload = "line one\nsecond line é\n"
    with open_output(fifo.path, binary=binary) as fh:
        fh.write(payload.encode() if binary else payload)
    assert fifo.received() == payload.encode("utf-8")
    assert _is_fifo(fifo.path)
    assert os.listdir(tmp_path) == ["pipe"]            # no .partial left beside it


def test_error_while_writing_a_fifo_leaves_the_fifo(tmp_path):
    fifo = FifoReader(tmp_path / "pipe")
    with pytest.raises(RuntimeError):
        with open_output(fifo.path) as fh:
            fh.write("half\n")
            raise RuntimeError("disk on fire")
    assert fifo.received() == b"half\n"                 # a pipe cannot take bytes back
    assert _is_fifo(fifo.path) and os.listdir(tmp_path) == ["pipe"]


def test_symlink_to_a_regular_file_is_written_through(tmp_path):
    data, links = tmp_path / "data", tmp_path / "links"
    data.mkdir()
    links.mkdir()
    real = data / "real.txt"
    real.write_text("old\n")
    real.chmod(0o640)
    link = links / "out.txt"
    link.symlink_to(os.path.relpath(real, links))
    target_before = os.readlink(link)
    write_output(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == target_before
    assert real.read_text() == "new\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640    # the replaced file keeps its permissions
    assert os.listdir(data) == ["real.txt"] and os.listdir(links) == ["out.txt"]


def test_chain_of_symlinks_and_dangling_symlink(tmp_path):
    real = tmp_path / "real.json"
    (tmp_path / "l2").symlink_to("real.json")          # dangling until written: a new path
    (tmp_path / "l1").symlink_to("l2")
    write_output(tmp_path / "l1", "{}\n")
    assert real.read_text() == "{}\n"
    assert os.readlink(tmp_path / "l1") == "l2" and os.readlink(tmp_path / "l2") == "real.json"
    assert sorted(os.listdir(tmp_path)) == ["l1", "l2", "real.json"]


def test_symlink_to_a_fifo_is_written_through(tmp_path):
    fifo = FifoReader(tmp_path / "pipe")
    (tmp_path / "link").symlink_to("pipe")
    write_output(tmp_path / "link", b"%PDF-1.7 bytes\n")
    assert fifo.received() == b"%PDF-1.7 bytes\n"
    assert _is_fifo(fifo.path) and (tmp_path / "link").is_symlink()


def test_regular_file_still_never_half_written(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("previous run\n")
    with pytest.raises(RuntimeError):
        with open_output(out) as fh:
            fh.write("partial\n")
            raise RuntimeError("disk on fire")
    assert out.read_text() == "previous run\n"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_new_file_gets_the_umask_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        write_output(tmp_path / "new.txt", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644   # 0o666 & ~0o022, like `>`


def test_directory_or_missing_directory_is_refused_at_open(tmp_path):
    with pytest.raises(IsADirectoryError):
        open_output(tmp_path)
    with pytest.raises(FileNotFoundError):
        open_output(tmp_path / "no" / "such.txt")
    assert os.listdir(tmp_path) == []


def test_dash_and_none_write_to_stdout(capsys):
    write_output("-", "to stdout\n")
    with open_output(None) as fh:
        fh.write("also\n")
    assert capsys.readouterr().out == "to stdout\nalso\n"
    assert not sys.stdout.closed                        # stdout is flushed, never closed


def test_dash_binary_writes_to_stdout_buffer(capsysbinary):
    write_output("-", b"\x00\x01pdf")
    assert capsysbinary.readouterr().out == b"\x00\x01pdf"


def test_writing_names_the_target_as_given_not_the_temporary_file(tmp_path):
    target = tmp_path / "no" / "such.txt"
    with pytest.raises(OutputError) as err:
        with writing(target):
            open_output(target)
    assert err.value.message == f"cannot write {target}: No such file or directory"
    assert err.value.code == "cannot_write" and err.value.target == str(target)
    with pytest.raises(OutputError, match=r"^cannot write standard output: Broken pipe$"):
        with writing("-"):
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_make_folder_with_a_file_in_the_way_is_not_a_directory(tmp_path):
    (tmp_path / "afile").write_text("")
    for folder in (tmp_path / "afile", tmp_path / "afile" / "sub"):
        with pytest.raises(NotADirectoryError):   # not mkdir's misleading "File exists"
            make_folder(folder)
    make_folder(tmp_path / "new" / "deeper")
    assert (tmp_path / "new" / "deeper").is_dir()


# --------------------------------------------------------------------------------------------
# Each -o command
# --------------------------------------------------------------------------------------------

def test_annotate_cli_to_a_fifo(tmp_path):
    expected = annotate(YVMA)
    assert expected.returncode == 0 and expected.stdout
    fifo = FifoReader(tmp_path / "out.jsonl")
    run = annotate(YVMA, "-o", fifo.path)
    assert_no_traceback(run)
    assert run.returncode == 0 and run.stdout == ""
    assert fifo.received().decode() == expected.stdout
    assert _is_fifo(fifo.path) and os.listdir(tmp_path) == ["out.jsonl"]


def test_annotate_cli_through_a_symlink(tmp_path):
    (tmp_path / "data").mkdir()
    real = tmp_path / "data" / "annotations.jsonl"
    real.write_text("previous run\n")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    expected = annotate(YVMA, "--format", "tsv")
    run = annotate(YVMA, "--format", "tsv", "-o", link)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == expected.stdout
    assert sorted(os.listdir(tmp_path)) == ["data", "latest.jsonl"]
    assert os.listdir(tmp_path / "data") == ["annotations.jsonl"]


def test_annotate_cli_dash_is_stdout(tmp_path):
    expected = annotate(YVMA, cwd=tmp_path)
    run = annotate(YVMA, "-o", "-", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout == expected.stdout and json.loads(run.stdout.splitlines()[0])["gene"] == "ERBB2"
    assert os.listdir(tmp_path) == []                   # no file called "-"


def test_patient_report_to_a_fifo_and_pdf_through_a_symlink(tmp_path):
    from her2scope.cli_report import write_report
    from her2scope.report.html import render_html
    from her2scope.report.model import make_report

    rep = make_report(CASES / "case02_s310f.yaml")
    fifo = FifoReader(tmp_path / "report.html")
    write_report(rep, fifo.path)
    assert fifo.received().decode() == render_html(rep)
    assert _is_fifo(fifo.path)

    pytest.importorskip("weasyprint")
    (tmp_path / "pdfs").mkdir()
    real = tmp_path / "pdfs" / "case02.pdf"
    link = tmp_path / "report.pdf"
    link.symlink_to(real)                              # dangling: the PDF is a new file behind it
    write_report(rep, link)
    assert link.is_symlink() and real.read_bytes().startswith(b"%PDF-")
    assert real.read_bytes().rstrip().endswith(b"%%EOF")
    assert sorted(os.listdir(tmp_path)) == ["pdfs", "report.html", "report.pdf"]
    assert os.listdir(tmp_path / "pdfs") == ["case02.pdf"]


def test_burden_cli_to_a_fifo_and_through_a_symlink(tmp_path):
    args = ("burden", "--draws", "200", "--seed", "1")
    expected = run_cli(*args)
    assert expected.returncode == 0 and json.loads(expected.stdout)["world"]
    fifo = FifoReader(tmp_path / "burden.json")
    run = run_cli(*args, "-o", fifo.path)
    assert run.returncode == 0, run.stderr
    assert fifo.received().decode() == expected.stdout and _is_fifo(fifo.path)

    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run_cli(*args, "-o", link).returncode == 0
    assert link.is_symlink() and real.read_text() == expected.stdout


def test_burden_chart_through_a_symlink(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("numpy")
    real = tmp_path / "real.svg"
    real.write_text("old")
    link = tmp_path / "chart.svg"
    link.symlink_to(real)
    run = run_cli("burden", "--draws", "200", "--chart", link, "-o", tmp_path / "b.json")
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and "<svg" in real.read_text()
    assert sorted(os.listdir(tmp_path)) == ["b.json", "chart.svg", "real.svg"]


def test_cohort_report_to_a_fifo_and_through_a_symlink(tmp_path, monkeypatch):
    from her2scope.cohort import report as cohort_report

    doc = "<!DOCTYPE html><title>cohort</title>\n"
    monkeypatch.setattr(cohort_report, "build", lambda res: (doc, {}))   # the writer, not the analysis
    fifo = FifoReader(tmp_path / "cohort.html")
    cohort_report.write_report({}, fifo.path)
    assert fifo.received().decode() == doc and _is_fifo(fifo.path)

    real = tmp_path / "real.html"
    real.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    cohort_report.write_report({}, link)
    assert link.is_symlink() and real.read_text() == doc
    assert sorted(os.listdir(tmp_path)) == ["cohort.html", "link.html", "real.html"]


def _message(run) -> str:
    """stderr with typer's error box and line wrapping taken out."""
    return " ".join(run.stderr.replace("│", " ").split())


def test_report_format_option_writes_a_fifo(tmp_path):
    named = tmp_path / "named.html"
    assert run_cli("report", CASE02, "-o", named).returncode == 0
    fifo = FifoReader(tmp_path / "pipe")
    run = run_cli("report", CASE02, "--format", "html", "-o", fifo.path)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert fifo.received() == named.read_bytes()        # the same report as the .html file
    assert _is_fifo(fifo.path) and sorted(os.listdir(tmp_path)) == ["named.html", "pipe"]


def test_report_format_json_to_stdout(tmp_path):
    assert run_cli("report", CASE02, "-o", "r.json", cwd=tmp_path).returncode == 0
    run = run_cli("report", CASE02, "--format", "json", "-o", "-", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == json.loads((tmp_path / "r.json").read_text())
    assert os.listdir(tmp_path) == ["r.json"]           # no file called "-"


def test_report_json_name_takes_format_fhir(tmp_path):
    assert run_cli("report", CASE02, "-o", tmp_path / "r.fhir.json").returncode == 0
    run = run_cli("report", CASE02, "--format", "fhir", "-o", tmp_path / "bundle.json")
    assert run.returncode == 0, run.stderr
    bundle = (tmp_path / "bundle.json").read_text()     # a FHIR bundle is JSON: no contradiction
    assert json.loads(bundle)["resourceType"] == "Bundle"
    assert bundle == (tmp_path / "r.fhir.json").read_text()


@pytest.mark.parametrize("args, says", [
    (("-o", "/dev/null"), "/dev/null: the report format cannot be told from the name; add --format html|pdf|json|fhir"),
    (("-o", "{tmp}/report.txt"), "report.txt: the report format cannot be told from the name; add --format"),
    (("-o", "{tmp}/r.html", "--format", "json"), "json contradicts -o {tmp}/r.html, whose name says html"),
    (("-o", "{tmp}/r.fhir.json", "--format", "json"), "json contradicts -o {tmp}/r.fhir.json, whose name says fhir"),
    (("-o", "{tmp}/r.json", "-o", "{tmp}/r.pdf", "--format", "json"), "json contradicts -o {tmp}/r.pdf"),
])
def test_report_format_missing_or_contradicting_is_a_usage_error(tmp_path, args, says):
    before = os.stat("/dev/null")
    run = run_cli("report", CASE02, *(a.format(tmp=tmp_path) for a in args))
    assert_no_traceback(run)
    assert run.returncode == 2
    assert says.format(tmp=tmp_path) in _message(run)
    assert os.listdir(tmp_path) == []                   # refused before anything is written
    after = os.stat("/dev/null")
    assert (after.st_ino, after.st_rdev, after.st_mode) == (before.st_ino, before.st_rdev, before.st_mode)


@pytest.mark.parametrize("where", ["directory", "file_in_the_way", "json_directory"])
def test_cohort_report_output_it_cannot_write_is_named(tmp_path, where):
    (tmp_path / "folder").mkdir()
    (tmp_path / "afile").write_text("")
    target, reason, args = {
        "directory": (tmp_path / "folder", "Is a directory", ()),
        "file_in_the_way": (tmp_path / "afile" / "cohort.html", "Not a directory", ()),
        "json_directory": (tmp_path / "folder", "Is a directory", ("--json",)),
    }[where]
    html = tmp_path / "ok.html"
    cmd = ("cohort", "report", SMALL_STUDY, *(("-o", html, *args, target) if args else ("-o", target)))
    run = run_cli(*cmd)
    assert_no_traceback(run)
    assert run.returncode == 2
    assert f"her2scope: cannot write {target}: {reason}" in run.stderr.splitlines()
    assert os.listdir(tmp_path / "folder") == []
    assert sorted(os.listdir(tmp_path)) == (["afile", "folder", "ok.html"] if args else ["afile", "folder"])


@pytest.mark.skipif(not os.path.exists("/dev/full") or not stat.S_ISCHR(os.stat("/dev/full").st_mode),
                    reason="no /dev/full on this machine")
@pytest.mark.parametrize("args, prefix", [
    (("annotate", YVMA), "her2scope"),
    (("report", CASE02, "--format", "json"), "her2scope"),
    (("burden", "--draws", "200"), "her2scope burden"),
])
def test_full_disk_is_named_not_a_traceback(args, prefix):
    run = run_cli(*args, "-o", "/dev/full")             # /dev/full: every write fails with ENOSPC
    assert_no_traceback(run)
    assert run.returncode == 2
    assert f"{prefix}: cannot write /dev/full: No space left on device" in run.stderr.splitlines()


def test_burden_chart_into_a_file_in_the_way_is_named(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("numpy")
    (tmp_path / "afile").write_text("")
    chart = tmp_path / "afile" / "chart.svg"
    run = run_cli("burden", "--draws", "200", "--chart", chart, "-o", tmp_path / "b.json")
    assert_no_traceback(run)
    assert run.returncode == 2
    assert f"her2scope burden: cannot write {chart}: Not a directory" in run.stderr.splitlines()


# --------------------------------------------------------------------------------------------
# The device that started it (last: the FIFO tests above prove the in-place branch first)
# --------------------------------------------------------------------------------------------

def test_dev_null_stays_a_character_device(tmp_path, monkeypatch):
    before = os.stat("/dev/null")
    if not stat.S_ISCHR(before.st_mode):
        pytest.skip("/dev/null is not a character device on this machine")
    # The in-place branch must work on a FIFO before the real device is touched.
    fifo = FifoReader(tmp_path / "pipe")
    write_output(fifo.path, "probe\n")
    assert fifo.received() == b"probe\n" and _is_fifo(fifo.path)

    # Belt and braces: even a regressed helper cannot rename anything into /dev here.
    real_replace, real_rename = os.replace, os.rename

    def guarded(rename):
        def call(src, dst, *a, **kw):
            assert not os.path.abspath(os.fspath(dst)).startswith("/dev/"), f"rename onto {dst}"
            return rename(src, dst, *a, **kw)
        return call

    monkeypatch.setattr(os, "replace", guarded(real_replace))
    monkeypatch.setattr(os, "rename", guarded(real_rename))
    write_output("/dev/null", "discarded\n")
    write_output("/dev/null", b"discarded")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert not [n for n in os.listdir("/dev") if n.endswith(".partial")]


def test_report_to_dev_null_with_format_stays_a_character_device(tmp_path):
    before = os.stat("/dev/null")
    if not stat.S_ISCHR(before.st_mode):
        pytest.skip("/dev/null is not a character device on this machine")
    # The same command must write a FIFO in place before the real device is touched.
    fifo = FifoReader(tmp_path / "pipe")
    probe = run_cli("report", CASE02, "--format", "json", "-o", fifo.path)
    assert probe.returncode == 0 and json.loads(fifo.received())["schema"] == "her2scope-report/1"
    assert _is_fifo(fifo.path) and os.listdir(tmp_path) == ["pipe"]

    run = run_cli("report", CASE02, "-o", "/dev/null", "--format", "json")
    assert_no_traceback(run)
    assert run.returncode == 0 and "wrote /dev/null" in run.stderr.splitlines()
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert not [n for n in os.listdir("/dev") if n.endswith(".partial")]
