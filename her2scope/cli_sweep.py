"""``her2scope sweep DIR|MANIFEST -o OUT``: annotate a whole archive into Parquet (docs/sweep.md).

The sweep itself (the whole annotation pipeline, DuckDB, PySpark, SQLAlchemy for the registry
step) loads inside the command only: ``her2scope.cli`` imports this module at start-up.
"""

from __future__ import annotations

import enum
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .cli_registry import DbOpt, TokenOpt, UserOpt, _actor, _open
from .errors import Her2scopeError

if TYPE_CHECKING:
    # lazy: start-up (the whole CLI imports this module; the sweep's libraries load when it runs)
    from .sweep.registry_step import RegistryOptions
    from .sweep.worker import Settings


class SweepEngine(str, enum.Enum):
    local = "local"
    spark = "spark"


class SweepBuild(str, enum.Enum):
    GRCh37 = "GRCh37"
    GRCh38 = "GRCh38"


class SweepSampleType(str, enum.Enum):
    tissue = "tissue"
    plasma = "plasma"


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
    registry: Annotated[bool, typer.Option("--registry", help="After the tables, store each matched sample's "
                                           "result in the registry as an NGS test (docs/sweep.md).")] = False,
    registry_only: Annotated[bool, typer.Option("--registry-only", help="Annotate nothing: run only the "
                                                "registry step on the tables already in OUTPUT.")] = False,
    db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None,
    sample_type: Annotated[Optional[SweepSampleType], typer.Option(
        "--sample-type", help="tissue or plasma, for files whose manifest line gives no sample_type.")] = None,
    assay_covers_erbb2: Annotated[bool, typer.Option(
        "--assay-covers-erbb2", help="Every swept assay covered ERBB2: samples without an activating variant "
                                     "are stored too (negative, not detected or equivocal).")] = False,
    match_sample_names: Annotated[bool, typer.Option(
        "--match-sample-names", help="A sample named exactly like a registry patient is that patient.")] = False,
    create_patients: Annotated[bool, typer.Option(
        "--registry-create-patients", help="Create a patient the manifest names but the registry lacks.")] = False,
) -> None:
    """Annotate every VCF/BCF/MAF of an archive on all cores: Parquet tables of variants, errors,
    per-file status and samples with an activating ERBB2 variant; resumable (files already done,
    recognised by path and checksum, are skipped). With --registry, each sample's result goes to
    the registry (tested by: registry.tsv in OUTPUT lists every sample's outcome).
    Exit 1 when a file failed or a record did, or a sample with an activating variant was not stored."""
    # lazy: start-up (the whole CLI imports this module; the sweep's libraries load when it runs)
    from .sweep.registry_step import RegistryOptions
    from .sweep.worker import Settings

    out = str(output)
    settings = Settings(build=build.value if build else None,
                        reference=os.path.abspath(reference) if reference else None,
                        knowledge=os.path.abspath(knowledge) if knowledge else None)
    to_registry = None
    if registry or registry_only:
        opts = RegistryOptions(sample_type.value if sample_type else None, assay_covers_erbb2,
                               match_sample_names, create_patients)
        to_registry = _registry_target(source, opts, db, user, token)   # asks for a password now, not after the sweep
    code = 0
    if not registry_only:
        code = _sweep_files(source, out, settings, engine, jobs, master, restart)
    if to_registry is not None:
        reg, actor, opts, links = to_registry
        code = max(code, _registry_step(out, reg, actor, opts, links, knowledge is not None))
    raise typer.Exit(code)


def _registry_target(source: str, opts: RegistryOptions, db: str | None, user: str | None, token: str | None):
    """(registry, acting user, options, manifest links), checked before any work is done."""
    # lazy: start-up (the whole CLI imports this module; the sweep's libraries load when it runs)
    from .readers.manifest import read_manifest_links

    links = None
    if os.path.isfile(source):
        try:
            links = read_manifest_links(source)
        except Her2scopeError as exc:
            typer.echo(f"her2scope: {exc.message}", err=True)
            raise typer.Exit(2) from None
    if opts.sample_type is None and not (links and all(ln.sample_type for ln in links)):
        typer.echo("her2scope: --registry needs to know whether the files are tissue or plasma: give "
                   "--sample-type, or a sample_type column in the manifest", err=True)
        raise typer.Exit(2)
    reg = _open(db)
    try:
        actor = _actor(reg, user, token)
    except BaseException:
        reg.close()
        raise
    return reg, actor, opts, links


