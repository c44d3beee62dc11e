"""What is installed and usable on this machine (``her2scope doctor``): one check per component.

Each check imports (or looks for) its own library or program only when run, and reports a failure
instead of raising it. Used by ``cli_doctor.py``; imported only when the command runs.
"""

from __future__ import annotations

import enum
import importlib.metadata
import importlib.util
import os
import platform
import re
import shutil
import subprocess
from dataclasses import dataclass


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
        # lazy: inside the try, so a broken install is reported as a failed check, not a crash
        from .pipeline import Options, annotate_inputs

        [item] = list(annotate_inputs(expressions=["ERBB2 p.Y772_A775dup"], options=Options()))
        # A RecordError has no classification: the AttributeError is reported as the failure.
        assert item.classification is not None  # type: ignore[union-attr]
    except Exception as exc:  # noqa: BLE001 - the doctor reports, it does not crash
        return Check("core", State.unusable, f"annotating a known variant failed: {exc}",
                     "annotate, report (HTML, JSON, FHIR), knowledge", "pip install --force-reinstall her2scope")
    return Check("core", State.ok, f"her2scope {_version('her2scope') or '?'}, Python {platform.python_version()}",
                 "annotate, report (HTML, JSON, FHIR), knowledge")


def _knowledge() -> Check:
    try:
        from .knowledge import load_knowledge  # lazy: a failure to import is reported (as _core)

        kb = load_knowledge()
    except Exception as exc:  # noqa: BLE001
        return Check("knowledge", State.unusable, f"the bundled knowledge base does not load: {exc}",
                     "classification", "reinstall her2scope")
    parts = [f"ERBB2 knowledge {kb.version}, released {kb.released}"]
    if getattr(kb, "checked", ""):
        parts.append(f"checked {kb.checked}")
    parts.append(f"{len(kb.variants)} curated variants")
    try:
        from .knowledge.guidance import load_guidance, load_trials  # lazy: reported (as _core)

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
        import weasyprint  # lazy: the optional dependency this check probes
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
        import psycopg  # lazy: the optional dependency this check probes

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
