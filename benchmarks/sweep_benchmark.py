"""Issue 14 figures, side by side in one run (on demand; never part of the test suite):

1. per variant   5,000 ERBB2 coding variants (coding_5k.vcf), whole process incl. start-up:
                 `her2scope annotate` vs `bcftools csq` (same variants, a GFF3 of NM_004448.4 and
                 the bundled GRCh38 locus as reference) and varcode (in its own venv, on a
                 pyensembl genome built offline from the same transcript; see README.md),
                 with the protein changes of ours and varcode's compared
2. scan          1,000,000-record unindexed genome_1m.vcf.gz vs `gzip -dc`
3. sweep         2,000 synthetic panel VCFs + 20 WGS-size VCF.gz (hard links of genome_1m):
                 files/s and peak RSS on 1 and 2 cores, and on Spark local[2]

    .venv/bin/python benchmarks/sweep_benchmark.py [--runs 5] [--no-spark] [--no-sweep]

Every figure is the median of --runs (best shown) with its baseline beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_vcf  # noqa: E402
import varcode_baseline  # noqa: E402

OUT = HERE / "out"
CODING = OUT / "coding_5k.vcf"
GENOME = OUT / "genome_1m.vcf.gz"
ARCHIVE = OUT / "sweep_archive"
HER2SCOPE = Path(sys.executable).parent / "her2scope"
VARCODE_DIR = OUT / "varcode"
TARGET_5K_S = 0.25
TARGET_SCAN_RATIO = 0.7


def timed(cmd: list[str], runs: int, **kw) -> list[float]:
    return interleaved({"c": cmd}, runs, **kw)["c"]


def interleaved(cmds: dict[str, list[str]], runs: int, **kw) -> dict[str, list[float]]:
    """Wall seconds of each command, run in turn (so a burst of load elsewhere on a shared
    machine hits them alike) after one untimed run each (page cache).  Exit status 1 is
    allowed (her2scope's 'some records had errors'); a traceback is not."""
    for cmd in cmds.values():
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    out: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            t = time.perf_counter()
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
            out[name].append(time.perf_counter() - t)
            if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in proc.stderr:
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


# -- varcode ---------------------------------------------------------------------------------
def varcode_rows(runs: int) -> list[tuple[str, str, str]]:
    """varcode (its own venv, offline genome of NM_004448.4) on the same file, and how often its
    protein changes agree with ours."""
    python = varcode_baseline.varcode_python()
    if python is None or not python.exists():
        return [("  baseline: varcode", "not installed", "(see benchmarks/README.md)")]
    times, result = varcode_baseline.run(python, CODING, VARCODE_DIR, runs)
    proc = subprocess.run([str(HER2SCOPE), "annotate", str(CODING)], capture_output=True, text=True)
    ours = [json.loads(line) for line in proc.stdout.splitlines()]
    from her2scope.genome.transcript import erbb2

    tally = varcode_baseline.agreement(ours, result["rows"], erbb2().protein)
    same, total = sum(a for a, _ in tally.values()), sum(n for _, n in tally.values())
    rows = [("  baseline: varcode, same file", fmt(times),
             f"whole process; load_vcf + effects alone {result['seconds']:.3f} s"),
            ("  varcode agreement (protein change)", f"{100 * same / max(total, 1):.2f}%",
             f"{same:,} of {total:,} variants")]
    rows += [(f"    {kind}", f"{a:,} / {n:,}", "") for kind, (a, n) in tally.items()]
    return rows


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


def sweep_run(args: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS (MB) of the largest single process, peak RSS summed over the whole
    process tree (sampled every 0.2 s: workers, Spark's JVM and its Python workers), and the
    summary line."""
    out = OUT / "sweep_out"
    shutil.rmtree(out, ignore_errors=True)
    # The largest process: ru_maxrss of the sweep's own children, read by a wrapper process
    # (this process's RUSAGE_CHILDREN would also hold varcode's and earlier runs' peaks).
    wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]).returncode; "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r)")
    with tempfile.TemporaryFile("w+") as log:       # a pipe left unread could fill and block
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", wrapper, str(HER2SCOPE), "sweep", str(ARCHIVE),
                                 "-o", str(out), *args], stdout=subprocess.DEVNULL, stderr=log, text=True)
        tree_peak = 0
        while proc.poll() is None:
            tree_peak = max(tree_peak, tree_rss(proc.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - t
        log.seek(0)
        err = log.read().strip().splitlines()
    if proc.returncode not in (0, 1) or not err:
        raise SystemExit(f"sweep {args} failed: {chr(10).join(err[-30:])}")
    largest = int(err[-1]) / 1024
    return seconds, largest, tree_peak / (1 << 20), err[0] if len(err) > 1 else ""


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants now (Linux /proc; 0 elsewhere)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * page
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree)


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
    rows += varcode_rows(args.runs)
    pair = interleaved({"gz": ["gzip", "-dc", str(GENOME)],
                        "scan": [str(HER2SCOPE), "annotate", str(GENOME)]}, args.runs)
    gz, scan = pair["gz"], pair["scan"]
    rows.append(("annotate genome_1m.vcf.gz, no index", fmt(scan),
                 f"{statistics.median(scan) / statistics.median(gz):.2f}x gzip -dc (target <= {TARGET_SCAN_RATIO}x)"))
    rows.append(("  baseline: gzip -dc", fmt(gz), "-"))
    if not args.no_sweep:
        make_archive()
        n = 2020
        for label, extra in (("sweep, 1 core", ["-j", "1"]), ("sweep, 2 cores", ["-j", "2"])) + (
                () if args.no_spark else (("sweep, Spark local[2]", ["--engine", "spark", "--master", "local[2]"]),)):
            seconds, largest, total, line = sweep_run(extra)
            rows.append((f"{label}: 2,000 panels + 20 WGS", f"{seconds:.1f} s",
                         f"{n / seconds:.1f} files/s; peak RSS {largest:.0f} MB largest process, "
                         f"{total:.0f} MB all processes"))
    width = max(len(r[0]) for r in rows)
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:<26}  {r[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
