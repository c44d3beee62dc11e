"""What every ``her2scope registry ...`` command module shares: the ``registry`` command group,
the ``--db`` / ``--user`` / ``--token`` options, opening the registry and finding who acts.

``cli_registry`` and ``cli_registry_people`` both register their commands on ``registry_app``
from here, so neither imports the other's internals. The registry library (SQLAlchemy,
Alembic) is imported only when a command opens the registry: the CLI's start-up stays lean.
"""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from .errors import Her2scopeError

registry_app = typer.Typer(help="Registry of advanced NSCLC patients: imports, results, worklists, statistics "
                                "(needs the 'registry' extra).", no_args_is_help=True)

DbOpt = Annotated[Optional[str], typer.Option("--db", envvar="HER2SCOPE_DB",
                                              help="The registry database: a file path, sqlite:///FILE or "
                                                   "postgresql+psycopg://USER@HOST/DB (default ./her2scope-registry.db).")]
UserOpt = Annotated[Optional[str], typer.Option("--user", envvar="HER2SCOPE_USER", help="Who acts (the password from "
                                                   "HER2SCOPE_PASSWORD, else a prompt).")]
TokenOpt = Annotated[Optional[str], typer.Option("--token", envvar="HER2SCOPE_TOKEN", help="API token of the acting user.")]


def _open(db: str | None):
    try:
        from .registry import Registry      # lazily: SQLAlchemy and Alembic load only here
    except ImportError as exc:   # the extra is not installed
        typer.echo(f"her2scope: the registry needs the 'registry' extra (pip install 'her2scope[registry]'): {exc}",
                   err=True)
        raise typer.Exit(2) from None
    return Registry.open(db)


def _fail(exc: Exception) -> None:
    if isinstance(exc, Her2scopeError):
        typer.echo(f"her2scope: {exc.code}: {exc.message}", err=True)
        raise typer.Exit(1) from None
    raise exc


def _actor(reg, user: str | None, token: str | None):
    if token:
        info = reg.user_for_token(token)
        if info is None:
            typer.echo("her2scope: the token is not valid", err=True)
            raise typer.Exit(2) from None
        return info
    if not user:
        typer.echo("her2scope: say who acts: --user NAME (password from HER2SCOPE_PASSWORD or a prompt) or --token",
                   err=True)
        raise typer.Exit(2) from None
    password = os.environ.get("HER2SCOPE_PASSWORD") or typer.prompt(f"password for {user}", hide_input=True)
    info = reg.authenticate(user, password)
    if info is None:
        typer.echo("her2scope: wrong user name or password", err=True)
        raise typer.Exit(2) from None
    return info
