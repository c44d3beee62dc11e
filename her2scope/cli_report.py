"""``her2scope report`` and ``her2scope knowledge diff``: thin shells over the library."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

FORMATS = {".html": "html", ".pdf": "pdf", ".json": "json"}


def _format_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".fhir.json"):
        return "fhir"
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise typer.BadParameter(f"{path}: use .html, .pdf, .json or .fhir.json", param_hint="-o")
    return fmt


def write_report(report, output: Path, paper: str = "a4") -> None:
    from .report.fhir import render_fhir
    from .report.html import render_html, render_pdf

    fmt = _format_of(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.partial")   # never leave half a report behind
    if fmt == "pdf":
        render_pdf(report, str(tmp), paper=paper)
    else:
        text = {"html": lambda: render_html(report, paper=paper),
                "json": lambda: json.dumps(report.as_dict(), indent=2, ensure_ascii=False),
                "fhir": lambda: json.dumps(render_fhir(report), indent=2, ensure_ascii=False)}[fmt]()
        tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, output)


def report(
    case: Annotated[Path, typer.Argument(help="Case file (YAML or JSON; see docs/case.md).")],
    output: Annotated[list[Path], typer.Option("-o", "--output",
        help="report.html | report.pdf | report.json | report.fhir.json (repeatable)")],
    paper: Annotated[str, typer.Option("--paper", help="a4 or letter (HTML print and PDF)")] = "a4",
    reference: Annotated[Optional[Path], typer.Option("--reference", help="Indexed genome FASTA.")] = None,
    previous: Annotated[Optional[Path], typer.Option(
        "--previous", help="An earlier report.json of this case: print what would now be different.")] = None,
) -> None:
    """The HER2 report for one patient case: three HER2 dimensions, next steps, evidence."""
    from .errors import Her2scopeError
    from .pipeline import Options
    from .report.model import make_report

    if paper not in ("a4", "letter"):
        raise typer.BadParameter("use a4 or letter", param_hint="--paper")
    for out in output:
        _format_of(out)
    try:
        rep = make_report(case, Options(reference=str(reference) if reference else None))
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(1)
    for out in output:
        write_report(rep, out, paper)
        typer.echo(f"wrote {out}", err=True)
    if previous is not None:
        from .report.diff import diff_reports

        old = json.loads(previous.read_text())
        changes = diff_reports(old, rep.as_dict())
        typer.echo("\n".join(changes) if changes else "no differences in the report's findings", err=False)
    if rep.picture.errors:
        raise typer.Exit(1)


def knowledge_diff(
    old: Annotated[Path, typer.Argument(help="Older knowledge-base YAML")],
    new: Annotated[Path, typer.Argument(help="Newer knowledge-base YAML")],
) -> None:
    """What changed between two knowledge bases (variants, labels, trials)."""
    from .report.diff import diff_knowledge

    lines = diff_knowledge(str(old), str(new))
    sys.stdout.write("\n".join(lines) + "\n" if lines else "no differences\n")
