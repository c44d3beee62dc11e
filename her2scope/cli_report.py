"""``her2scope report`` and ``her2scope knowledge diff``: thin shells over the library."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from .errors import Her2scopeError, OutputError

FORMATS = {".html": "html", ".pdf": "pdf", ".json": "json"}


class ReportFormat(str, enum.Enum):
    html = "html"
    pdf = "pdf"
    json = "json"
    fhir = "fhir"


def _format_in_name(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".fhir.json"):
        return "fhir"
    return FORMATS.get(path.suffix.lower())


def report_format(path: Path, fmt: str | None = None) -> str:
    """The format to write ``path`` in: from its name, else from ``--format``.

    ``--format`` is for targets whose name says nothing (``/dev/null``, a FIFO, ``-``); a name that
    says otherwise is refused rather than silently overridden. A FHIR bundle is JSON, so ``.json``
    takes ``--format fhir``; ``.fhir.json`` does not take ``--format json``."""
    named = _format_in_name(path)
    if named is None:
        if fmt is None:
            raise typer.BadParameter(f"{path}: the report format cannot be told from the name; add --format "
                                     "html|pdf|json|fhir, or name the file .html, .pdf, .json or .fhir.json",
                                     param_hint="-o")
        return fmt
    if fmt is not None and fmt != named and (named, fmt) != ("json", "fhir"):
        raise typer.BadParameter(f"{fmt} contradicts -o {path}, whose name says {named}; "
                                 "drop --format or rename the output", param_hint="--format")
    return fmt or named


def write_report(report, output: Path, paper: str = "a4", fmt: str | None = None) -> None:
    """Write ``report`` to ``output`` in the format its name (or ``fmt``) says; raises OutputError
    naming ``output`` when it cannot be written."""
    # lazy: start-up (the whole CLI imports this module; the command's libraries load when it runs)
    from .render.outputs import make_folder, open_output, write_output, writing
    from .report.fhir import render_fhir
    from .report.html import render_html, render_pdf

    fmt = report_format(output, fmt)
    text = None if fmt == "pdf" else {
        "html": lambda: render_html(report, paper=paper),
        "json": lambda: json.dumps(report.as_dict(), indent=2, ensure_ascii=False),
        "fhir": lambda: json.dumps(render_fhir(report), indent=2, ensure_ascii=False)}[fmt]()
    with writing(output):
        make_folder(output.parent)
        if text is not None:
            write_output(output, text)
        else:
            with open_output(output, binary=True) as fh:   # never half a report; devices written in place
                render_pdf(report, fh, paper=paper)


# The options of 'report' (allowed values as in the case schema: case/schema.py, vocabulary.py;
# tests/test_cli_help.py compares them).
OutputOpt = Annotated[list[Path], typer.Option("-o", "--output", metavar="FILE",
        help="Where to write the report; the name says the format (report.html, report.pdf, report.json, "
             "report.fhir.json). For /dev/null, a FIFO or - give --format. Repeat for several formats.")]
CaseOpt = Annotated[Optional[Path], typer.Argument(
        help="Case file (YAML or JSON; see docs/case.md). Or give the case with the options below.")]
CaseIdOpt = Annotated[Optional[str], typer.Option(
        "--case-id", help="A pseudonymous id for the case (letters, digits, . _ -; never a name).")]
HistologyOpt = Annotated[Optional[Literal["adenocarcinoma", "squamous", "adenosquamous", "large_cell",
                                          "nsclc_nos", "other"]], typer.Option(
        "--histology", help="The tumour's histology (squamous matters for some labels).")]
StageOpt = Annotated[Optional[Literal["I", "IA", "IB", "II", "IIA", "IIB", "III", "IIIA", "IIIB", "IIIC", "IV",
                                      "IVA", "IVB"]], typer.Option(
        "--stage", help="The stage (AJCC); IIIB and above counts as advanced.")]
RegionOpt = Annotated[Optional[Literal["US", "EU", "JP", "CN"]], typer.Option(
        "--region", help="Where the patient is treated: therapy labels are judged for this region.")]
PriorLinesOpt = Annotated[int, typer.Option(
        "--prior-lines", min=0, help="Lines of systemic therapy already given for advanced disease (0 = first "
                                     "line).")]
BrainMetastasesOpt = Annotated[Literal["active", "treated_stable", "yes", "no", "unknown"], typer.Option(
        "--brain-metastases", help="Brain metastases: active (untreated or progressing), treated_stable, yes "
                                   "(activity not stated), no, or unknown.")]
NgsOpt = Annotated[Optional[list[Path]], typer.Option(
        "--ngs", metavar="FILE", help="An NGS result file (VCF, MAF or HGVS text). Repeat for several.")]
GenesCoveredOpt = Annotated[Optional[str], typer.Option(
        "--genes-covered", metavar="GENE;GENE...",
        help="The genes the NGS assay covers, ';'-separated (default: a broad panel that covers ERBB2). "
             "Without ERBB2 no variant found is 'not assessed', not a negative.")]
SampleTypeOpt = Annotated[Literal["tissue", "plasma"], typer.Option(
        "--sample-type", help="What the NGS test sequenced.")]
IhcOpt = Annotated[Optional[Literal["0", "1+", "2+", "3+"]], typer.Option(
        "--ihc", help="The HER2 IHC score.")]
IhcSystemOpt = Annotated[str, typer.Option(
        "--ihc-system", help="The IHC scoring system used, e.g. 'gastric (Hofmann 2008)'.")]
IshRatioOpt = Annotated[Optional[float], typer.Option(
        "--ish-ratio", min=0, help="The HER2/CEP17 ratio by ISH.")]
IshCopiesOpt = Annotated[Optional[float], typer.Option(
        "--ish-copies", min=0, help="The mean HER2 copies per cell by ISH.")]
CopyNumberOpt = Annotated[Optional[float], typer.Option(
        "--copy-number", min=0, help="The ERBB2 copy number from NGS.")]
PaperOpt = Annotated[Literal["a4", "letter"], typer.Option(
        "--paper", help="The paper size for printing the HTML and for the PDF.")]
FmtOpt = Annotated[Optional[ReportFormat], typer.Option(
        "--format", help="For an -o whose name has no .html/.pdf/.json/.fhir.json (/dev/null, a FIFO, -).")]
ReferenceOpt = Annotated[Optional[Path], typer.Option(
        "--reference", metavar="GENOME.fa", help="An indexed genome FASTA, as for annotate.")]
PreviousOpt = Annotated[Optional[Path], typer.Option(
        "--previous", help="An earlier report.json of this case: print what would now be different.")]
KnowledgeOpt = Annotated[Optional[Path], typer.Option(
        "--knowledge", help="Variant knowledge-base YAML instead of the bundled one (v1 / v2 name the bundled "
                            "generations).")]


def report(ctx: typer.Context, output: OutputOpt, case: CaseOpt = None, case_id: CaseIdOpt = None,
           histology: HistologyOpt = None, stage: StageOpt = None, region: RegionOpt = None,
           prior_lines: PriorLinesOpt = 0, brain_metastases: BrainMetastasesOpt = "unknown", ngs: NgsOpt = None,
           genes_covered: GenesCoveredOpt = None, sample_type: SampleTypeOpt = "tissue", ihc: IhcOpt = None, ihc_system: IhcSystemOpt = "not stated",
           ish_ratio: IshRatioOpt = None, ish_copies: IshCopiesOpt = None, copy_number: CopyNumberOpt = None,
           paper: PaperOpt = "a4", fmt: FmtOpt = None, reference: ReferenceOpt = None, previous: PreviousOpt = None,
           knowledge: KnowledgeOpt = None) -> None:
    """The HER2 report for one patient case: three HER2 dimensions, next steps, evidence."""
    # lazy: start-up (the whole CLI imports this module; the command's libraries load when it runs)
    from .pipeline import Options
    from .report.model import make_report

    if paper not in ("a4", "letter"):
        raise typer.BadParameter("use a4 or letter", param_hint="--paper")
    fmt_name = fmt.value if fmt is not None else None
    for out in output:
        report_format(out, fmt_name)   # refuse a bad -o/--format before the work
    options = Options(reference=str(reference) if reference else None,
                      knowledge=str(knowledge) if knowledge else None)
    try:
        if case is not None:
            rep = make_report(case, options)
        else:
            rep = _report_from_options(options, case_id=case_id, histology=histology, stage=stage,
                                       region=region, prior_lines=prior_lines,
                                       brain_metastases=brain_metastases, ngs=ngs or [],
                                       genes_covered=genes_covered, sample_type=sample_type, ihc=ihc, ihc_system=ihc_system,
                                       ish_ratio=ish_ratio, ish_copies=ish_copies, copy_number=copy_number)
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(1) from None
    from .progress import feedback_of  # lazy: start-up

    for out in feedback_of(ctx).track(output, len(output), "writing", str):   # a PDF takes seconds
        try:
            write_report(rep, out, paper, fmt_name)
        except OutputError as exc:   # a directory, no permission, a full disk: name the output, no traceback
            typer.echo(f"her2scope: {exc.message}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"wrote {out}", err=True)
    if previous is not None:
        _print_changes(previous, rep)
    if rep.picture.errors:
        _print_errors(rep)
        raise typer.Exit(1) from None


_OPTION_OF = {"case_id": "--case-id", "clinical.histology": "--histology", "clinical.stage": "--stage",
              "clinical.region": "--region", "clinical.prior_lines": "--prior-lines",
              "clinical.brain_metastases": "--brain-metastases", "ngs.0.sample_type": "--sample-type",
              "ihc.score": "--ihc", "ish.her2_cep17_ratio": "--ish-ratio", "ish.mean_her2_copies": "--ish-copies",
              "ngs.0.copy_number.copy_number": "--copy-number", "ngs.0.genes_covered": "--genes-covered"}


def _print_changes(previous: Path, rep) -> None:
    """What would now be different from an earlier report.json of the case."""
    from .report.diff import diff_reports  # lazy: start-up

    old = json.loads(previous.read_text())
    changes = diff_reports(old, rep.as_dict())
    typer.echo("\n".join(changes) if changes else "no differences in the report's findings", err=False)


def _print_errors(rep) -> None:
    """The report is written and shows each problem; the exit status and stderr say so too."""
    shown = rep.picture.errors[:5]
    for e in shown:
        where = f"{Path(e.input).name}" + (f" record {e.record}" if e.record is not None else "")
        typer.echo(f"her2scope: {where}: {e.error}: {e.message.replace(e.input, Path(e.input).name)}", err=True)
    if len(rep.picture.errors) > len(shown):
        typer.echo(f"her2scope: ... and {len(rep.picture.errors) - len(shown)} more", err=True)
    typer.echo(f"her2scope: the report shows the ERBB2 mutation result as {rep.picture.mutation.status.value}"
               " (see its reason)", err=True)

def _report_from_options(options, *, case_id, histology, stage, region, prior_lines, brain_metastases,
                         ngs, sample_type, ihc, ihc_system, ish_ratio, ish_copies, copy_number,
                         genes_covered=None):
    """A case given as options; validation messages name the option, not the case field."""
    # lazy: start-up (the whole CLI imports this module; the command's libraries load when it runs)
    from .case.schema import CaseError, NgsTest, parse_case
    from .report.model import report_for

    data: dict = {"case_id": case_id or "CLI-CASE",
                  "clinical": {"histology": histology, "stage": stage, "region": region,
                               "prior_lines": prior_lines, "brain_metastases": brain_metastases}}
    if genes_covered is not None and not ngs:
        raise CaseError("--genes-covered describes the --ngs assay: give --ngs too")
    if ngs or copy_number is not None:
        test: dict = {"sample_type": sample_type, "files": [str(p.resolve()) for p in ngs]}
        if copy_number is not None:
            test["copy_number"] = {"copy_number": copy_number}
        if genes_covered is not None:
            genes = NgsTest.gene_list(genes_covered)
            if genes is None:      # given but empty: a mistake, never read as "a broad panel"
                raise CaseError("--genes-covered: give the genes, ';'-separated (leave the option out for a "
                                "broad panel)")
            test["genes_covered"] = genes
        data["ngs"] = [test]
    if ihc is not None:
        data["ihc"] = {"score": ihc, "scoring_system": ihc_system}
    if ish_ratio is not None or ish_copies is not None:
        data["ish"] = {"her2_cep17_ratio": ish_ratio, "mean_her2_copies": ish_copies}
    try:
        case = parse_case(data, "options")
    except CaseError as exc:
        message = exc.message
        for field, option in sorted(_OPTION_OF.items(), key=lambda kv: -len(kv[0])):
            message = message.replace(f"{field}:", f"{option}:")
        raise CaseError(message) from None
    return report_for(case, Path.cwd(), options)


def knowledge_diff(
    old: Annotated[Path, typer.Argument(help="Older knowledge-base YAML (or v1 / v2: the bundled ones)")],
    new: Annotated[Path, typer.Argument(help="Newer knowledge-base YAML (or v1 / v2: the bundled ones)")],
) -> None:
    """What changed between two knowledge bases (variants and every changed call, labels, trials)."""
    import yaml  # lazy: start-up

    # lazy: start-up (the whole CLI imports this module; the command's libraries load when it runs)
    from .knowledge.loader import resolve
    from .report.diff import diff_knowledge

    try:
        lines = diff_knowledge(str(resolve(str(old))), str(resolve(str(new))))
    except Her2scopeError as exc:
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(1) from None
    except (OSError, yaml.YAMLError, AttributeError) as exc:   # a file that is not a knowledge file
        typer.echo(f"her2scope: cannot compare {old} and {new}: {exc}", err=True)
        raise typer.Exit(1) from None
    sys.stdout.write("\n".join(lines) + "\n" if lines else "no differences\n")
