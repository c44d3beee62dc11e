"""her2scope speed benchmarks (run on demand with `make bench`; never part of the test suite).

Generates the synthetic data in benchmarks/out/ when missing (see generate_vcf.py), then:

1. unindexed scan   `her2scope annotate genome_1m.vcf.gz` vs `gzip -dc genome_1m.vcf.gz`,
                    wall clock, target ratio <= 2.0
2. indexed lookup   the same file with a tabix (.tbi) and with a CSI index: the library call
                    `annotate_inputs([path], Options())` in a warm process, target < 50 ms;
                    whole-process wall time reported too; output checked identical to (1)
3. panel            `her2scope annotate panel_500.vcf`, whole process incl. start-up, < 0.5 s

Prints a table (measure, value, target/baseline, pass/fail).  Exit status 0 when every
target is met and the indexed output matches, 1 otherwise.

    .venv/bin/python benchmarks/run_benchmarks.py [--runs 5] [--regenerate] [--importtime]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_vcf  # noqa: E402  (benchmarks/ is not a package)

OUT = HERE / "out"
GENOME = OUT / "genome_1m.vcf.gz"           # never indexed: the unindexed scan
GENOME_TBI = OUT / "genome_1m_tbi.vcf.gz"   # same bytes (hard link) + .tbi
GENOME_CSI = OUT / "genome_1m_csi.vcf.gz"   # same bytes (hard link) + .csi only
PANEL = OUT / "panel_500.vcf"
HER2SCOPE = Path(sys.executable).parent / "her2scope"

SCAN_RATIO_MAX = 2.0
INDEXED_MAX_S = 0.050
PANEL_MAX_S = 0.5


# -- data ----------------------------------------------------------------------------------
def _link(src: Path, dst: Path) -> None:
    if dst.exists():
        dst.unlink()
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def prepare(regenerate: bool) -> None:
    import pysam

    if regenerate or not GENOME.exists():
        print(f"generating {GENOME} (1,000,000 records; ~15 s) ...", flush=True)
        generate_vcf.write_genome_vcf(GENOME)
        for stale in (GENOME_TBI, GENOME_CSI):
            for p in (stale, Path(f"{stale}.tbi"), Path(f"{stale}.csi")):
                p.unlink(missing_ok=True)
    if regenerate or not PANEL.exists():
        generate_vcf.write_panel_vcf(PANEL)
    # An index next to the unindexed file would silently turn benchmark 1 into benchmark 2.
    for ext in (".tbi", ".csi"):
        Path(f"{GENOME}{ext}").unlink(missing_ok=True)
    if not Path(f"{GENOME_TBI}.tbi").exists():
        _link(GENOME, GENOME_TBI)
        pysam.tabix_index(str(GENOME_TBI), preset="vcf", force=True)
    if not Path(f"{GENOME_CSI}.csi").exists():
        _link(GENOME, GENOME_CSI)
        pysam.tabix_index(str(GENOME_CSI), preset="vcf", force=True, csi=True)
    Path(f"{GENOME_CSI}.tbi").unlink(missing_ok=True)   # a .tbi would win over the .csi


# -- timing --------------------------------------------------------------------------------
def wall(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - t, proc


def timed_runs(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Run each command once untimed (page cache), then ``runs`` times, interleaved so that a
    burst of load elsewhere on the machine hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():
        wall(cmd)
    for _ in range(runs):
        for name, cmd in commands.items():
            seconds, proc = wall(cmd)
            if proc.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr}")
            times[name].append(seconds)
    return times


def _ms(s: float) -> str:
    return f"{s * 1000:.1f} ms"


def _s(s: float) -> str:
    return f"{s:.3f} s"


# -- correctness of the index path -------------------------------------------------------------
def _cli_records(path: Path) -> tuple[list[dict], str]:
    proc = subprocess.run([str(HER2SCOPE), "annotate", str(path)], capture_output=True, text=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    for row in rows:
        row.pop("input", None)
    return rows, proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else ""


def compare_outputs(reference: list[dict], other: list[dict], label: str) -> list[str]:
    problems = []
    if len(reference) != len(other):
        problems.append(f"{label}: {len(other)} output rows, unindexed gave {len(reference)}")
    for a, b in zip(reference, other):
        if a != b:
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            problems.append(f"{label}: record {a.get('record')} vs {b.get('record')} differ in "
                            + ", ".join(f"{k} ({a.get(k)!r} vs {b.get(k)!r})" for k in keys[:4]))
    return problems


# -- in-process indexed lookup --------------------------------------------------------------
def library_lookup(path: Path, runs: int) -> tuple[list[float], list, object]:
    from her2scope.pipeline import Options, annotate_inputs
    from her2scope.readers.base import FileSummary

    list(annotate_inputs([str(path)], Options()))         # warm-up: knowledge base, page cache
    times, items, summary = [], [], None
    for _ in range(max(runs, 9)):
        summaries: list[FileSummary] = []
        t = time.perf_counter()
        items = list(annotate_inputs([str(path)], Options(), summaries))
        times.append(time.perf_counter() - t)
        summary = summaries[0]
    return times, items, summary


def import_offenders(path: Path, top: int = 12) -> list[str]:
    cmd = [sys.executable, "-X", "importtime", "-m", "her2scope", "annotate", str(path)]
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _self, cumulative, name = (x.strip() for x in line[len("import time:"):].split("|"))
            rows.append((int(cumulative), int(_self), name))
    rows.sort(reverse=True)
    return [f"{c / 1000:8.1f} ms cumulative {s / 1000:7.1f} ms self  {n}" for c, s, n in rows[:top]]


# -- main ------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description="her2scope speed benchmarks")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median reported)")
    ap.add_argument("--regenerate", action="store_true", help="rebuild the data in benchmarks/out/")
    ap.add_argument("--importtime", action="store_true", help="always show `-X importtime` offenders")
    args = ap.parse_args()

    prepare(args.regenerate)
    import isal
    import pysam

    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc), load average "
          f"{' '.join(f'{x:.2f}' for x in load)}; Python {platform.python_version()}, "
          f"isal {isal.__version__}, pysam {pysam.__version__}")
    print(f"data: {GENOME.name} {GENOME.stat().st_size / 1e6:.1f} MB bgzipped, "
          f"{PANEL.name} {PANEL.stat().st_size / 1e3:.0f} kB; {args.runs} timed runs each, median shown\n")

    rows: list[tuple[str, str, str, str]] = []
    problems: list[str] = []
    ok = True

    # 1. Unindexed scan vs gzip -dc.
    gzip = shutil.which("gzip")
    cmds = {"her2scope": [str(HER2SCOPE), "annotate", str(GENOME)]}
    if gzip:
        cmds["gzip"] = [gzip, "-dc", str(GENOME)]
    t = timed_runs(cmds, args.runs)
    scan = statistics.median(t["her2scope"])
    if gzip:
        base = statistics.median(t["gzip"])
        ratio = scan / base
        passed = ratio <= SCAN_RATIO_MAX
        ok &= passed
        rows.append(("gzip -dc genome_1m.vcf.gz (baseline)", _s(base), f"best {_s(min(t['gzip']))}", "-"))
        rows.append(("annotate genome_1m.vcf.gz, no index", _s(scan),
                     f"best {_s(min(t['her2scope']))}; <= {SCAN_RATIO_MAX:g}x gzip", "-"))
        rows.append(("  ratio annotate / gzip -dc", f"{ratio:.2f}x", f"<= {SCAN_RATIO_MAX:g}x",
                     "PASS" if passed else "FAIL"))
    else:
        rows.append(("annotate genome_1m.vcf.gz, no index", _s(scan), "gzip not installed: no baseline",
                     "n/a"))

    reference, note = _cli_records(GENOME)
    if "1000000 records" not in note:
        problems.append(f"unindexed summary unexpected: {note!r}")

    # 2. Indexed lookups.
    for label, path in (("tabix .tbi", GENOME_TBI), ("CSI .csi", GENOME_CSI)):
        times, items, summary = library_lookup(path, args.runs)
        med = statistics.median(times)
        passed = med < INDEXED_MAX_S
        ok &= passed
        rows.append((f"annotate_inputs(), {label} index", _ms(med),
                     f"best {_ms(min(times))}; < {INDEXED_MAX_S * 1000:.0f} ms",
                     "PASS" if passed else "FAIL"))
        if not summary.used_index:
            problems.append(f"{label}: the index was not used ({summary.notes})")
        if summary.records != 1_000_000:
            problems.append(f"{label}: summary counts {summary.records} records, not 1,000,000")
        proc_times = timed_runs({"p": [str(HER2SCOPE), "annotate", str(path)]}, args.runs)["p"]
        rows.append((f"  whole process, {label} index", _s(statistics.median(proc_times)),
                     f"best {_s(min(proc_times))} (reported, no target)", "-"))
        indexed, _ = _cli_records(path)
        problems += compare_outputs(reference, indexed, f"{label} vs unindexed")
    same = not problems
    ok &= same
    rows.append(("indexed output == unindexed output", "yes" if same else "NO",
                 f"{len(reference)} records, numbers and fields", "PASS" if same else "FAIL (bug)"))

    # 3. Panel, whole process.
    t = timed_runs({"panel": [str(HER2SCOPE), "annotate", str(PANEL)]}, args.runs)["panel"]
    panel = statistics.median(t)
    panel_ok = panel < PANEL_MAX_S
    ok &= panel_ok
    rows.append(("annotate panel_500.vcf, whole process", _s(panel),
                 f"best {_s(min(t))}; < {PANEL_MAX_S:g} s", "PASS" if panel_ok else "FAIL"))
    startup = statistics.median(timed_runs({"v": [str(HER2SCOPE), "--version"]}, args.runs)["v"])
    rows.append(("  her2scope --version (start-up alone)", _s(startup), "reported, no target", "-"))

    widths = [max(len(r[i]) for r in rows + [("measure", "value", "target / baseline", "result")])
              for i in range(4)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format("measure", "value", "target / baseline", "result"))
    print(line.format(*("-" * w for w in widths)))
    for r in rows:
        print(line.format(*r))
    for p in problems:
        print(f"BUG: {p}")
    if args.importtime or not panel_ok:
        print("\n`python -X importtime` top offenders for the panel run:")
        for r in import_offenders(PANEL):
            print("  " + r)
    print("\nall targets met" if ok else "\nsome targets NOT met (see FAIL above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
