"""``her2scope burden``: the global burden of HER2-mutant NSCLC (GLOBOCAN 2022 x cited assumptions).

Registered in ``cli.py``. Imports here stay light: numpy and matplotlib are loaded only when the
command runs (matplotlib only for ``--chart``), never on ``import her2scope`` or ``annotate``.
Exit status: 0 done, 2 usage error (an invalid option value, or an output that cannot be written,
named in the message).
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import OutputError

EXTRA_HINT = "pip install 'her2scope[cohort]'"


class BurdenFormat(str, enum.Enum):
    json = "json"
    table = "table"


def _fail(message: str) -> None:
    typer.echo(f"her2scope burden: {message}", err=True)
    raise typer.Exit(2)


# The options of 'burden'.
FmtOpt = Annotated[BurdenFormat, typer.Option("--format", "-f", help="Output format.")]
NsclcShareOpt = Annotated[Optional[str], typer.Option(
        "--nsclc-share", help="NSCLC share of lung cancer: POINT, LOW,HIGH or LOW,POINT,HIGH "
                              "(proportions, or percentages such as 85%).")]
PrevalenceOpt = Annotated[Optional[str], typer.Option(
        "--prevalence", help="HER2-mutation prevalence in NSCLC: POINT, LOW,HIGH or LOW,POINT,HIGH.")]
AdvancedShareOpt = Annotated[Optional[str], typer.Option(
        "--advanced-share", help="Share of NSCLC diagnosed advanced (off by default: no verified global "
                                 "registry figure). POINT, LOW,HIGH or LOW,POINT,HIGH.")]
DrawsOpt = Annotated[Optional[int], typer.Option("--draws", help="Monte Carlo draws (default 10,000).")]
SeedOpt = Annotated[Optional[int], typer.Option("--seed", help="Random seed (reproducible runs).")]
AssumptionsOpt = Annotated[Optional[Path], typer.Option(
        "--assumptions", help="Assumptions YAML instead of the bundled assumptions_v1.yaml.")]
CountryOpt = Annotated[Optional[list[str]], typer.Option(
        "--country", help="Only these countries in the country table (ISO alpha-3; repeat or comma-separate). "
                          "World and region figures stay complete; a 'selection' total is added.")]
ChartOpt = Annotated[Optional[Path], typer.Option(
        "--chart", help="Also draw a chart to FILE.png or FILE.svg (needs matplotlib).")]
OutputOpt = Annotated[Optional[Path], typer.Option("-o", "--output", help="Write here instead of stdout.")]


def burden(fmt: FmtOpt = BurdenFormat.json, nsclc_share: NsclcShareOpt = None, prevalence: PrevalenceOpt = None,
           advanced_share: AdvancedShareOpt = None, draws: DrawsOpt = None, seed: SeedOpt = None,
           assumptions: AssumptionsOpt = None, country: CountryOpt = None, chart: ChartOpt = None,
           output: OutputOpt = None) -> None:
    """Estimate new HER2 (ERBB2)-mutant NSCLC cases per year: world, UN M49 regions and countries,
    with Monte Carlo intervals and the derivation step by step."""
    from .burden.assumptions import BurdenOptionError, load_assumptions, with_overrides  # lazy: start-up
    from .burden.incidence import load_incidence  # lazy: start-up

    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        _fail(f"invalid --chart: {chart} must end in .png or .svg")
    try:
        import numpy  # noqa: F401  # lazy: an optional extra the model needs; fail with a hint, not a traceback
    except ImportError:
        _fail(f"the burden model needs numpy: {EXTRA_HINT}")
    try:
        a = with_overrides(load_assumptions(assumptions), nsclc_share=nsclc_share, prevalence=prevalence,
                           advanced_share=advanced_share, draws=draws, seed=seed)
        from .burden.model import compute_burden  # lazy: start-up

        result = compute_burden(load_incidence(), a, country)
    except BurdenOptionError as exc:
        _fail(exc.message)
        return

    from .burden.render import write_json, write_table  # lazy: start-up
    from .render.outputs import open_output, writing  # lazy: start-up

    writer = write_json if fmt is BurdenFormat.json else write_table
    try:
        with writing(output), open_output(output) as fh:   # None or "-": stdout
            writer(result, fh)
    except OutputError as exc:   # a directory, a missing folder, a full disk: named, no traceback
        _fail(exc.message)
    if chart is not None:
        try:
            from .burden.chart import render_chart  # lazy: start-up
            import matplotlib  # noqa: F401
        except ImportError:
            _fail(f"--chart needs matplotlib: {EXTRA_HINT}")
        try:
            with writing(chart):
                render_chart(result, chart)
        except OutputError as exc:
            _fail(exc.message)
        typer.echo(f"wrote {chart}", err=True)
