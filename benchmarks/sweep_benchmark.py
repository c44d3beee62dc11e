"""Issue 14 figures, side by side in one run (on demand; never part of the test suite):

1. per variant   5,000 ERBB2 coding variants (coding_5k.vcf), whole process incl. start-up:
                 `her2scope annotate` vs `bcftools csq` (same variants, a GFF3 of NM_004448.4 and
                 the bundled GRCh38 locus as reference) - varcode is left out (it needs Ensembl
                 downloads through pyensembl; her2scope benchmarks run offline)
2. scan          1,000,000-record unindexed genome_1m.vcf.gz vs `gzip -dc`
3. sweep         2,000 synthetic panel VCFs + 20 WGS-size VCF.gz (hard links of genome_1m):
                 files/s and peak RSS on 1 and 2 cores, and on Spark local[2]

    .venv/bin/python benchmarks/sweep_benchmark.py [--runs 5] [--no-spark] [--no-sweep]

Every figure is the median of --runs (best shown) with its baseline beside it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_vcf  # noqa: E402

OUT = HERE / "out"
CODING = OUT / "coding_5k.vcf"
GENOME = OUT / "genome_1m.vcf.gz"
ARCHIVE = OUT / "sweep_archive"
HER2SCOPE = Path(sys.executable).parent / "her2scope"
TARGET_5K_S = 0.25
TARGET_SCAN_RATIO = 0.7


def timed(cmd: list[str], runs: int, **kw) -> list[float]:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)   # warm cache
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
        out.append(time.perf_counter() - t)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(map(str, cmd))} failed: {proc.stderr[-2000:]}")
    return out


def fmt(times: list[float]) -> str:
    return f"{statistics.median(times):.3f} s (best {min(times):.3f})"


# -- bcftools csq inputs -----------------------------------------------------------------------
def csq_inputs() -> tuple[Path, Path]:
    """chr17 FASTA (N up to the bundled GRCh38 ERBB2 locus, then the locus) and a GFF3 of
    NM_004448.4 in the Ensembl layout bcftools csq reads."""
    import pysam

    from her2scope.genome.builds import Build
    from her2scope.genome.reference import reference_for
    from her2scope.genome.transcript import erbb2

    fa, gff = OUT / "csq_chr17.fa", OUT / "csq_erbb2.gff3"
    if fa.exists() and gff.exists():
        return fa, gff
    ref, tx = reference_for(None), erbb2()
    lo, hi = 39_688_093, 39_728_658                        # bundled locus, 0-based half-open
    seq = "N" * lo + ref.sequence(Build.GRCh38, lo, hi)
    with open(fa, "w") as fh:
        fh.write(">chr17\n")
        for i in range(0, len(seq), 60):
            fh.write(seq[i:i + 60] + "\n")
    pysam.faidx(str(fa))
    exons = tx.exons[Build.GRCh38]
    g0 = tx.to_genome(Build.GRCh38, _pt(tx.cds_start))
    g1 = tx.to_genome(Build.GRCh38, _pt(tx.cds_end - 1)) + 1
    rows = [("gene", exons[0].g_start, exons[-1].g_end, ".", "ID=gene:ENSG00000141736;Name=ERBB2;biotype=protein_coding"),
            ("mRNA", exons[0].g_start, exons[-1].g_end, ".",
             "ID=transcript:NM_004448.4;Parent=gene:ENSG00000141736;Name=ERBB2-201;biotype=protein_coding")]
    done = 0
    for ex in exons:
        rows.append(("exon", ex.g_start, ex.g_end, ".", "Parent=transcript:NM_004448.4"))
        a, b = max(ex.g_start, g0), min(ex.g_end, g1)
        if a < b:
            rows.append(("CDS", a, b, str((3 - done % 3) % 3), "Parent=transcript:NM_004448.4"))
            done += b - a
    with open(gff, "w") as fh:
        fh.write("##gff-version 3\n")
        for kind, a, b, phase, attrs in rows:
            fh.write(f"chr17\tbench\t{kind}\t{a + 1}\t{b}\t.\t+\t{phase}\t{attrs}\n")
    return fa, gff


def _pt(i):
    from her2scope.genome.transcript import TxPoint

    return TxPoint(i)


# -- sweep archive -----------------------------------------------------------------------------
def make_archive(panels: int = 2000, wgs: int = 20) -> Path:
    marker = ARCHIVE / ".complete"
    if marker.exists():
        return ARCHIVE
    shutil.rmtree(ARCHIVE, ignore_errors=True)
    lines = generate_vcf.panel_lines()
    head = generate_vcf.header()
    rng = random.Random(2000)
    for i in range(panels):
        folder = ARCHIVE / "panels" / f"run{i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        chosen = sorted(rng.sample(range(len(lines)), 60), key=lambda k: k)
        (folder / f"sample{i:04d}.vcf").write_text(head + "".join(lines[k] for k in chosen))
    (ARCHIVE / "wgs").mkdir(parents=True, exist_ok=True)
    for i in range(wgs):
        os.link(GENOME, ARCHIVE / "wgs" / f"wgs{i:02d}.vcf.gz")
    marker.touch()
    return ARCHIVE


def sweep_run(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the largest process, and the summary line."""
    out = OUT / "sweep_out"
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run([str(HER2SCOPE), "sweep", str(ARCHIVE), "-o", str(out), *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    if proc.returncode not in (0, 1):
        raise SystemExit(f"sweep {args} failed: {proc.stderr[-3000:]}")
    return seconds, peak, proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else ""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-sweep", action="store_true")
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args()
    if not CODING.exists():
        generate_vcf.write_coding_vcf(CODING)
    if not GENOME.exists():
        generate_vcf.write_genome_vcf(GENOME)
    print(f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = []
    ours = timed([str(HER2SCOPE), "annotate", str(CODING)], args.runs)
    start = timed([str(HER2SCOPE), "--version"], args.runs)
    # The same run with the validated-knowledge cache off: every process checks the YAML files.
    cold = timed([str(HER2SCOPE), "annotate", str(CODING)], args.runs,
                 env={**os.environ, "HER2SCOPE_CACHE_DIR": ""})
    rows.append(("annotate coding_5k.vcf (5,000 variants), whole process", fmt(ours),
                 f"target <= {TARGET_5K_S} s; {5000 / statistics.median(ours):,.0f} variants/s"))
    rows.append(("  same, knowledge cache off (HER2SCOPE_CACHE_DIR=)", fmt(cold),
                 f"{statistics.median(cold) - statistics.median(ours):+.3f} s vs cached"))
    rows.append(("  her2scope --version (start-up alone)", fmt(start), "-"))
    if shutil.which("bcftools"):
        fa, gff = csq_inputs()
        csq = timed(["bcftools", "csq", "-f", str(fa), "-g", str(gff), "--force", str(CODING)], args.runs)
        rows.append(("  baseline: bcftools csq, same file", fmt(csq), "whole process"))
    else:
        rows.append(("  baseline: bcftools csq", "not installed", "apt install bcftools"))
    rows.append(("  baseline: varcode", "not run", "needs Ensembl downloads (pyensembl): offline"))
    gz = timed(["gzip", "-dc", str(GENOME)], args.runs)
    scan = timed([str(HER2SCOPE), "annotate", str(GENOME)], args.runs)
    rows.append(("annotate genome_1m.vcf.gz, no index", fmt(scan),
                 f"{statistics.median(scan) / statistics.median(gz):.2f}x gzip -dc (target <= {TARGET_SCAN_RATIO}x)"))
    rows.append(("  baseline: gzip -dc", fmt(gz), "-"))
    if not args.no_sweep:
        make_archive()
        n = 2020
        for label, extra in (("sweep, 1 core", ["-j", "1"]), ("sweep, 2 cores", ["-j", "2"])) + (
                () if args.no_spark else (("sweep, Spark local[2]", ["--engine", "spark", "--master", "local[2]"]),)):
            seconds, peak, line = sweep_run(extra)
            rows.append((f"{label}: 2,000 panels + 20 WGS", f"{seconds:.1f} s",
                         f"{n / seconds:.1f} files/s; peak RSS {peak:.0f} MB (largest process)"))
    width = max(len(r[0]) for r in rows)
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:<26}  {r[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
