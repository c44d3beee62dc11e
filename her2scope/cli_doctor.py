"""``her2scope doctor``: what is installed and usable here, and what to install for the rest.

Registered in ``cli.py``. Nothing is imported at start-up: each check imports (or looks for) its
own library or program when the command runs, and a failing check is reported, never raised.
Exit status: 0 when the core (annotate, report as HTML/JSON/FHIR, knowledge) works, 1 when it does
not; a missing optional part is not a failure.
"""

from __future__ import annotations

import enum
import importlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import asdict, dataclass
from typing import Annotated

import typer


class DoctorFormat(str, enum.Enum):
    text = "text"
    json = "json"


class State(str, enum.Enum):
    ok = "ok"
    missing = "missing"          # not installed
    unusable = "unusable"        # installed but does not work here (a system library, a version)


@dataclass(frozen=True, slots=True)
class Check:
    """One component: whether it works, what it gives, and how to get it when it does not."""

    name: str
    state: State
    detail: str
    enables: str
    fix: str = ""


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _python_packages(name: str, dists: tuple[str, ...], enables: str, extra: str) -> Check:
    """An extra's Python packages: present (by metadata, nothing imported) with their versions."""
    found = {d: _version(d) for d in dists}
    missing = [d for d, v in found.items() if v is None]
    detail = ", ".join(f"{d} {v}" for d, v in found.items() if v) or "none of its packages"
    if missing:
        return Check(name, State.missing, f"missing {', '.join(missing)}" + (f" (have {detail})" if
                     len(missing) < len(dists) else ""), enables, f"pip install 'her2scope[{extra}]'")
    return Check(name, State.ok, detail, enables)


def _core() -> Check:
    try:
        from .pipeline import Options, annotate_inputs

        [item] = list(annotate_inputs(["ERBB2 p.Y772_A775dup"], Options()))
        assert item.classification is not None
    except Exception as exc:  # noqa: BLE001 - the doctor reports, it does not crash
        return Check("core", State.unusable, f"annotating a known variant failed: {exc}",
                     "annotate, report (HTML, JSON, FHIR), knowledge", "pip install --force-reinstall her2scope")
    return Check("core", State.ok, f"her2scope {_version('her2scope') or '?'}, Python {platform.python_version()}",
                 "annotate, report (HTML, JSON, FHIR), knowledge")


def _knowledge() -> Check:
    try:
        from .knowledge import load_knowledge

        kb = load_knowledge()
    except Exception as exc:  # noqa: BLE001
        return Check("knowledge", State.unusable, f"the bundled knowledge base does not load: {exc}",
                     "classification", "reinstall her2scope")
    parts = [f"ERBB2 knowledge {kb.version}, released {kb.released}"]
    if getattr(kb, "checked", ""):
        parts.append(f"checked {kb.checked}")
    parts.append(f"{len(kb.variants)} curated variants")
    try:
        from .knowledge.guidance import load_guidance, load_trials

        g, t = load_guidance(), load_trials()
        parts.append(f"next steps {g.version} released {g.released}; trials {t.version} released {t.released}")
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return Check("knowledge", State.unusable, "; ".join(parts) + f"; next steps/trials do not load: {exc}",
                     "therapy labels, next steps, trials", "reinstall her2scope")
    return Check("knowledge", State.ok, "; ".join(parts), "classification, therapy labels, trials")


def _weasyprint() -> Check:
    enables = "PDF reports (report -o r.pdf, demo)"
    if importlib.util.find_spec("weasyprint") is None:
        return Check("report", State.missing, "WeasyPrint is not installed", enables,
                     "pip install 'her2scope[report]'")
    try:
        import weasyprint
    except (OSError, ImportError) as exc:      # Pango/HarfBuzz missing: an OSError from cffi
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Check("report", State.unusable, f"WeasyPrint cannot load its system libraries: {first}", enables,
                     "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b (Debian/Ubuntu)")
    return Check("report", State.ok, f"WeasyPrint {weasyprint.__version__}", enables)


