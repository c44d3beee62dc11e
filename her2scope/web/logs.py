"""What the web app logs, and what it never logs.

Logged: method, the route *template* (``/patients/{patient_id}``, never the id), status, duration,
and for unhandled errors the exception type and the code locations (file:line:function).
Never logged: request bodies, query strings, real paths with ids, file names of uploads,
exception messages (they can quote input), cookies, tokens. A filter on every handler also
redacts anything shaped like an HGVS expression, a genomic position, a bearer token or a
patient id, in case a library or a future change logs one.
"""

from __future__ import annotations

import logging
import re
import time
import traceback

API_PREFIX = "/api/v1"
log = logging.getLogger("her2scope.web")
access = logging.getLogger("her2scope.web.access")

_REDACT = re.compile(
    r"(?:\b(?:NM|NP|NC|ENST|ENSP)_?\d+(?:\.\d+)?:?)"           # transcript / accession
    r"|(?:\b[cgpnmr]\.[\w*>()?+-]+)"                            # HGVS c./g./p. expressions
    r"|(?:\bchr\w+:\d[\d,]*)"                                   # genomic positions
    r"|(?:\b(?:Bearer|token)\s+\S+)"                            # credentials
    r"|(?:/(?:patients|reports|api/v1/patients)/(?!\{)[^\s/?\"']+)"   # ids inside paths
    r"|(?:\?[^\s\"']+)",                                        # query strings
    re.IGNORECASE)


def redact(text: str) -> str:
    return _REDACT.sub("[redacted]", text)


class PatientDataFilter(logging.Filter):
    """Rewrites every record's message with patient-looking content redacted; drops uvicorn's
    own access lines (the app writes its own, with route templates)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access":
            return False
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record: keep its template only
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info:
            # Keep where it failed, never what the exception said (messages can quote input).
            etype, _, tb = record.exc_info
            frames = "".join(f"\n  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb))
            record.msg += f"\n{etype.__name__ if etype else 'Exception'} (message withheld){frames}"
            record.exc_info = None
            record.exc_text = None
        return True


def install_filter(*loggers: str) -> None:
    flt = PatientDataFilter()
    for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access", "her2scope", *loggers):
        lg = logging.getLogger(name)
        if not any(isinstance(f, PatientDataFilter) for f in lg.filters):
            lg.addFilter(flt)
        for h in lg.handlers:
            if not any(isinstance(f, PatientDataFilter) for f in h.filters):
                h.addFilter(flt)


def log_config(level: str = "INFO") -> dict:
    """uvicorn's ``log_config``: one stderr handler with the filter; uvicorn's access log off."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"patient_data": {"()": PatientDataFilter}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                                "filters": ["patient_data"], "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "her2scope": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }


def _route_template(scope) -> str:
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if template:
        # Routers included under a prefix keep their own path in the route object.
        if scope.get("path", "").startswith(API_PREFIX + "/") and not template.startswith(API_PREFIX + "/"):
            template = API_PREFIX + template
        return template
    if scope.get("path", "").startswith("/static/"):
        return "/static/{file}"
    return "{unmatched}"


class AccessLog:
    """Pure ASGI middleware: one access line per request, with the route template; catches
    unhandled errors, logs their type and location only, and answers 500."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status = 0

        async def send_wrapper(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:  # noqa: BLE001 - the server must not echo or log the message
            frames = "; ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}"
                               for f in traceback.extract_tb(exc.__traceback__)[-6:])
            log.error("unhandled %s on %s %s at %s", type(exc).__name__, scope.get("method"),
                      _route_template(scope), frames)
            if status == 0:
                body = b'{"detail":"internal error"}'
                await send({"type": "http.response.start", "status": 500,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                status = 500
        finally:
            access.info("%s %s %s %.1fms", scope.get("method"), _route_template(scope), status,
                        1000 * (time.perf_counter() - t0))
