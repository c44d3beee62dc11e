"""``her2scope registry ...``: the registry from the command line (a thin shell over
``her2scope.registry.Registry``; the library checks roles and writes the audit log).

Who acts: ``--token`` (or env HER2SCOPE_TOKEN), else ``--user`` (or env HER2SCOPE_USER) with
the password from env HER2SCOPE_PASSWORD or a prompt. The database: ``--db`` (or env
HER2SCOPE_DB), default ``./her2scope-registry.db``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from .cli_registry_people import register as register_people_commands
from .cli_report import GenesCoveredOpt
from .cli_registry_shared import DbOpt, TokenOpt, UserOpt, _actor, _fail, _open, registry_app
from .progress import feedback_of


@registry_app.command("init")
def init(db: DbOpt = None,
         admin: Annotated[Optional[str], typer.Option("--admin", help="Create this admin user (password from "
                                                      "HER2SCOPE_PASSWORD or a prompt).")] = None) -> None:
    """Create or upgrade the registry schema (Alembic), optionally with a first admin user."""
    from .registry import Role                      # lazily, as every registry import here: SQLAlchemy
    from .registry.db import current_revision       # and Alembic load only when a registry command runs

    reg = _open(db)
    try:
        if admin:
            password = os.environ.get("HER2SCOPE_PASSWORD") or typer.prompt(
                f"new password for {admin}", hide_input=True, confirmation_prompt=True)
            reg.create_user(admin, password, Role.admin)
            typer.echo(f"admin user {admin} created")
        typer.echo(f"registry ready at schema revision {current_revision(reg.engine)}")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    finally:
        reg.close()


@registry_app.command("user-add")
def user_add(username: str, role: Annotated[Literal["viewer", "clinician", "data_manager", "admin"], typer.Option(
        "--role", help="What the new user may do (docs/registry.md lists each role's rights).")],
             db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None) -> None:
    """Add a user (the acting user must be an admin); the new password is prompted for."""
    from .registry import Role  # lazy: start-up (SQLAlchemy loads only when a registry command runs)

    reg = _open(db)
    try:
        actor = _actor(reg, user, token)
        password = os.environ.get("HER2SCOPE_NEW_PASSWORD") or typer.prompt(
            f"new password for {username}", hide_input=True, confirmation_prompt=True)
        reg.create_user(username, password, Role(role), actor=actor)
        typer.echo(f"user {username} ({role}) created")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    finally:
        reg.close()


@registry_app.command("token")
def token_cmd(username: str, db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None) -> None:
    """Issue an API token for USERNAME (yourself, or anyone if you are an admin); shown once."""
    reg = _open(db)
    try:
        actor = _actor(reg, user, token)
        typer.echo(reg.issue_api_token(username, actor=actor))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    finally:
        reg.close()


@registry_app.command("import")
def import_cmd(ctx: typer.Context, file: Path, db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None,
               as_json: Annotated[bool, typer.Option("--json", help="Print the import report as JSON.")] = False) -> None:
    """Import a CSV (docs/registry-import.md) or a FHIR bundle (.json): one transaction, idempotent."""
    reg = _open(db)
    try:
        actor = _actor(reg, user, token)
        if file.suffix.lower() == ".json":
            try:
                bundle = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                typer.echo(f"her2scope: {file}: not readable JSON: {exc}", err=True)
                raise typer.Exit(2) from None
            with feedback_of(ctx).working(f"importing {file}"):     # after any password prompt
                rep = reg.import_fhir(bundle, actor, source=file.name)
        else:
            with feedback_of(ctx).working(f"importing {file}"):
                rep = reg.import_csv(file, actor)
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    finally:
        reg.close()
    if as_json:
        typer.echo(json.dumps(rep.as_dict(), indent=2))
    else:
        state = "already imported (nothing changed)" if rep.already_imported else "imported"
        typer.echo(f"{rep.source}: {state}, batch {rep.batch_id}: {rep.rows_imported} of {rep.rows_total} rows; "
                   f"{rep.patients_created} patients, {rep.tests_created} tests created, {rep.tests_updated} updated, "
                   f"{rep.results_stored} results")
        for r in rep.rejected:
            typer.echo(f"  rejected row {r.row}" + (f" ({r.patient_id})" if r.patient_id else "") + f": {r.reason}")
        for note in rep.notes:
            typer.echo(f"  note: {note}")
    raise typer.Exit(1 if rep.rejected else 0)


@registry_app.command("attach")
def attach(patient: str, file: Path, db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None,
           sample_type: Annotated[Literal["tissue", "plasma"], typer.Option(
               "--sample-type", help="What was sequenced.")] = "tissue",
           assay: Annotated[Optional[str], typer.Option(
               "--assay", help="The assay's name, e.g. 'Oncomine Dx Target Test'.")] = None,
           build: Annotated[Optional[Literal["GRCh37", "GRCh38"]], typer.Option(
               "--build", help="The genome build, when the file does not state it.")] = None,
           resulted: Annotated[Optional[str], typer.Option(
               "--resulted", metavar="YYYY-MM-DD", help="The result date (default: today).")] = None,
           sample: Annotated[Optional[str], typer.Option(
               "--sample", help="Which sample of the file is the tumour (a VCF sample column or a MAF "
                                "Tumor_Sample_Barcode); needed when the file holds several.")] = None,
           genes_covered: GenesCoveredOpt = None) -> None:
    """Interpret a VCF/MAF/HGVS file with the engine and store it as PATIENT's NGS result."""
    from .registry.rows import RowRejected, check_genes_covered  # lazy: start-up (SQLAlchemy)

    reg = _open(db)
    try:
        actor = _actor(reg, user, token)
        day = dt.date.fromisoformat(resulted) if resulted else None
        r = reg.attach_ngs_result(patient, file, actor, sample_type=sample_type, assay=assay, build=build,
                                  resulted=day, sample=sample, genes_covered=check_genes_covered(genes_covered))
    except (ValueError, RowRejected) as exc:
        typer.echo(f"her2scope: {exc}", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    finally:
        reg.close()
    typer.echo(f"{patient}: {r.summary} (knowledge {r.knowledge_version}; test {r.test_id})")
    for v in r.variants:
        typer.echo(f"  {v.protein_change or '-':<18} {v.hgvs_c or '-':<32} {v.oncogenicity or '-'}")


@registry_app.command("worklist")
def worklist(name: Annotated[Optional[str], typer.Argument(help="One worklist (default: all)")] = None,
             db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None,
             pending_days: Annotated[int, typer.Option(
                 "--pending-days", min=0, help="A test ordered longer ago than this, without a result, is "
                                               "'pending too long'.")] = 14,
             today: Annotated[Optional[str], typer.Option(
                 "--today", metavar="YYYY-MM-DD", help="Judge the worklists on this date (default: today).")] = None,
             as_json: Annotated[bool, typer.Option("--json", help="Print the worklists as JSON.")] = False) -> None:
    """Testing-gap worklists (see docs/registry.md for each definition)."""
    reg = _open(db)
    try:
        actor = _actor(reg, user, token)
        lists = reg.worklists(actor, today=dt.date.fromisoformat(today) if today else None,
                              pending_days=pending_days, names=(name,) if name else None)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    finally:
        reg.close()
    if as_json:
        typer.echo(json.dumps({k: [r.as_dict() for r in v] for k, v in lists.items()}, indent=2))
        return
    for key, rows in lists.items():
        typer.echo(f"{key} ({len(rows)})")
        for r in rows:
            typer.echo(f"  {r.patient_id:<14} {'' if r.days is None else str(r.days) + ' d':>7}  {r.reason}")


@registry_app.command("stats")
def stats(db: DbOpt = None, user: UserOpt = None, token: TokenOpt = None,
          as_json: Annotated[bool, typer.Option("--json", help="Print the statistics as JSON.")] = False) -> None:
    """Turnaround per test type (ordered -> resulted) and HER2-mutation yield vs the expected 2-4%."""
    reg = _open(db)
    try:
        actor = _actor(reg, user, token)
        tat, yld = reg.turnaround(actor), reg.her2_yield(actor)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    finally:
        reg.close()
    if as_json:
        typer.echo(json.dumps({"turnaround": tat, "her2_yield": yld}, indent=2))
        return
    typer.echo("turnaround, ordered -> resulted (days)")
    for tt, d in tat.items():
        fmt = lambda x: "-" if x is None else f"{x:g}"   # noqa: E731
        typer.echo(f"  {tt:<11} n={d['n']:<6} median={fmt(d['median_days']):<6} p90={fmt(d['p90_days']):<6} "
                   f"pending={d['pending']} failed={d['failed']}")
    if yld["yield"] is None:
        typer.echo("HER2-mutation yield: no resulted NGS test yet")
    else:
        lo, hi = yld["ci95"]
        typer.echo(f"HER2-mutation yield: {yld['her2_mutant']}/{yld['tested']} = {yld['yield']:.1%} "
                   f"(95% CI {lo:.1%}-{hi:.1%}, Wilson); expected {yld['expected_range'][0]:.0%}-"
                   f"{yld['expected_range'][1]:.0%} ({yld['expected_source']}): {yld['verdict']}")


@registry_app.command("demo")
def demo(db: DbOpt = None,
         today: Annotated[Optional[str], typer.Option(
             "--today", metavar="YYYY-MM-DD", help="Date the demo data as if today were this day.")] = None) -> None:
    """Load a demo registry: ~30 pseudonymous advanced NSCLC patients and the bundled demo VCFs."""
    from .registry.demo import build_demo           # lazily (SQLAlchemy)

    reg = _open(db)
    try:
        summary = build_demo(reg, today=dt.date.fromisoformat(today) if today else None)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    finally:
        reg.close()
    rep = summary["import"]
    typer.echo(f"demo registry: {rep.rows_imported} CSV rows imported"
               + (" (already there)" if rep.already_imported else "") + f", {len(summary['attached'])} VCFs attached")
    for pid, name, status in summary["attached"]:
        typer.echo(f"  {pid:<12} {name:<36} mutation: {status}")
    typer.echo("demo users (demo only; change or remove them on a real server):")
    for name, pw in summary["users"].items():
        typer.echo(f"  {name} / {pw}")
    sys.stdout.flush()


# People, tokens and a patient's report, listed after the commands above.
register_people_commands(registry_app)
