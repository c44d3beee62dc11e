"""``her2scope doctor``: what is installed and usable here, and what to install for the rest.

Registered in ``cli.py``; the checks (``doctor.py``) are imported only when the command runs.
Exit status: 0 when the core (annotate, report as HTML/JSON/FHIR, knowledge) works, 1 when it does
not; a missing optional part is not a failure.
"""

from __future__ import annotations

import enum
import json
import platform
import sys
import textwrap
from dataclasses import asdict
from typing import Annotated

import typer


class DoctorFormat(str, enum.Enum):
    text = "text"
    json = "json"


def doctor(
    fmt: Annotated[DoctorFormat, typer.Option(
        "--format", "-f", help="text for people, json for scripts.")] = DoctorFormat.text,
) -> None:
    """Show which parts of her2scope work on this machine, the knowledge version and its checked
    date, and what to install for anything missing.

    Optional parts (PDF, cohort analytics, Spark, the registry, PostgreSQL, the web app, the browser
    tests) are checked without starting them; the exit status is 1 only when the core itself fails."""
    from .doctor import State, run_checks  # lazy: start-up (the checks import the pipeline and probe libraries)

    checks = run_checks()
    core_ok = all(c.state is State.ok for c in checks if c.name in ("core", "knowledge"))
    if fmt is DoctorFormat.json:
        typer.echo(json.dumps({"python": sys.version.split()[0], "platform": platform.platform(),
                               "checks": [asdict(c) | {"state": c.state.value} for c in checks]}, indent=2))
        raise typer.Exit(0 if core_ok else 1)
    width = max(len(c.name) for c in checks)
    mark = {State.ok: "ok", State.missing: "--", State.unusable: "!!"}
    typer.echo(f"her2scope doctor: Python {platform.python_version()} on {platform.system()} {platform.machine()}\n")
    indent = " " * (width + 8)
    for c in checks:
        typer.echo(textwrap.fill(c.detail, 100, initial_indent=f"  {mark[c.state]}  {c.name:<{width}}  ",
                                 subsequent_indent=indent, break_on_hyphens=False))
        typer.echo(textwrap.fill(f"for: {c.enables}", 100, initial_indent=indent, subsequent_indent=indent + "     "))
        if c.fix:
            typer.echo(textwrap.fill(f"fix: {c.fix}", 100, initial_indent=indent, subsequent_indent=indent + "     "))
    todo = [c for c in checks if c.state is not State.ok]
    typer.echo("")
    typer.echo("Everything is installed and usable." if not todo else
               f"{len(todo)} optional part(s) not usable; the lines marked -- (missing) or !! (unusable) say "
               "what to install. The core works." if core_ok else "The core does not work: see the lines above.")
    raise typer.Exit(0 if core_ok else 1)
