"""The ``her2scope`` command line: a thin shell over the library calls.

Exit status: 0 all records fine, 1 some records failed (the output is complete for the
rest), 2 usage error.
"""

from __future__ import annotations

import copy
import enum
import functools
import gc
import os
import re
import sys
import textwrap
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._version import __version__
from .cli_help import polish
from .errors import Her2scopeError, OutputError
from .genome.builds import Build
from .progress import Feedback, feedback_of
from .render.outputs import open_output, writing

# The command line as one Typer tree. The commands of this module are registered on import; those
# defined in their own modules (cli_*.py) only when a line names them or the whole tree is needed
# (``_with_all_commands``): importing them cost every run of annotate about 4.5 ms of start-up.
# ``her2scope.cli.app`` (for tests and embedding) is always the whole tree (``__getattr__`` below).
_app = typer.Typer(
    help="her2scope: find, explain and track HER2 (ERBB2)-mutant NSCLC. Runs offline: no patient data "
         "leaves this machine. New here? Run 'her2scope demo', then 'her2scope doctor' to see what is "
         "installed. Shell completion: 'her2scope --install-completion' (bash, zsh, fish, PowerShell).",
    no_args_is_help=True, add_completion=True, pretty_exceptions_enable=False)
knowledge_app = typer.Typer(help="Inspect the bundled knowledge base.", no_args_is_help=True)
_app.add_typer(knowledge_app, name="knowledge")


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
        typer.echo(f"her2scope {__version__}")
        raise typer.Exit()


QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Show no progress and no summary on standard error; errors still show.")]
VerboseOpt = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Print each step and its duration on standard error.")]


@_app.callback()
def main_options(ctx: typer.Context, version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None,
        quiet: QuietOpt = False, verbose: VerboseOpt = False) -> None:
    """her2scope command line."""
    ctx.obj = Feedback(quiet=quiet, verbose=verbose)   # read by every command through feedback_of(ctx)


def run_annotate(inputs: list[str], build: BuildName | None, reference: Path | None,
                 fmt: OutputFormat, output: Path | None, knowledge: Path | None,
                 tee: list | None = None, *, columns: tuple[str, ...] | None = None, feedback=None,
                 names: dict[str, str] | None = None) -> int:
    """Annotate, write, summarise on stderr; ``tee`` also collects every item written.

    ``columns``: the table's columns (``--format table``); ``feedback``: progress and verbosity
    (``progress.Feedback``); ``names``: how to show an input (the demo's bundled files by name)."""
    # lazy: start-up (readers, render and the pipeline load the whole engine: ~40 ms)
    from .readers.base import FileSummary, RecordError
    from .render.records import write_jsonl, write_tsv
    from .render.table import DEFAULT_COLUMNS, write_table

    feedback = feedback or Feedback()
    names = names or {}
    options = _checked_options(build, reference, knowledge)
    if options is None:
        return 2
    # Modules, knowledge base and transcript live as long as the process: move them out of the
    # collector's sight, so its passes over the many short-lived per-variant objects stay short.
    gc.freeze()
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

    items = counted(_annotate_arguments(_with_progress(inputs, feedback, names), options, summaries))

    def table(items, fh):
        write_table(items, fh, columns=columns or DEFAULT_COLUMNS, names=names)

    writer = {OutputFormat.jsonl: write_jsonl, OutputFormat.tsv: write_tsv, OutputFormat.table: table}[fmt]
    try:
        # None or "-": stdout; see render/outputs.py for the rest. A missing folder, a directory or
        # a full disk is named, exit 2, never a traceback.
        with writing(output), open_output(output) as fh:
            writer(items, fh)
    except OutputError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        return 2
    if not feedback.quiet:
        _print_summary(summaries, failed, names)
    else:
        for s in summaries:      # a warning concerns the results: shown even under --quiet
            for w in s.warnings:
                sys.stderr.write(f"{names.get(s.input, s.input)}: warning: {w}\n")
    return 1 if failed else 0


