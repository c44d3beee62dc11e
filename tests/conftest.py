"""Shared helpers: write small VCFs, run the command line, parse its output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NoReturn

import pytest

# The shared helper modules (not test modules, so no test imports another test module) hold asserts
# and fixtures: pytest rewrites their asserts as it does a test module's.
pytest.register_assert_rewrite("web_helpers", "registry_helpers", "browser_helpers", "synthetic_study")

ROOT = Path(__file__).resolve().parents[1]
DEMO = Path(str(resources.files("her2scope") / "demo_data"))

ERROR_KEYS_SET = {"input", "record", "error", "message"}
FIXED = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"
FORMAT_LINES = (
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
    '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
    '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">',
)
INFO_LINES = (
    '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">',
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
    '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',
)
# NCBI assembly reports: chromosome 17 is 83,257,441 bp on GRCh38 and 81,195,210 bp on GRCh37.
GRCH38_CONTIGS = ("##contig=<ID=chr1,length=248956422>", "##contig=<ID=chr12,length=133275309>",
                  "##contig=<ID=chr17,length=83257441>", "##contig=<ID=chr18,length=80373285>")
GRCH37_CONTIGS = ("##contig=<ID=1,length=249250621>", "##contig=<ID=12,length=133851895>",
                  "##contig=<ID=17,length=81195210>", "##contig=<ID=18,length=78077248>")


def vcf_text(records: list[str] | tuple[str, ...], *, samples: tuple[str, ...] = (),
             contigs: tuple[str, ...] = GRCH38_CONTIGS, extra_header: tuple[str, ...] = (),
             reference: str | None = None) -> str:
    """A VCF 4.2 text: meta lines, the #CHROM line (with FORMAT + samples when given), records.

    Records are given tab-separated already (or with single spaces: ``" "`` -> tab is NOT
    applied, so malformed spacing can be tested)."""
    meta = ["##fileformat=VCFv4.2"]
    if reference:
        meta.append(f"##reference={reference}")
    meta += list(contigs) + list(INFO_LINES) + list(FORMAT_LINES) + list(extra_header)
    head = FIXED + ("\tFORMAT\t" + "\t".join(samples) if samples else "")
    return "\n".join(meta + [head] + list(records)) + "\n"


def rec(*cols) -> str:
    """One tab-separated VCF data line."""
    return "\t".join(str(c) for c in cols)


# The YVMA duplication (ERBB2 exon 20, GRCh38) with a tumour AF.
YVMA_RECORD = rec("chr17", 39724730, ".", "C", "CATACGTGATGGC", 60, "PASS", "DP=420", "GT:AD:DP:AF",
                  "0/1:290,130:420:0.31")


def sorted_vcf_gz_with_late_yvma(tmp_path: Path) -> Path:
    """A sorted bgzipped VCF: 40,000 chr1 records, then YVMA on chr17, so it spans many BGZF
    blocks and its one ERBB2 variant lies in the last of them (a cut anywhere before misses it)."""
    import pysam

    body = [rec("chr1", 1_000_000 + 10 * i, ".", "A", "G", 50, "PASS", "DP=10", "GT:AD:DP:AF", "0/1:5,5:10:0.5")
            for i in range(40_000)]
    plain = tmp_path / "sorted.vcf"
    plain.write_text(vcf_text(body + [YVMA_RECORD], samples=("TUMOR",)))
    whole = tmp_path / "sorted.vcf.gz"
    pysam.tabix_compress(str(plain), str(whole), force=True)
    return whole


def write_vcf(tmp_path: Path, name: str, records, **kw) -> Path:
    path = tmp_path / name
    path.write_text(vcf_text(records, **kw), encoding="utf-8", newline="\n")
    return path


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    @property
    def results(self) -> list[dict]:
        return [d for d in self.lines if "error" not in d]

    @property
    def errors(self) -> list[dict]:
        return [d for d in self.lines if "error" in d]


def run_cli(*args, cwd: Path | None = None, timeout: float = 60) -> CliRun:
    """Run ``python -m her2scope ARGS`` in a fresh process (as a user would), offline."""
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    env["NO_COLOR"] = "1"
    proc = subprocess.run([sys.executable, "-m", "her2scope", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT, env=env)
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


def annotate(*args, **kw) -> CliRun:
    return run_cli("annotate", *args, **kw)


def skip_unless_ci(why: str, ci_message: str) -> NoReturn:
    """A missing system part (the PostgreSQL server, chromium) skips on a developer machine and
    FAILS in CI (CI set, and not 0/false/no): a skip there would pass a suite that did not run."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(ci_message, pytrace=False)
    pytest.skip(why)


def assert_no_traceback(run: CliRun) -> None:
    assert "Traceback (most recent call last)" not in run.stderr, run.stderr
    assert "Traceback (most recent call last)" not in run.stdout, run.stdout


def key_fields(d: dict) -> tuple:
    """The fields that must agree whichever way a file is read."""
    return tuple(d.get(k) for k in ("record", "sample", "build", "pos", "ref", "alt", "hgvs_c",
                                    "hgvs_p", "protein_change", "status", "genotype", "depth",
                                    "vaf", "error"))


@pytest.fixture
def demo_dir() -> Path:
    return DEMO
