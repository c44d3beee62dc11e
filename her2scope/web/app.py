"""The FastAPI application: server-rendered pages (Jinja2, no scripts) and the REST API.

    create_app(WebSettings(...), registry=None) -> FastAPI

Everything the pages and the API show comes from library calls (engine, report, knowledge,
burden, cohort, registry); this package only authenticates, checks input and formats.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from .auth import LoginRequired, LoginThrottle, TokenCache, session_of
from .config import WebSettings
from .figures import FigureCache
from .logs import API_PREFIX, AccessLog, install_filter
from .reports import OneTime, ReportStore
from .security import BodyLimit, SecurityHeaders, SessionCodec, cookie_header, new_session


@dataclass
class AppState:
    settings: WebSettings
    registry: Any
    codec: SessionCodec
    reports: ReportStore
    figures: FigureCache
    templates: jinja2.Environment
    throttle: LoginThrottle
    tokens: TokenCache
    once: OneTime


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files(__package__) / "templates")),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["label"] = lambda v: "" if v is None else str(v).replace("_", " ")
    return env


def render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    """A page from ``templates/``; an anonymous visitor gets a session (for the CSRF token)."""
    st: AppState = request.app.state.h2s
    from .auth import optional_page_user

    session = session_of(request)
    # Only the login page starts an anonymous session (for its CSRF token): an error page or a
    # parallel request (favicon) must never replace the cookie the login form's token belongs to.
    fresh = session is None and name == "login.html"
    if session is None:
        session = new_session()
        request.state.h2s_session = session
    user = optional_page_user(request)
    html = st.templates.get_template(name).render(
        request=request, user=user, csrf=session.csrf, version=__version__, can=_can(user), **ctx)
    response = HTMLResponse(html, status_code=status)
    if fresh:
        response.headers.append("set-cookie", cookie_header(
            st.settings.session_cookie, st.codec.dumps(session), max_age=st.settings.session_seconds,
            secure=st.settings.secure_cookies))
    return response


def _can(user):
    """What the navigation offers; the registry enforces the same rule on every call."""
    if user is None:
        return lambda action: False
    from ..registry.roles import Action, allowed

    return lambda action: allowed(user.role, Action(action))


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _error(request: Request, status: int, message: str, headers: dict | None = None):
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return render(request, "error.html", status=status, status_code=status, message=message)


def create_app(settings: WebSettings | None = None, registry: Any = None) -> FastAPI:
    settings = settings or WebSettings()
    if registry is None:
        from ..registry import Registry

        registry = Registry.open(settings.db_url)
    install_filter()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from .. import load_knowledge
        from .figures import _freeze_heap

        load_knowledge()          # parsed once, before the first request
        _freeze_heap()
        if settings.precompute_figures:
            app.state.h2s.figures.start()   # freezes the heap again when done
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="her2scope", version=__version__,
        description="HER2 (ERBB2)-mutant NSCLC: annotate, report, registry and worklists. "
                    "Every call needs `Authorization: Bearer <API token>`. Runs offline.",
        docs_url=None, redoc_url=None, openapi_url=None,   # no CDN-loaded docs; the spec needs a token
    )
    st = AppState(settings, registry, SessionCodec(settings.secret_key, settings.session_seconds),
                  ReportStore(), FigureCache(), _templates(), LoginThrottle(), TokenCache(), OneTime())
    app.state.h2s = st

    # Outermost first: headers on every answer (also 413/500), then the access log, then the size limit.
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(AccessLog)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)

    from ..errors import Her2scopeError
    from ..registry import PermissionDenied
    from ..registry.roles import NotFound
    from .services import CaseRejected
    from .uploads import UploadRejected

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(PermissionDenied)
    async def _denied(request: Request, exc: PermissionDenied):
        return _error(request, 403, f"not allowed: {exc.message}")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return _error(request, 404, exc.message)

    @app.exception_handler(Her2scopeError)
    async def _library(request: Request, exc: Her2scopeError):
        return _error(request, 422, exc.message)

    @app.exception_handler(UploadRejected)
    async def _upload(request: Request, exc: UploadRejected):
        return _error(request, exc.status, exc.message)

    @app.exception_handler(CaseRejected)
    async def _case(request: Request, exc: CaseRejected):
        return _error(request, 422, exc.message)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if _is_api(request):
            # Locations and messages only: never echo the submitted values (they can be patient data).
            return JSONResponse({"detail": [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""),
                                             "type": e.get("type", "")} for e in exc.errors()]},
                                status_code=422)
        return _error(request, 422, "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: "
                                              f"{e.get('msg', '')}" for e in exc.errors()))

    from . import admin, api, pages, patients

    app.include_router(pages.router)
    app.include_router(patients.router)
    app.include_router(admin.router)
    app.include_router(api.router, prefix=API_PREFIX)
    app.mount("/static", StaticFiles(directory=str(resources.files(__package__) / "static")), name="static")

    return app