def _checked_options(build: BuildName | None, reference: Path | None, knowledge: Path | None):
    """The pipeline Options of the command line, or None after naming on stderr a knowledge base
    or reference FASTA that cannot be used (checked before any work: a usage problem)."""
    # lazy: start-up (readers, render and the pipeline load the whole engine: ~40 ms)
    from .knowledge import load_knowledge
    from .pipeline import Options

    options = Options(build=Build(build.value) if build else None,
                      reference=str(reference) if reference else None,
                      knowledge=str(knowledge) if knowledge else None)
    try:
        load_knowledge(options.knowledge)   # a broken knowledge file is named before any work
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        return None
    if options.reference:
        from .genome.reference import reference_for  # lazy: pysam, only with --reference

        try:
            # An unusable FASTA fails early; it is opened once for every input. On the command line
            # the reference is a path (a provider is a library caller's option).
            options = replace(options, reference=reference_for(options.reference))  # type: ignore[arg-type]
        except Her2scopeError as exc:
            typer.echo(f"her2scope: {exc.message}", err=True)
            return None
    return options


def _annotate_arguments(arguments, options, summaries):
    """The command line's rule: an argument is a file, unless no file has that name and it
    looks like HGVS (``her2scope annotate "ERBB2 p.S310F"``): then it is an expression."""
    # lazy: start-up (readers, render and the pipeline load the whole engine: ~40 ms)
    from .pipeline import annotate_inputs
    from .readers.dispatch import looks_like_hgvs

    for arg in arguments:
        if not os.path.exists(arg) and looks_like_hgvs(arg):
            yield from annotate_inputs(expressions=[arg], options=options, summaries=summaries)
        else:
            yield from annotate_inputs([arg], options, summaries)


def _with_progress(inputs: list[str], feedback, names: dict[str, str]):
    """Yield the inputs. On a terminal, a bar counts the files of a batch; a single large file
    gets a spinner with the elapsed time (its reader does not report how far it has got)."""
    big = [p for p in inputs if os.path.isfile(p) and os.path.getsize(p) >= PROGRESS_MIN_BYTES]
    label = lambda p: names.get(p, p)  # noqa: E731
    if len(inputs) == 1 and big:
        size = os.path.getsize(inputs[0]) / (1 << 20)
        with feedback.working(f"reading {label(inputs[0])} ({size:,.0f} MB)"):
            yield inputs[0]
        return
    if len(inputs) > 1 and (big or len(inputs) >= 20):
        yield from feedback.track(inputs, len(inputs), "annotating", label)
        return
    for path in inputs:
        feedback.step(f"annotating {label(path)}")
        yield path


def _print_summary(summaries, failed: int, names: dict[str, str] | None = None) -> None:
    names = names or {}
    lines = []
    for s in summaries:
        parts = [f"{names.get(s.input, s.input)}: {s.format}"]
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


