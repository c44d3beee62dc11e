"""``her2scope serve``: the web app and REST API (FastAPI under uvicorn).

Registered in ``cli.py``; fastapi/uvicorn are imported only when the command runs.
Exit status: 0 stopped normally (also by SIGTERM, SIGHUP or Ctrl-C while serving), 2 usage
error (missing extra, unusable option), 3 the server could not start (e.g. the port is taken),
128+N stopped by signal N during start-up. Its temporary folders are removed in every case
(``_private_temp_root``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Literal, NoReturn

import typer

from .errors import Her2scopeError

EXTRA_HINT = "pip install 'her2scope[web,registry]'"
STARTUP_FAILURE = 3                      # uvicorn.run's exit status when the server could not start
FIGURES_THREAD = "her2scope-figures"     # web.figures.FigureCache's thread (not imported: start-up)


def _fail(message: str) -> None:
    typer.echo(f"her2scope serve: {message}", err=True)
    raise typer.Exit(2)


def _secret(secret_key_file: Path | None) -> str | None:
    if secret_key_file is not None:
        try:
            text = secret_key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            _fail(f"cannot read --secret-key-file {secret_key_file}: {exc.strerror or exc}")
        if len(text) < 32:
            _fail(f"--secret-key-file {secret_key_file}: use at least 32 characters")
        return text
    return os.environ.get("HER2SCOPE_SECRET_KEY") or None


def _load_demo(registry) -> None:
    """The registry's demo data and demo users (``her2scope registry demo``), by its library call."""
    from .registry.demo import build_demo   # lazy: start-up (SQLAlchemy), only for ``--demo``

    summary = build_demo(registry)
    imp = summary["import"]
    typer.echo(f"her2scope serve: demo data: {imp.rows_imported} rows imported"
               f"{' (already there)' if imp.already_imported else ''}, {len(summary['attached'])} VCFs attached",
               err=True)
    for name, password in summary["users"].items():
        typer.echo(f"her2scope serve: demo user {name} / {password}", err=True)


@contextlib.contextmanager
def _private_temp_root():
    """Every temporary folder this server makes (uploads, PDFs, the About page's figures, the
    demo import, DuckDB's cohort files) goes under one private folder, removed when ``serve``
    ends however it ends: normal stop, SIGTERM/SIGHUP/Ctrl-C during start-up (demo loading) or
    while the figures are still being drawn by their background thread, which a stopping
    interpreter kills without running its clean-up."""
    root = tempfile.mkdtemp(prefix="her2scope-serve-")       # mode 0700
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = root
    try:
        yield root
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
        shutil.rmtree(root, ignore_errors=True)


class _Stop:
    """How SIGTERM, SIGHUP and Ctrl-C stop ``serve`` with its clean-up done.

    During start-up the first signal is remembered and ``check()``, called between the start-up
    steps, turns it into SystemExit(128+N): raising from the handler itself would land wherever
    the main thread happens to be, and an exception raised inside a finaliser or weakref callback
    is dropped by Python (the signal lost, the server started anyway) or, inside SQLAlchemy's
    transaction handling, replaced by another error. A second signal stops at once. Once the server
    exists (``serving``) a signal asks it to stop: uvicorn checks ``should_exit`` on every tick,
    takes these signals over itself while it serves, and raises them again after its graceful
    shutdown; that stop is a normal one (exit 0)."""

    SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

    def __init__(self) -> None:
        self.received: int | None = None
        self._server = None
        self._saved = {sig: signal.signal(sig, self._handle) for sig in self.SIGNALS}

    def _handle(self, signum, frame) -> None:
        again = self.received is not None
        self.received = signum
        if self._server is not None:
            self._server.should_exit = True
        elif again:
            raise SystemExit(128 + signum)   # asked twice: stop now, wherever start-up is

    def check(self) -> None:
        """Stop here if a signal came during start-up."""
        if self.received is not None and self._server is None:
            raise SystemExit(128 + self.received)

    def serving(self, server) -> None:
        """From now on a signal stops ``server`` (a uvicorn.Server), whatever runs when it comes."""
        self.check()                    # a signal so far: start-up stops here (128+N)
        self._server = server
        if self.received is not None:   # one that came in between: the server stops as it starts
            server.should_exit = True

    def restore(self) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)


# The options of 'serve'.
DbOpt = Annotated[str | None, typer.Option(
        "--db", help="Registry database URL: a SQLite path or sqlite:///..., or postgresql+psycopg://... "
                     "(default ./her2scope-registry.db).")]
HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on (put a TLS reverse proxy in front "
                                                     "for anything but 127.0.0.1).")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port to listen on.")]