def _java_version(java: str) -> tuple[int | None, str]:
    try:
        proc = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, str(exc)
    text = (proc.stderr or proc.stdout).strip()
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not match:
        return None, text.splitlines()[0] if text else "no version printed"
    major = int(match.group(1))
    if major == 1 and match.group(2):          # "1.8.0_392" is Java 8
        major = int(match.group(2))
    return major, text.splitlines()[0]


def _spark() -> Check:
    enables = "cohort --engine spark"
    pyspark = _version("pyspark")
    if pyspark is None:
        return Check("spark", State.missing, "PySpark is not installed", enables, "pip install 'her2scope[spark]'")
    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java or not os.path.exists(java):
        return Check("spark", State.unusable, f"pyspark {pyspark}, but no Java (JAVA_HOME unset, no java on PATH)",
                     enables, "apt-get install openjdk-17-jre-headless (PySpark 4 needs Java 17 or later)")
    major, text = _java_version(java)
    if major is None or major < 17:
        return Check("spark", State.unusable, f"pyspark {pyspark}; {java}: {text}", enables,
                     "PySpark 4 needs Java 17 or later: apt-get install openjdk-17-jre-headless")
    return Check("spark", State.ok, f"pyspark {pyspark}, Java {major} ({java})", enables)


def _postgres() -> Check:
    enables = "registry and serve on PostgreSQL (--db postgresql+psycopg://...)"
    if importlib.util.find_spec("psycopg") is None:
        return Check("postgresql", State.missing, "the psycopg driver is not installed", enables,
                     "pip install 'her2scope[registry]'")
    try:
        import psycopg

        libpq = psycopg.pq.version()
        impl = psycopg.pq.__impl__
    except (ImportError, OSError) as exc:
        return Check("postgresql", State.unusable, f"psycopg cannot load libpq: {exc}", enables,
                     "pip install 'psycopg[binary]' (or apt-get install libpq5)")
    detail = f"psycopg {psycopg.__version__} ({impl}, libpq {libpq // 10000}.{libpq % 100})"
    server = os.environ.get("HER2SCOPE_TEST_PG_URL")
    detail += "; HER2SCOPE_TEST_PG_URL set for the tests" if server else ""
    return Check("postgresql", State.ok, detail, enables)


def _chromium() -> Check:
    enables = "browser tests of the web app (tests/test_web_browser.py)"
    found = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None)
    found = found or shutil.which("chromium") or shutil.which("chromium-browser")
    if _version("playwright") is None:
        return Check("browser", State.missing, "Playwright is not installed"
                     + (f" (chromium at {found})" if found else ""), enables, "pip install 'her2scope[test]'")
    if not found:
        return Check("browser", State.missing, "no chromium (looked for /usr/bin/chromium and on PATH)", enables,
                     "apt-get install chromium")
    return Check("browser", State.ok, f"playwright {_version('playwright')}, {found}", enables)


def run_checks() -> list[Check]:
    return [
        _core(),
        _knowledge(),
        _weasyprint(),
        _python_packages("cohort", ("duckdb", "sqlglot", "pandas", "numpy", "scipy", "matplotlib", "lifelines"),
                         "cohort prevalence/report/import, burden", "cohort"),
        _spark(),
        _python_packages("registry", ("sqlalchemy", "alembic"), "registry (SQLite), serve", "registry"),
        _postgres(),
        _python_packages("web", ("fastapi", "uvicorn", "itsdangerous", "python-multipart"), "serve (web app, API)",
                         "web"),
        _python_packages("test", ("pytest", "hypothesis", "ruff"), "make test", "test"),
        _chromium(),
    ]


def doctor(
    fmt: Annotated[DoctorFormat, typer.Option(
        "--format", "-f", help="text for people, json for scripts.")] = DoctorFormat.text,
) -> None:
    """Show which parts of her2scope work on this machine, the knowledge version and its checked
    date, and what to install for anything missing.

    Optional parts (PDF, cohort analytics, Spark, the registry, PostgreSQL, the web app, the browser
    tests) are checked without starting them; the exit status is 1 only when the core itself fails."""
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