@_app.command()
def annotate(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(
        help="VCF or BCF (.vcf, .vcf.gz, .bcf), MAF, or a text file of HGVS expressions, one per line. "
             "An HGVS expression may also be given directly, e.g. 'ERBB2 p.A775_G776insYVMA'.",
        metavar="INPUT...")],
    build: Annotated[Optional[BuildName], typer.Option(
        "--build", help="The genome build, for an input that does not state it (VCF header, MAF "
                        "NCBI_Build). A build that contradicts the file is an error, never an override.")] = None,
    reference: Annotated[Optional[Path], typer.Option(
        "--reference", metavar="GENOME.fa",
        help="An indexed genome FASTA (samtools faidx) for bases outside the bundled ERBB2 locus. "
             "Not needed for coding, splice-region or intronic ERBB2 variants.")] = None,
    fmt: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="jsonl and tsv carry every field (the stable output contract); table is a "
                               "compact view for people.")] = OutputFormat.jsonl,
    columns: Annotated[Optional[str], typer.Option(
        "--columns", metavar="NAME,...",
        help="With --format table: the columns to show, comma-separated; 'default' is the compact set "
             "(sample, protein_change, hgvs_c, consequence, alteration_class, oncogenicity, "
             "oncogenicity_rule). Any output field can be a column, e.g. --columns default,vaf,depth.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output; '-' is standard "
                                               "output. The file is replaced only when complete.")] = None,
    knowledge: Annotated[Optional[Path], typer.Option(
        "--knowledge", metavar="KB.yaml", help="Use this knowledge-base YAML instead of the bundled one.")] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Normalize, name (HGVS on NM_004448.4 / NP_004439.2) and classify every ERBB2 variant.

    Exit status 0 means every record was interpreted, 1 that some records failed (each is named in
    the output, the rest is complete), 2 a usage error or an output that cannot be written."""
    # lazy: start-up (readers, render and the pipeline load the whole engine: ~40 ms)
    from .render.table import ColumnsError, parse_columns

    if columns is not None and fmt is not OutputFormat.table:
        raise typer.BadParameter("--columns applies to --format table only (jsonl and tsv carry every field)",
                                 param_hint="--columns")
    try:
        chosen = parse_columns(columns)
    except ColumnsError as exc:
        raise typer.BadParameter(str(exc), param_hint="--columns") from None
    raise typer.Exit(run_annotate(inputs, build, reference, fmt, output, knowledge, columns=chosen,
                                  feedback=feedback_of(ctx, quiet, verbose)))


@_app.command()
def demo(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="Where to write the JSON lines.")]
    = Path("demo-output/annotations.jsonl"),
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Annotate the bundled demo batch and write a report for each of six demo patients.

    The batch: synthetic patients with real ERBB2 variants in VCF, MAF and HGVS text, plus one file
    that is broken on purpose (bad_truncated.vcf.gz: its records before the damage are reported, then
    a corrupt_file error). Prints one table per file, then one summary per patient; the reports (HTML,
    PDF, JSON, FHIR) go next to FILE, in reports/."""
    feedback = feedback_of(ctx, quiet, verbose)
    demo_dir = resources.files("her2scope") / "demo_data"
    inputs = sorted(str(p) for p in demo_dir.iterdir()
                    if p.name.startswith(("patient", "bad")) and not p.name.endswith((".tbi", ".csi")))
    names = {p: os.path.basename(p) for p in inputs}       # bundled files: shown by name, not by path
    output.parent.mkdir(parents=True, exist_ok=True)
    items: list = []
    _rule("1. Variants in the demo batch (her2scope annotate ... --format table)")
    # The per-file summary is left out: the tables say the same, and stderr would land between them.
    code = run_annotate(inputs, None, None, OutputFormat.jsonl, output, None, tee=items,
                        feedback=Feedback(quiet=True, verbose=feedback.verbose), names=names)
    # lazy: start-up (readers, render and the pipeline load the whole engine: ~40 ms)
    from .readers.base import RecordError
    from .render.table import write_table

    sys.stdout.flush()
    write_table(items, sys.stdout, names=names)
    sys.stdout.flush()
    failed = sum(isinstance(i, RecordError) for i in items)
    feedback.note(f"wrote {output} (every field of {len(items) - failed} variants and {failed} errors "
                  f"from {len(inputs)} files)")
    if code == 1:
        feedback.note("demo: bad_truncated.vcf.gz is broken on purpose: its error above is expected")
    _demo_reports(demo_dir / "cases", output.parent / "reports", feedback)
    raise typer.Exit(0 if code in (0, 1) else code)


def _rule(title: str) -> None:
    """A section heading on standard output, as wide as the table below it."""
    # lazy: start-up (readers, render and the pipeline load the whole engine: ~40 ms)
    from .render.table import output_width

    width = min(output_width(sys.stdout), 100)
    typer.echo(f"\n{title} " + "─" * max(width - len(title) - 1, 3) + "\n")


def _demo_reports(case_dir, out_dir: Path, feedback) -> None:
    """One report per demo patient case (HTML, JSON, FHIR and, with WeasyPrint, PDF) and a short
    card per patient on standard output: the case, the three HER2 results, options and next steps."""
    # lazy: start-up (the report model loads the case, knowledge and rendering code)
    from .cli_report import write_report
    from .report.model import make_report

    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        import weasyprint  # noqa: F401  # lazy: an optional extra, probed

        formats: tuple[str, ...] = ("html", "pdf", "json", "fhir.json")
    except ImportError:
        formats = ("html", "json", "fhir.json")
        feedback.note("demo: PDF skipped (pip install 'her2scope[report]' for WeasyPrint)")
    cases = sorted(p for p in case_dir.iterdir() if p.name.endswith(".yaml"))
    _rule(f"2. Reports for {len(cases)} demo patients (her2scope report CASE.yaml -o report.html)")
    for case in feedback.track(cases, len(cases), "writing reports", lambda p: p.name):
        rep = make_report(str(case))
        stem = case.name.removesuffix(".yaml")
        for fmt in formats:
            write_report(rep, out_dir / f"{stem}.{fmt}")
        typer.echo(_patient_card(rep, case.name, out_dir / stem, formats))
    feedback.note(f"reports written to {out_dir}/ ({', '.join(formats)})")
    feedback.note("next: her2scope annotate YOUR.vcf --format table, or her2scope report --help")