DemoOpt = Annotated[bool, typer.Option("--demo", help="Load the registry demo data (and demo users) first.")]
InsecureCookiesOpt = Annotated[bool, typer.Option(
        "--insecure-cookies", help="Session cookies without the Secure flag: ONLY for http://127.0.0.1 "
                                   "development and tests.")]
MaxUploadMbOpt = Annotated[int, typer.Option("--max-upload-mb", min=1, max=4096,
                                               help="Largest accepted request body.")]
PendingDaysOpt = Annotated[int, typer.Option("--pending-days", min=0, max=3650,
                                              help="'Pending too long' worklist threshold.")]
SecretKeyFileOpt = Annotated[Path | None, typer.Option(
        "--secret-key-file", help="File with the session-signing secret (else $HER2SCOPE_SECRET_KEY, "
                                  "else a random key per start: sessions end on restart).")]
ForwardedAllowIpsOpt = Annotated[str, typer.Option(
        "--forwarded-allow-ips", help="Reverse proxies whose X-Forwarded-* headers are trusted.")]
LogLevelOpt = Annotated[Literal["critical", "error", "warning", "info", "debug"], typer.Option(
        "--log-level", help="How much the server logs on standard error.")]


def serve(db: DbOpt = None, host: HostOpt = "127.0.0.1", port: PortOpt = 8000, demo: DemoOpt = False,
          insecure_cookies: InsecureCookiesOpt = False, max_upload_mb: MaxUploadMbOpt = 50,
          pending_days: PendingDaysOpt = 14, secret_key_file: SecretKeyFileOpt = None,
          forwarded_allow_ips: ForwardedAllowIpsOpt = "127.0.0.1", log_level: LogLevelOpt = "info") -> None:
    """Start the web app and REST API (pages at http://HOST:PORT/, API under /api/v1)."""
    try:
        import fastapi  # noqa: F401  # lazy: optional extra, probed
        import uvicorn
    except ImportError:
        _fail(f"the web app needs FastAPI and uvicorn: {EXTRA_HINT}")
    try:
        from .registry import Registry   # lazy: optional extra, probed
    except ImportError:
        _fail(f"the web app needs the registry: {EXTRA_HINT}")
    # lazy: start-up (the whole CLI imports this module; the web package needs the web/registry
    # extras and loads only when the command runs)
    from .web.app import create_app
    from .web.config import MB, WebSettings
    from .web.logs import log_config

    if insecure_cookies and host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo("her2scope serve: WARNING --insecure-cookies on a non-loopback address: session cookies "
                   "will travel without the Secure flag", err=True)
    secret = _secret(secret_key_file)
    if secret is None:
        typer.echo("her2scope serve: no --secret-key-file or HER2SCOPE_SECRET_KEY: using a random key "
                   "(sessions end when the server restarts)", err=True)
    stop, code = _Stop(), 0
    try:
        with _private_temp_root():
            try:
                registry = Registry.open(db)
            except Her2scopeError as exc:
                _fail(exc.message)
            try:
                stop.check()
                if demo:
                    _load_demo(registry)
                    stop.check()
                settings = WebSettings(db_url=db, secret_key=secret or secrets.token_urlsafe(32),
                                       secure_cookies=not insecure_cookies, max_upload_bytes=max_upload_mb * MB,
                                       pending_days=pending_days)
                app = create_app(settings, registry)
                server = uvicorn.Server(uvicorn.Config(
                    app, host=host, port=port, log_config=log_config(log_level.upper()), access_log=False,
                    proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips, server_header=False,
                    date_header=True, limit_concurrency=200, timeout_keep_alive=5))
                stop.serving(server)
                typer.echo(f"her2scope serve: http://{host}:{port}/ (API: /api/v1, OpenAPI: /api/v1/openapi.json)",
                           err=True)
                server.run()
                if not server.started and stop.received is None:
                    code = STARTUP_FAILURE      # e.g. the port is taken (uvicorn has logged why)
            finally:
                registry.close()
    except SystemExit as exc:      # a signal during start-up (``_Stop``): 128+N
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        stop.restore()
    _exit(code)


def _exit(code: int) -> NoReturn:
    """Exit; without the interpreter's finalization while the About page's figures thread is
    still drawing: finalizing under a daemon thread inside DuckDB or matplotlib (native code)
    aborts the process ("terminate called without an active exception", SIGABRT or SIGSEGV)
    instead of the normal stop's exit 0. Everything ``serve`` made is cleaned up by then
    (registry closed, temporary root removed); the logs are flushed here."""
    if any(t.name == FIGURES_THREAD and t.is_alive() for t in threading.enumerate()):
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