def _registry_step(out: str, reg, actor, opts: RegistryOptions, links, custom_knowledge: bool) -> int:
    """Run the registry step, print its summary; 1 when a sample with an activating variant was
    not stored (unmatched, no such patient, refused), else 0."""
    # lazy: start-up (the whole CLI imports this module; the sweep's libraries load when it runs)
    from .sweep.registry_step import run_registry_step

    try:
        lines = run_registry_step(out, reg, actor, opts, links=links)
    except Her2scopeError as exc:
        typer.echo(f"her2scope: registry step: {exc.code}: {exc.message}", err=True)
        return 1
    finally:
        reg.close()
    counts = Counter(ln.outcome.value for ln in lines)
    missed = [ln for ln in lines if ln.unit.activating and not ln.outcome.in_registry]
    text = [f"registry: {len(lines)} samples: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
            + f" (every sample's outcome: {os.path.join(out, 'registry.tsv')})"]
    if custom_knowledge:
        text.append("registry: results were interpreted with the registry's own (bundled) knowledge base")
    text += [f"  activating, not stored: {ln.unit.file} sample {ln.unit.sample or '-'}: {ln.outcome.value}: "
             f"{ln.match.reason or ln.detail}" for ln in missed[:20]]
    if len(missed) > 20:
        text.append(f"  ... and {len(missed) - 20} more (registry.tsv)")
    sys.stderr.write("\n".join(text) + "\n")
    return 1 if missed else 0


def _sweep_files(source: str, out: str, settings: Settings, engine: SweepEngine, jobs: int | None,
                 master: str | None, restart: bool) -> int:
    """Annotate the files into the tables; the exit status (0, 1; 2 raised for usage errors)."""
    # lazy: start-up (the whole CLI imports this module; the sweep's libraries load when it runs)
    from .sweep.discover import discover

    try:
        inputs, skipped = discover(source, exclude=out if engine is SweepEngine.local else None)
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(2) from None
    if not inputs:
        typer.echo(f"her2scope: no VCF, BCF or MAF files in {source}", err=True)
        raise typer.Exit(2)
    try:
        import duckdb  # noqa: F401  # lazy: an optional extra, probed to give a hint
    except ImportError:
        if engine is SweepEngine.local:
            typer.echo("her2scope: sweep writes Parquet with DuckDB: pip install 'her2scope[cohort]'", err=True)
            raise typer.Exit(2) from None
    if engine is SweepEngine.spark:
        from .sweep.spark import run_spark  # lazy: start-up

        counts = run_spark(inputs, out, settings, master=master)
        typer.echo(f"{len(inputs)} files -> {out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), err=True)
        return 0
    from .sweep.local import run_local  # lazy: start-up

    try:
        result = run_local(inputs, out, settings, jobs=jobs, restart=restart)
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(2) from None
    sys.stderr.write("\n".join(_summary(result, skipped, out)) + "\n")
    return 1 if result.failed or result.errors else 0


def _summary(result, skipped: int, out: str) -> list[str]:
    lines = [f"{result.files} files ({skipped} other files skipped by name): {result.done} done, "
             f"{result.failed} failed; {result.resumed} taken from an earlier run",
             f"{result.records:,} records, {result.variants:,} ERBB2 variant rows, {result.errors:,} "
             f"record errors; {result.activating_samples} samples with an activating ERBB2 variant",
             f"tables: {out}/variants.parquet, errors.parquet, files.parquet, activating_samples.parquet "
             f"({result.seconds:.1f} s, {result.files / max(result.seconds, 1e-9):.1f} files/s)"]
    lines += [f"  failed: {f}: {reason}" for f, reason in result.failures[:20]]
    if len(result.failures) > 20:
        lines.append(f"  ... and {len(result.failures) - 20} more (files.parquet, status = 'failed')")
    return lines
