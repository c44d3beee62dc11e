"""``her2scope sweep DIR|MANIFEST -o OUT``: annotate a whole archive into Parquet (docs/sweep.md).

Heavy libraries (DuckDB, PySpark) load inside the command only.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer


class SweepEngine(str, enum.Enum):
    local = "local"
    spark = "spark"


class SweepBuild(str, enum.Enum):
    GRCh37 = "GRCh37"
    GRCh38 = "GRCh38"


def sweep(
    source: Annotated[str, typer.Argument(
        help="A folder (searched recursively for .vcf, .vcf.gz, .vcf.bgz, .bcf, .maf, .maf.gz, "
             ".maf.txt) or a manifest file listing one input path per line.", metavar="DIR|MANIFEST")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder (Parquet tables; "
                                         "with --engine spark any URI Spark writes).")],
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                                                help="Worker processes (default: all cores).")] = None,
    engine: Annotated[SweepEngine, typer.Option("--engine", help="local (process pool) or spark.")]
    = SweepEngine.local,
    master: Annotated[Optional[str], typer.Option(
        "--master", help="Spark master (default: spark-submit's, else local[2]).")] = None,
    build: Annotated[Optional[SweepBuild], typer.Option(
        "--build", help="Genome build for files that do not state it (as for annotate).")] = None,
    reference: Annotated[Optional[Path], typer.Option("--reference", help="Indexed genome FASTA.")] = None,
    knowledge: Annotated[Optional[Path], typer.Option("--knowledge", help="Knowledge-base YAML.")] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Ignore the finished files of an "
                                          "earlier run and annotate everything again.")] = False,
) -> None:
    """Annotate every VCF/BCF/MAF of an archive on all cores: Parquet tables of variants, errors,
    per-file status and samples with an activating ERBB2 variant; resumable (files already done,
    recognised by path and checksum, are skipped). Exit 1 when a file failed or a record did."""
    from .errors import Her2scopeError
    from .sweep.discover import discover
    from .sweep.worker import Settings

    out = str(output)
    settings = Settings(build=build.value if build else None,
                        reference=os.path.abspath(reference) if reference else None,
                        knowledge=os.path.abspath(knowledge) if knowledge else None)
    try:
        inputs, skipped = discover(source, exclude=out if engine is SweepEngine.local else None)
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(2) from None
    if not inputs:
        typer.echo(f"her2scope: no VCF, BCF or MAF files in {source}", err=True)
        raise typer.Exit(2)
    try:
        import duckdb  # noqa: F401
    except ImportError:
        if engine is SweepEngine.local:
            typer.echo("her2scope: sweep writes Parquet with DuckDB: pip install 'her2scope[cohort]'", err=True)
            raise typer.Exit(2) from None
    if engine is SweepEngine.spark:
        from .sweep.spark import run_spark

        counts = run_spark(inputs, out, settings, master=master)
        typer.echo(f"{len(inputs)} files -> {out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), err=True)
        raise typer.Exit(0)
    from .sweep.local import run_local

    try:
        result = run_local(inputs, out, settings, jobs=jobs, restart=restart)
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(2) from None
    lines = [f"{result.files} files ({skipped} other files skipped by name): {result.done} done, "
             f"{result.failed} failed; {result.resumed} taken from an earlier run",
             f"{result.records:,} records, {result.variants:,} ERBB2 variant rows, {result.errors:,} "
             f"record errors; {result.activating_samples} samples with an activating ERBB2 variant",
             f"tables: {out}/variants.parquet, errors.parquet, files.parquet, activating_samples.parquet "
             f"({result.seconds:.1f} s, {result.files / max(result.seconds, 1e-9):.1f} files/s)"]
    lines += [f"  failed: {f}: {reason}" for f, reason in result.failures[:20]]
    if len(result.failures) > 20:
        lines.append(f"  ... and {len(result.failures) - 20} more (files.parquet, status = 'failed')")
    sys.stderr.write("\n".join(lines) + "\n")
    raise typer.Exit(1 if result.failed or result.errors else 0)