def _patient_card(rep, case_name: str, stem: Path, formats: tuple[str, ...]) -> str:
    """About a dozen lines: who, the three HER2 results, then options and next steps."""
    # lazy: start-up (readers, render and the pipeline load the whole engine: ~40 ms)
    from .render.table import output_width

    width = min(output_width(sys.stdout), 100)
    c, pic = rep.case.clinical, rep.picture
    treatment = c.treatment_text() if hasattr(c, "treatment_text") else f"{c.prior_lines} prior line(s)"
    title = (f"{rep.case.case_id} ({case_name}): {c.histology.value}, stage {c.stage}, region {c.region.value}, "
             f"{treatment}")
    dims = [pic.mutation.summary, pic.amplification.summary, pic.expression.summary]
    headline = rep.headline()
    lead = " ".join(dims)
    rest = headline[len(lead):].strip() if headline.startswith(lead) else headline
    # One sentence per bullet: the headline is written as sentences ("On-label in ...", "Next steps: ...").
    bullets = dims + [s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", rest) if s] if rest != headline else [headline]
    lines = ["", textwrap.fill(title, width=width, subsequent_indent="    ", break_on_hyphens=False)]
    for text in bullets:
        lines.append(textwrap.fill(text, width=width, initial_indent="  - ", subsequent_indent="    ",
                                   break_on_hyphens=False))
    lines.append(f"  report: {stem}.{{{','.join(formats)}}}")
    return "\n".join(lines)


@knowledge_app.command("show")
def knowledge_show(
    knowledge: Annotated[Optional[Path], typer.Option("--knowledge", help="Knowledge-base YAML.")] = None,
) -> None:
    """Version, date and curated variants of the knowledge base."""
    # lazy: start-up (readers, render and the pipeline load the whole engine: ~40 ms)
    from .knowledge import load_knowledge

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


@functools.cache
def _with_all_commands() -> typer.Typer:
    """``_app`` with the commands of the other cli_* modules registered too (once), in the order
    the help lists them."""
    # lazy: start-up (each module below loads only when its command is asked for)
    from .cli_burden import burden   # numpy/matplotlib load inside the command
    from .cli_cohort import cohort_app
    from .cli_doctor import doctor   # checks import nothing until the command runs
    from .cli_knowledge import knowledge_audit
    from .cli_registry import registry_app
    from .cli_report import knowledge_diff, report
    from .cli_sweep import sweep     # duckdb/pyspark load inside the command
    from .cli_web import serve       # fastapi/uvicorn load inside the command

    _app.add_typer(cohort_app, name="cohort")
    _app.add_typer(registry_app, name="registry")
    for name, command in (("burden", burden), ("report", report), ("serve", serve), ("sweep", sweep),
                          ("doctor", doctor)):
        _app.command(name)(command)
    knowledge_app.command("diff")(knowledge_diff)
    knowledge_app.command("audit")(knowledge_audit)
    return _app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":        # the whole command tree
        return _with_all_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _asked_for(argv: list[str]) -> str | None:
    """The command named on the command line: the first word that is not an option (the
    top-level options are flags, so none of them takes a value)."""
    return next((word for word in argv if not word.startswith("-")), None)


def _name_of(command: typer.models.CommandInfo) -> str | None:
    """The name Typer gives a registered command (its own, else its function's)."""
    if command.name:
        return command.name
    return typer.main.get_command_name(command.callback.__name__) if command.callback else None


def _command_tree(argv: list[str]) -> typer.Typer:
    """The tree with only the command the line asks for. Typer reads the signature of every
    command it registers; building the other ~30 would cost start-up about 30 ms on each run.
    The whole tree when no known command is named (top-level help, an unknown name with its
    suggestions) and for shell completion, which lists every command."""
    name = _asked_for(argv)
    if name is None or os.environ.get("_HER2SCOPE_COMPLETE"):
        return _with_all_commands()
    # A command of this module (annotate, demo) needs no other cli_* module; anything else may.
    mine = any(_name_of(c) == name for c in _app.registered_commands)
    tree = _app if mine else _with_all_commands()
    commands = [c for c in tree.registered_commands if _name_of(c) == name]
    groups = [g for g in tree.registered_groups if g.name == name]
    if not commands and not groups:
        return tree
    slim = copy.copy(tree)
    slim.registered_commands, slim.registered_groups = commands, groups
    return slim


def main() -> None:
    tree = _command_tree(sys.argv[1:])
    command = polish(typer.main.get_command(tree))   # examples, flags shown as flags (cli_help.py)
    try:
        command(prog_name="her2scope")
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
