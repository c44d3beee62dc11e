"""``--format table`` for people (issue 15): the demo batch rendered at 100 columns with no cell
wrapped and no absolute path; errors after the tables, named by the input as the user gave it;
``--columns``; ``--quiet``. The expected rows come from the jsonl output of the same run, not from
the table code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import DEMO, ROOT, assert_no_traceback

from her2scope.render.table import fit_widths

INPUTS = ("bad_truncated.vcf.gz", "patient01_yvma_grch38.vcf", "patient02_s310f_grch37.vcf.gz",
          "patient03_split_l755p_grch38.vcf", "patient04_tcga_luad_erbb2.maf", "patient05_report_hgvs.txt")


def _run(*args, cwd=DEMO, columns: str | None = "100"):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("COLUMNS", None)
    if columns:
        env["COLUMNS"] = columns
    return subprocess.run([sys.executable, "-m", "her2scope", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def demo_runs():
    """The demo inputs given by relative path from the demo folder, as jsonl and as a table."""
    jsonl = _run("annotate", *INPUTS)
    table = _run("annotate", *INPUTS, "--format", "table")
    return [json.loads(x) for x in jsonl.stdout.splitlines()], table


def test_demo_table_fits_100_columns_and_wraps_no_cell(demo_runs):
    lines, run = demo_runs
    assert_no_traceback(run)
    assert run.returncode == 1          # the broken file and the NM_004448.3 line
    rows = run.stdout.splitlines()
    assert max(len(r) for r in rows) <= 100, max(rows, key=len)
    results = [d for d in lines if "error" not in d]
    for d in results:
        # every cell of a variant on one line: its protein change, c. name and sample share a row
        c_name = d["hgvs_c"].split(":", 1)[1] if d["hgvs_c"] else "-"
        sample = d["sample"] or "-"
        matching = [r for r in rows if f" {d['protein_change']} " in f" {r} " and c_name in r
                    and r.startswith(sample)]
        assert matching, (d["input"], d["record"], d["protein_change"])
    # one row per variant, nothing else between the header rules and the blank line of each block
    body = [r for r in rows if r.startswith(("P00", "TCGA-", "- "))]
    assert len(body) == len(results)


def test_demo_table_has_no_absolute_path(demo_runs):
    _, run = demo_runs
    for text in (run.stdout, run.stderr):
        assert str(DEMO) not in text and str(ROOT) not in text
        assert not re.search(r"(?<![\w.])/\w", text), re.search(r".*(?<![\w.])/\w.*", text).group(0)
    for name in INPUTS:
        assert name in run.stdout


def test_errors_follow_the_tables_once_each_named_as_given(demo_runs):
    lines, run = demo_runs
    out = run.stdout
    errors = [d for d in lines if "error" in d]
    assert {d["error"] for d in errors} == {"corrupt_file", "unsupported_reference"}
    section = out[out.index(f"Errors ({len(errors)})"):]
    assert out.index("Errors (") > out.rindex("p.S310W")         # after the last table
    assert "bad_truncated.vcf.gz, whole file: corrupt_file" in section
    assert "patient05_report_hgvs.txt, record 10: unsupported_reference" in section
    # the file name appears once, in the heading, not again inside the message
    corrupt = section.split("corrupt_file", 1)[1].split("patient05_report_hgvs.txt", 1)[0]
    assert "bad_truncated.vcf.gz" not in corrupt
    assert "the 19908 records before the damage were processed" in " ".join(corrupt.split())


def test_input_shown_exactly_as_given(tmp_path):
    given = os.path.join("..", "patient01_yvma_grch38.vcf")
    run = _run("annotate", given, "--format", "table", cwd=DEMO / "cases")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith(f"{given}  (1 variant)")
    assert f"{given}: VCF" in run.stderr


def test_columns_choose_the_fields():
    run = _run("annotate", "patient02_s310f_grch37.vcf.gz", "--format", "table", "--columns",
               "record,protein_change,vaf,depth,genotype")
    assert run.returncode == 0, run.stderr
    lines = [json.loads(x) for x in _run("annotate", "patient02_s310f_grch37.vcf.gz").stdout.splitlines()]
    header = run.stdout.splitlines()[1].split()
    assert header == ["record", "protein", "vaf", "depth", "genotype"]
    for d in lines:
        depth = "-" if d["depth"] is None else str(d["depth"])     # an empty field is shown as "-"
        assert any(r.split() == [str(d["record"]), d["protein_change"], f"{d['vaf']:g}", depth, d["genotype"]]
                   for r in run.stdout.splitlines()), d


@pytest.mark.parametrize("args", [("--format", "table", "--columns", "sample,nonsense"),
                                  ("--columns", "sample")], ids=["unknown column", "not a table"])
def test_columns_usage_errors(args):
    run = _run("annotate", "patient01_yvma_grch38.vcf", *args)
    assert_no_traceback(run)
    assert run.returncode == 2
    assert "--columns" in run.stderr


def test_narrow_terminal_cuts_cells_with_an_ellipsis_never_wraps():
    run = _run("annotate", "patient04_tcga_luad_erbb2.maf", "--format", "table", columns="60")
    rows = run.stdout.splitlines()
    assert max(len(r) for r in rows[:20]) <= 60
    assert any("…" in r for r in rows)
    body = [r for r in rows if r.startswith("TCGA-")]
    assert len(body) == 12          # 12 ERBB2 rows in the MAF, one line each


def test_quiet_leaves_standard_error_empty():
    run = _run("annotate", "patient01_yvma_grch38.vcf", "--quiet")
    assert run.returncode == 0
    assert run.stderr == ""
    loud = _run("annotate", "patient01_yvma_grch38.vcf")
    assert loud.stdout == run.stdout and "1 input(s)" in loud.stderr


def test_no_progress_output_when_standard_error_is_not_a_terminal():
    """Piped: the verbose steps are plain lines, never a progress bar's control characters."""
    run = _run("--verbose", "annotate", "patient01_yvma_grch38.vcf", "-o", os.devnull)
    assert run.returncode == 0
    assert "\x1b[" not in run.stderr and "\r" not in run.stderr
    assert "her2scope: annotating patient01_yvma_grch38.vcf" in run.stderr


def test_fit_widths_by_hand():
    # natural 10+20+5 = 35 into 30: only the column above its floor gives way (20 -> 15)
    assert fit_widths([10, 20, 5], [10, 8, 5], 30) == [10, 15, 5]
    # the column with the most room above its floor gives first: 12 (slack 8) vs 9 (slack 1)
    assert fit_widths([12, 9], [4, 8], 18) == [9, 9]
    # below every floor: the widest shrinks first, down to 1 at least
    assert fit_widths([6, 6], [6, 6], 8) == [4, 4]
    assert fit_widths([3, 3], [3, 3], 1) == [1, 1]
