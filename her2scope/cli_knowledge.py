"""``her2scope knowledge audit``: what to re-check before a release (a thin shell over knowledge/audit.py)."""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import KnowledgeBaseError


class AuditFormat(str, enum.Enum):
    table = "table"
    json = "json"


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--as-of must be a date YYYY-MM-DD (got {value!r})") from None


def knowledge_audit(
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="Judge staleness on this date (YYYY-MM-DD) instead of today.")] = None,
    stale_days: Annotated[int, typer.Option(
        "--stale-days", min=1, help="An entry checked longer ago than this is stale.")] = 180,  # = STALE_AFTER_DAYS
    fmt: Annotated[AuditFormat, typer.Option("--format", help="table or json")] = AuditFormat.table,
    trials: Annotated[Optional[Path], typer.Option(
        "--trials", help="Audit this trial list instead of the bundled one (validated first).")] = None,
    files: Annotated[Optional[list[Path]], typer.Option(
        "--file", help="Audit only these knowledge YAML files (repeatable).")] = None,
) -> None:
    """List unverified, stale and secondary-sourced knowledge entries (variants, labels, trials).

    Exit 0 with the list (empty when nothing needs re-checking); exit 2 when a knowledge file
    cannot be read or does not validate."""
    # lazy: start-up (the whole CLI imports this module; the command's libraries load when it runs)
    from .knowledge.audit import audit, default_files
    from .knowledge.guidance import load_guidance
    from .knowledge.trials import TRIALS, load_trials

    when = _as_of(as_of)
    try:
        if files:
            paths = list(files)
        else:
            load_guidance()                                  # the typed files must validate first
            paths = default_files()
            if trials is not None:
                paths = [p for p in paths if p.name != TRIALS] + [trials]
        for p in paths:
            if trials is not None and p == trials or p.name == TRIALS:
                load_trials(str(p))
        findings = audit(paths, when, stale_days)
    except KnowledgeBaseError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    if fmt is AuditFormat.json:
        sys.stdout.write(json.dumps({"as_of": when.isoformat(), "stale_days": stale_days,
                                     "files": [str(p) for p in paths],
                                     "findings": [f.as_dict() for f in findings]}, indent=2) + "\n")
        return
    typer.echo(f"knowledge audit as of {when.isoformat()} (stale after {stale_days} days): "
               f"{len(findings)} item(s) to re-check")
    for f in findings:
        typer.echo(f"{f.file}\t{f.entry}\t{f.problem.value}\t{f.checked or '-'}\t{f.detail}")
