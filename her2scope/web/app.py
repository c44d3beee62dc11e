"""The FastAPI application: server-rendered pages (Jinja2, no scripts) and the REST API.

    create_app(WebSettings(...), registry=None) -> FastAPI

Everything the pages and the API show comes from library calls (engine, report, knowledge,
burden, cohort, registry); this package only authenticates, checks input and formats.

This module only assembles: the state (``deps.AppState``), the middleware, the error handlers
and the route modules (``pages``, ``patients``, ``admin``, ``api``), which import ``templating``
and ``deps``, never this module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from .._version import __version__
from ..errors import Her2scopeError
from ..knowledge import load_knowledge
from ..registry import PermissionDenied, Registry
from ..registry.roles import NotFound
from . import admin, api, pages, patients
from .auth import LoginRequired, LoginThrottle, TokenCache
from .config import WebSettings
from .deps import AppState
from .figures import FigureCache, freeze_heap
from .logs import API_PREFIX, AccessLog, install_filter
from .reports import OneTime, ReportStore
from .security import BodyLimit, SecurityHeaders, SessionCodec
from .services import CaseRejected
from .templating import error_response, is_api, templates_env
from .uploads import UploadRejected

__all__ = ["create_app"]


def create_app(settings: WebSettings | None = None, registry: Any = None) -> FastAPI:
    settings = settings or WebSettings()
    if registry is None:
        registry = Registry.open(settings.db_url)
    install_filter()
    app = FastAPI(
        lifespan=_lifespan(settings),
        title="her2scope", version=__version__,
        description="HER2 (ERBB2)-mutant NSCLC: annotate, report, registry and worklists. "
                    "Every call needs `Authorization: Bearer <API token>`. Runs offline.",
        docs_url=None, redoc_url=None, openapi_url=None,   # no CDN-loaded docs; the spec needs a token
    )
    app.state.h2s = _app_state(settings, registry)
    _add_middleware(app, settings)
    _add_error_handlers(app)
    _add_routes(app)
    return app


def _app_state(settings: WebSettings, registry: Any) -> AppState:
    return AppState(settings, registry, SessionCodec(settings.secret_key, settings.session_seconds),
                    ReportStore(), FigureCache(), templates_env(), LoginThrottle(), TokenCache(), OneTime())


def _lifespan(settings: WebSettings) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        load_knowledge()          # parsed once, before the first request
        freeze_heap()
        if settings.precompute_figures:
            app.state.h2s.figures.start()   # freezes the heap again when done
        yield

    return lifespan


def _add_middleware(app: FastAPI, settings: WebSettings) -> None:
    # Added innermost first, so the last one runs outermost: headers on every answer (also
    # 413/500), then the access log, then the size limit.
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(AccessLog)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)


def _add_routes(app: FastAPI) -> None:
    app.include_router(pages.router)
    app.include_router(patients.router)
    app.include_router(admin.router)
    app.include_router(api.router, prefix=API_PREFIX)
    app.mount("/static", StaticFiles(directory=str(resources.files(__package__) / "static")), name="static")


# ---- errors: a page for a browser, {"detail": ...} under the API prefix -------------------------

async def _login(request: Request, exc: LoginRequired) -> Response:
    return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)


async def _denied(request: Request, exc: PermissionDenied) -> Response:
    return error_response(request, 403, f"not allowed: {exc.message}")


async def _not_found(request: Request, exc: NotFound) -> Response:
    return error_response(request, 404, exc.message)


async def _library(request: Request, exc: Her2scopeError) -> Response:
    return error_response(request, 422, exc.message)


async def _upload(request: Request, exc: UploadRejected) -> Response:
    return error_response(request, exc.status, exc.message)


async def _case(request: Request, exc: CaseRejected) -> Response:
    return error_response(request, 422, exc.message)


async def _http(request: Request, exc: HTTPException) -> Response:
    return error_response(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    if is_api(request):
        # Locations and messages only: never echo the submitted values (they can be patient data).
        return JSONResponse({"detail": [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""),
                                         "type": e.get("type", "")} for e in exc.errors()]},
                            status_code=422)
    return error_response(request, 422, "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: "
                                                  f"{e.get('msg', '')}" for e in exc.errors()))


_HANDLERS: tuple[tuple[type[Exception], Callable[[Request, Any], Awaitable[Response]]], ...] = (
    (LoginRequired, _login), (PermissionDenied, _denied), (NotFound, _not_found),
    (Her2scopeError, _library), (UploadRejected, _upload), (CaseRejected, _case),
    (HTTPException, _http), (RequestValidationError, _invalid))


def _add_error_handlers(app: FastAPI) -> None:
    for exc_class, handler in _HANDLERS:
        app.add_exception_handler(exc_class, handler)
