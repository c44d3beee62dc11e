"""The ``her2scope`` command line: a thin shell over the library calls.

Exit status: 0 all records fine, 1 some records failed (the output is complete for the
rest), 2 usage error.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    help="her2scope: find, explain and track HER2 (ERBB2)-mutant NSCLC. Runs offline.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
knowledge_app = typer.Typer(help="Inspect the bundled knowledge base.", no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")
from .cli_cohort import cohort_app  # noqa: E402
app.add_typer(cohort_app, name="cohort")
from .cli_registry import registry_app  # noqa: E402
app.add_typer(registry_app, name="registry")


class OutputFormat(str, enum.Enum):
    jsonl = "jsonl"
    tsv = "tsv"
    table = "table"


class BuildName(str, enum.Enum):
    GRCh37 = "GRCh37"
    GRCh38 = "GRCh38"


PROGRESS_MIN_BYTES = 32 << 20


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"her2scope {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None) -> None:
    """her2scope command line."""


def run_annotate(inputs: list[str], build: BuildName | None, reference: Path | None,
                 fmt: OutputFormat, output: Path | None, knowledge: Path | None,
                 tee: list | None = None) -> int:
    """Annotate, write, summarise on stderr; ``tee`` also collects every item written."""
    from .errors import Her2scopeError, OutputError
    from .genome.builds import Build
    from .pipeline import Options, annotate_inputs
    from .readers.base import FileSummary, RecordError
    from .render.outputs import open_output, writing
    from .render.records import write_jsonl, write_table, write_tsv

    options = Options(build=Build(build.value) if build else None,
                      reference=str(reference) if reference else None,
                      knowledge=str(knowledge) if knowledge else None)
    try:
        from .knowledge import load_knowledge

        load_knowledge(options.knowledge)   # a broken knowledge file is named before any work
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        return 2
    if options.reference:
        from .genome.reference import reference_for

        try:
            reference_for(options.reference)  # fail early on an unusable FASTA: a usage problem
        except Her2scopeError as exc:
            typer.echo(f"her2scope: {exc.message}", err=True)
            return 2
    summaries: list[FileSummary] = []
    failed = 0

    def counted(items):
        nonlocal failed
        for item in items:
            if isinstance(item, RecordError):
                failed += 1
            if tee is not None:
                tee.append(item)
            yield item

    items = counted(annotate_inputs(_with_progress(inputs), options, summaries))
    writer = {OutputFormat.jsonl: write_jsonl, OutputFormat.tsv: write_tsv,
              OutputFormat.table: write_table}[fmt]
    try:
        # None or "-": stdout; see render/outputs.py for the rest. A missing folder, a directory or
        # a full disk is named, exit 2, never a traceback.
        with writing(output), open_output(output) as fh:
            writer(items, fh)
    except OutputError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        return 2
    _print_summary(summaries, failed)
    return 1 if failed else 0


def _with_progress(inputs: list[str]):
    """Yield the inputs; with a terminal on stderr and large files, show a progress bar."""
    big = [p for p in inputs if os.path.isfile(p) and os.path.getsize(p) >= PROGRESS_MIN_BYTES]
    if not big or not sys.stderr.isatty():
        yield from inputs
        return
    from rich.progress import Progress

    with Progress(transient=True, console=_stderr_console()) as progress:
        task = progress.add_task("annotating", total=len(inputs))
        for path in inputs:
            progress.update(task, description=f"annotating {os.path.basename(path)}")
            yield path
            progress.advance(task)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _print_summary(summaries, failed: int) -> None:
    lines = []
    for s in summaries:
        parts = [f"{s.input}: {s.format}"]
        if s.build:
            parts.append(s.build)
        parts.append(f"{s.records} records")
        parts.append(f"{s.erbb2_records} ERBB2")
        parts.append(f"{s.skipped_non_erbb2} non-ERBB2 skipped")
        if s.errors:
            parts.append(f"{s.errors} failed")
        if s.used_index:
            parts.append("index used")
        lines.append(", ".join(parts))
        lines += [f"  warning: {w}" for w in s.warnings]
    lines.append(f"{len(summaries)} input(s); {failed} record(s) failed"
                 if failed else f"{len(summaries)} input(s); all records interpreted")
    sys.stderr.write("\n".join(lines) + "\n")


@app.command()
def annotate(
    inputs: Annotated[list[str], typer.Argument(
        help="VCF/BCF (.vcf, .vcf.gz, .bcf), MAF, or text files of HGVS expressions; an HGVS "
             "expression may also be given directly.", metavar="INPUT...")],
    build: Annotated[Optional[BuildName], typer.Option(
        "--build", help="Genome build when the input does not state it. A contradiction with "
                        "the file's own header is an error, never an override.")] = None,
    reference: Annotated[Optional[Path], typer.Option(
        "--reference", help="Indexed genome FASTA (samtools faidx) for intronic context.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.jsonl,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    knowledge: Annotated[Optional[Path], typer.Option(
        "--knowledge", help="Use this knowledge-base YAML instead of the bundled one.")] = None,
) -> None:
    """Normalize, name (HGVS on NM_004448.4 / NP_004439.2) and classify every ERBB2 variant."""
    raise typer.Exit(run_annotate(inputs, build, reference, fmt, output, knowledge))


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the JSON lines.")]
    = Path("demo-output/annotations.jsonl"),
) -> None:
    """Annotate the bundled demo batch (synthetic patients with real ERBB2 variants, plus one
    broken file) and print the table. Exit status 1 is expected: the broken file fails."""
    from importlib import resources

    demo_dir = resources.files("her2scope") / "demo_data"
    inputs = sorted(str(p) for p in demo_dir.iterdir()
                    if p.name.startswith(("patient", "bad")) and not p.name.endswith((".tbi", ".csi")))
    output.parent.mkdir(parents=True, exist_ok=True)
    items: list = []
    code = run_annotate(inputs, None, None, OutputFormat.jsonl, output, None, tee=items)
    typer.echo(f"wrote {output}", err=True)
    from dataclasses import replace

    from .render.records import write_table

    write_table([replace(i, input=os.path.basename(i.input)) for i in items], sys.stdout)
    typer.echo("demo: exit status 1 is expected here (bad_truncated.vcf.gz is broken on purpose)"
               if code == 1 else "demo: done", err=True)
    _demo_reports(demo_dir / "cases", output.parent / "reports")
    raise typer.Exit(0 if code in (0, 1) else code)


def _demo_reports(case_dir, out_dir: Path) -> None:
    """One report per demo patient case: HTML, JSON, FHIR and (with weasyprint) PDF."""
    from .cli_report import write_report
    from .report.model import make_report

    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        import weasyprint  # noqa: F401

        formats = ("html", "json", "fhir.json", "pdf")
    except ImportError:
        formats = ("html", "json", "fhir.json")
        typer.echo("demo: PDF skipped (pip install 'her2scope[report]' for WeasyPrint)", err=True)
    for case in sorted(p for p in case_dir.iterdir() if p.name.endswith(".yaml")):
        rep = make_report(str(case))
        stem = case.name.removesuffix(".yaml")
        for fmt in formats:
            write_report(rep, out_dir / f"{stem}.{fmt}")
        typer.echo(f"\n{rep.case.case_id}: {rep.headline()}")
    typer.echo(f"\nreports written to {out_dir}/ ({', '.join(formats)})", err=True)


@knowledge_app.command("show")
def knowledge_show(
    knowledge: Annotated[Optional[Path], typer.Option("--knowledge", help="Knowledge-base YAML.")] = None,
) -> None:
    """Version, date and curated variants of the knowledge base."""
    from .knowledge import load_knowledge

    from .errors import Her2scopeError

    try:
        kb = load_knowledge(str(knowledge) if knowledge else None)
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"knowledge_version {kb.version} released {kb.released} ({kb.path})")
    if kb.generation >= 2:
        cited = {c for v in kb.variants.values() for e in v.evidence for c in e.citations}
        typer.echo(f"  {len(kb.variants)} curated variants from {len(kb.fragments)} fragments, {len(cited)} sources "
                   f"cited ({len(kb.sources)} defined); class rules: {', '.join(r.id for r in kb.rules) or 'none'}")
    for v in kb.variants.values():
        typer.echo(f"  {v.protein_change:<18} {v.oncogenicity:<24} {', '.join(v.vicc_codes) or '-'}")


from .cli_burden import burden  # noqa: E402  (light module: numpy/matplotlib load inside the command)

app.command("burden")(burden)
from .cli_report import knowledge_diff, report  # noqa: E402

app.command("report")(report)
knowledge_app.command("diff")(knowledge_diff)
from .cli_knowledge import knowledge_audit  # noqa: E402

knowledge_app.command("audit")(knowledge_audit)
from .cli_web import serve  # noqa: E402  (fastapi/uvicorn load inside the command)

app.command("serve")(serve)
from .cli_sweep import sweep  # noqa: E402  (duckdb/pyspark load inside the command)

app.command("sweep")(sweep)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
