"""``her2scope registry`` commands for people, tokens and a patient's report (registered on
``registry_app`` by ``register``): list users, deactivate / reactivate, reset a password, list and
revoke API tokens, and write a registry patient's HER2 report (the same report as
``her2scope report``, made from the stored tests and the patient's clinical data)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_registry_shared import DbOpt, TokenOpt, UserOpt, _actor, _fail, _open
from .cli_report import report_format, write_report


def _run(db, user, token, fn):
    reg = _open(db)
    try:
        return fn(reg, _actor(reg, user, token))
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - library errors become one line, others propagate
        _fail(exc)
    finally:
        reg.close()


def users(db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None) -> None:
    """List users: role, active or not, last login, open web sessions, active API tokens (admins)."""
    rows = _run(db, user, token, lambda reg, actor: reg.list_users(actor))
    for u in rows:
        last = u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "-"
        typer.echo(f"{u.username:<20} {u.role.value:<13} {'active' if u.active else 'deactivated':<12} "
                   f"last login {last:<17} sessions {u.open_sessions:<3} tokens {u.active_tokens}")


def user_deactivate(username: str, db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None) -> None:
    """Deactivate USERNAME: their web sessions end at once and their API tokens stop working."""
    _run(db, user, token, lambda reg, actor: reg.set_user_active(username, False, actor=actor))
    typer.echo(f"user {username} deactivated")


def user_activate(username: str, db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None) -> None:
    """Reactivate USERNAME."""
    _run(db, user, token, lambda reg, actor: reg.set_user_active(username, True, actor=actor))
    typer.echo(f"user {username} reactivated")


def user_password(username: str, db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None) -> None:
    """Reset USERNAME's password (from HER2SCOPE_NEW_PASSWORD, else prompted); their sessions end."""
    def reset(reg, actor):
        new = os.environ.get("HER2SCOPE_NEW_PASSWORD") or typer.prompt(
            f"new password for {username}", hide_input=True, confirmation_prompt=True)
        reg.reset_password(username, new, actor=actor)

    _run(db, user, token, reset)
    typer.echo(f"password of {username} reset; their sessions have ended")


def tokens(db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None,
           of: Annotated[Optional[str], typer.Option("--of", help="Another user's tokens (admins).")] = None,
           everyone: Annotated[bool, typer.Option("--all", help="Every user's tokens (admins).")] = False) -> None:
    """List API tokens (yours by default): id, name, created, expires, last used, state."""
    rows = _run(db, user, token, lambda reg, actor: reg.list_api_tokens(actor, username=of, everyone=everyone))
    day = lambda d: d.strftime("%Y-%m-%d") if d else "-"   # noqa: E731
    for t in rows:
        typer.echo(f"{t.id:<5} {t.username:<16} {t.name or '(unnamed)':<24} created {day(t.created_at)} "
                   f"expires {day(t.expires_at) if t.expires_at else 'never':<10} used {day(t.last_used_at):<10} "
                   f"{t.state}")


def token_revoke(token_id: int, db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None) -> None:
    """Revoke the API token TOKEN_ID (yours, or anyone's for an admin; ids: `registry tokens`)."""
    t = _run(db, user, token, lambda reg, actor: reg.revoke_api_token(token_id, actor))
    typer.echo(f"token {t.id} ({t.name or 'unnamed'}) of {t.username} revoked")


def patient_report(patient: str,
                   output: Annotated[list[Path], typer.Option(
                       "-o", "--output", help="report.html | report.pdf | report.json | report.fhir.json "
                                              "(repeatable)")],
                   db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None) -> None:
    """Write PATIENT's HER2 report from the stored tests and the clinical data in the registry."""
    from .report.model import report_for      # lazily: the case and knowledge models load only here

    for out in output:
        report_format(out)
    pc = _run(db, user, token, lambda reg, actor: (reg.patient_case(patient, actor), reg.options))
    case, options = pc[0].case, pc[1]
    if case is None:
        typer.echo(f"her2scope: no report for {patient}: " + (pc[0].problem or "the registry does not hold the "
                   "patient's " + ", ".join(pc[0].missing) + " (record them on the patient's page)"), err=True)
        raise typer.Exit(1)
    with tempfile.TemporaryDirectory(prefix="her2scope-report-") as tmp:
        rep = report_for(case, Path(tmp), options)
    for out in output:
        write_report(rep, out)
        typer.echo(f"wrote {out}", err=True)


def register(app: typer.Typer) -> None:
    """Add these commands to ``app`` (``cli_registry`` calls it after its own commands, so that
    ``her2scope registry --help`` lists them after the registry's)."""
    app.command("users")(users)
    app.command("user-deactivate")(user_deactivate)
    app.command("user-activate")(user_activate)
    app.command("user-password")(user_password)
    app.command("tokens")(tokens)
    app.command("token-revoke")(token_revoke)
    app.command("report")(patient_report)
