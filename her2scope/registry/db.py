"""Engine set-up and schema migration (Alembic, configured in code, no alembic.ini)."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event

DEFAULT_URL = "sqlite:///her2scope-registry.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def normalize_url(url: str | None) -> str:
    """``None`` -> the default SQLite file; a bare path -> a SQLite file; ``postgresql://``
    -> the psycopg 3 driver."""
    if not url:
        return DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _private_sqlite_file(url: str) -> None:
    """A new SQLite registry file is created readable and writable by its owner only (0600):
    it holds pseudonymous patient data and password hashes. SQLite gives its -wal and -shm
    files the database file's permissions. An existing file is left as its owner set it."""
    path = url.split("///", 1)[1] if "///" in url else ""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return         # e.g. a missing folder: SQLite's own error says so when it connects


def make_engine(url: str | None) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):   # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")       # a killed writer leaves the last commit intact
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
        return engine
    if url.startswith("postgresql"):
        engine = create_engine(url, pool_pre_ping=True)

        @event.listens_for(engine, "connect")
        def _no_jit(dbapi_conn, _record):   # noqa: ANN001
            # The registry's list queries are short; PostgreSQL's JIT compiler (on by default)
            # switches on once a plan's estimated cost passes 100,000 and then costs ~300 ms per
            # request by itself (measured on the 100,000-patient worklist benchmark).
            cur = dbapi_conn.cursor()
            cur.execute("SET jit = off")
            cur.close()
            dbapi_conn.commit()
        return engine
    raise ValueError(f"unsupported database URL {url.split('://')[0]}://...: use sqlite:/// or postgresql+psycopg://")


def alembic_config(url: str):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (``head``): safe to run on every start."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
