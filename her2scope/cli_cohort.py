"""``her2scope cohort ...``: cohort analytics (DuckDB by default, PySpark with --engine spark).

The whole command line imports this module, so the cohort package (DuckDB, matplotlib ...) is
imported inside the commands only (``# lazy: start-up``); ``import her2scope`` stays light.
"""

from __future__ import annotations

import enum
import json
import math
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .errors import Her2scopeError, OutputError
from .progress import feedback_of

if TYPE_CHECKING:   # the cohort package imports DuckDB: only inside the commands (start-up)
    from .cohort.analysis import CohortAnalysis

cohort_app = typer.Typer(help="Cohort analytics on cBioPortal studies or MAF + clinical tables "
                              "(STUDY_DIR 'demo' = the bundled TCGA LUAD + LUSC study).",
                         no_args_is_help=True)


class EngineName(str, enum.Enum):
    duckdb = "duckdb"
    spark = "spark"


class Fmt(str, enum.Enum):
    json = "json"
    table = "table"


StudyArg = Annotated[str, typer.Argument(
    help="cBioPortal study folder, a Parquet folder from 'cohort import', a MAF file, or 'demo'.",
    metavar="STUDY_DIR")]
ClinicalOpt = Annotated[Optional[Path], typer.Option(
    "--clinical", help="With a MAF file: a sample clinical TSV (SAMPLE_ID or Tumor_Sample_Barcode).")]
EngineOpt = Annotated[EngineName, typer.Option("--engine", help="Query engine.")]


def _fail(exc: Exception) -> None:
    if isinstance(exc, Her2scopeError):
        typer.echo(f"her2scope: {exc.message}", err=True)
        raise typer.Exit(2)
    raise exc


def _clean(o):
    if isinstance(o, float) and (math.isnan(o) or math.isinf(o)):
        return None
    if isinstance(o, dict):
        return {k: _clean(v) for k, v in o.items() if not k.startswith("_")}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    return o


def _run(study: str, engine: EngineName, clinical: Path | None, queries=None,
         statistics: bool = True) -> CohortAnalysis:
    """The analysis, already closed: the commands use its numbers only, so the temporary import
    folder goes as soon as the engine is done with it."""
    from .cohort import queries as Q  # lazy: start-up
    from .cohort.analysis import analyse  # lazy: start-up
    from .cohort.engines import make_engine  # lazy: start-up

    eng = make_engine(engine.value)
    try:
        result = analyse(study, eng, clinical=clinical, queries=queries or Q.RESULTS, with_statistics=statistics)
    finally:
        eng.close()
    result.close()
    return result


@cohort_app.command("prevalence")
def prevalence(study: StudyArg, engine: EngineOpt = EngineName.duckdb, clinical: ClinicalOpt = None,
               fmt: Annotated[Fmt, typer.Option("--format", "-f", help="table for people, json for scripts.")] = Fmt.table) -> None:
    """Prevalence of activating HER2 mutations among samples profiled for ERBB2 (Wilson 95% CI)."""
    from .cohort import queries as Q  # lazy: start-up

    try:
        res = _run(study, engine, clinical, (Q.COUNTS, Q.PREVALENCE, Q.PREVALENCE_BY, Q.AMPLIFICATION,
                                             Q.AMPLIFICATION_BY), statistics=False)
    except Exception as exc:  # noqa: BLE001 - usage errors exit 2, the rest propagates
        _fail(exc)
    from .cohort.analysis import statistics as stats  # lazy: start-up

    out = dict(res.summary)
    st = stats({**res.raw, "comutation": [], "survival_counts": [], "survival_patients": []})
    out["by"] = _clean(st["prevalence_by"])
    # ERBB2 amplification: its own numbers (null = not assessed), never merged with mutations
    out["amplification_by"] = _clean(st["amplification_by"]) if out["amplification_assessed"] else None
    if fmt is Fmt.json:
        typer.echo(json.dumps(_clean(out)))
        return
    lo, hi = out["ci95"]
    typer.echo(f"{out['study']} ({out['engine']}): {out['her2_mutant_samples']}/{out['profiled_samples']} "
               f"profiled samples with an activating HER2 mutation = "
               f"{100 * (out['prevalence'] or 0):.2f}% (95% CI {100 * (lo or 0):.2f}-{100 * (hi or 0):.2f}%)")
    for r in out["by"]:
        typer.echo(f"  {r['dimension']:<10} {r['level']:<12} {r['mutant']:>6}/{r['profiled']:<8}"
                   f" {100 * (r['prevalence'] or 0):6.2f}%")
    if out["amplification_assessed"]:
        lo, hi = out["amplification_ci95"]
        typer.echo(f"ERBB2 amplification (copy number 2, separate from mutations): {out['her2_amplified_samples']}/"
                   f"{out['cna_profiled_samples']} samples profiled for ERBB2 copy number = "
                   f"{100 * out['amplification_prevalence']:.2f}% (95% CI {100 * lo:.2f}-{100 * hi:.2f}%); "
                   f"both an activating mutation and amplification: {out['mutation_and_amplification_samples']}/"
                   f"{out['mutation_and_cna_profiled_samples']}")
    else:
        why = ("the study has no discrete copy-number file (data_cna.txt)" if out["cna_profiled_samples"] is None
               else "no sample is profiled for ERBB2 copy number")
        typer.echo(f"ERBB2 amplification: not assessed ({why})")
    typer.echo(out["definition"], err=True)
    typer.echo("files read: " + ", ".join(f"{f['file']} ({f['role']})" for f in out["files_used"]), err=True)
    for w in out["warnings"]:
        typer.echo(f"warning: {w}", err=True)


@cohort_app.command("report")
def report(ctx: typer.Context, study: StudyArg, output: Annotated[Path, typer.Option(
               "-o", "--output", help="HTML file.")]
           = Path("cohort.html"), engine: EngineOpt = EngineName.duckdb, clinical: ClinicalOpt = None,
           figures: Annotated[Optional[Path], typer.Option(
               "--figures", help="Also write each figure as PNG and SVG into this folder.")] = None,
           json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the results as JSON.")]
           = None) -> None:
    """The full analysis as one self-contained HTML file (figures embedded, no external URLs)."""
    feedback = feedback_of(ctx)      # a spinner on a terminal (issue 15); --verbose prints the steps
    try:
        with feedback.working(f"analysing {study} ({engine.value})"):
            res = _run(study, engine, clinical)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    from .cohort.report import write_report  # lazy: start-up
    from .render.outputs import write_output, writing  # lazy: start-up

    try:
        with feedback.working(f"writing {output}"):
            write_report(res, output, figures)
        if json_out:
            with writing(json_out):
                write_output(json_out, json.dumps(_clean({k: v for k, v in res.as_dict().items() if k != "calls"}),
                                                  indent=1, default=str))
    except OutputError as exc:   # a directory, a folder that cannot be made, a full disk: named, exit 2
        _fail(exc)
    s = res.summary
    typer.echo(f"wrote {output}: {s['her2_mutant_samples']}/{s['profiled_samples']} profiled samples with an "
               f"activating HER2 mutation ({s['engine']})", err=True)


@cohort_app.command("import")
def import_(ctx: typer.Context, study: StudyArg, output: Annotated[Path, typer.Option("-o", "--output", help="Parquet folder.")],
            clinical: ClinicalOpt = None,
            memory_limit: Annotated[Optional[str], typer.Option(help="DuckDB memory limit, e.g. 4GB.")] = None) -> None:
    """Stream a study into Parquet (for speed, or to ship to a Spark cluster's object storage)."""
    from .cohort.importer import import_study  # lazy: start-up
    from .cohort.studies import open_study  # lazy: start-up

    try:
        with feedback_of(ctx).working(f"importing {study} into {output}"):
            m = import_study(open_study(study, clinical), output, memory_limit=memory_limit)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    typer.echo(json.dumps({"output": str(output), **m["counts"], "files_used": m["files_used"],
                           "files_not_read": m["files_not_read"], "warnings": m["warnings"]}))


@cohort_app.command("check")
def check(study: StudyArg, clinical: ClinicalOpt = None) -> None:
    """Check a study before running: which files are read (and which not, and why), which clinical
    column is read as what, the values and columns not understood, the survival endpoint, the
    sample counts and every warning. Reads the whole study (a trial import to a temporary folder)."""
    from .cohort.importer import import_study  # lazy: start-up
    from .cohort.studies import open_study  # lazy: start-up

    try:
        with tempfile.TemporaryDirectory(prefix="her2scope-check-") as tmp:
            m = import_study(open_study(study, clinical), Path(tmp))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    keys = ("study", "files_used", "files_not_read", "clinical", "survival_endpoint", "counts", "warnings")
    typer.echo(json.dumps({k: m[k] for k in keys}, indent=1))


@cohort_app.command("demo-path")
def demo_path_cmd() -> None:
    """Print the folder of the bundled TCGA LUAD + LUSC demo study."""
    from .cohort.studies import demo_path  # lazy: start-up

    typer.echo(str(demo_path()))


if __name__ == "__main__":  # pragma: no cover
    cohort_app()
    sys.exit(0)
