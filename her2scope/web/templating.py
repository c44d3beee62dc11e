"""The pages' templates: the Jinja2 environment, ``render`` (a page from ``templates/``) and the
error answer shared by pages and the API (HTML for a page, JSON under the API prefix).

Route modules import this, never ``app``: ``app`` imports the route modules to register them.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from .._version import __version__
from ..registry.roles import Action, allowed
from ..vocabulary import TestState, Verdict
from .auth import optional_page_user, session_of
from .logs import API_PREFIX
from .security import cookie_header, new_session


def templates_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files(__package__) / "templates")),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["label"] = lambda v: "" if v is None else str(v).replace("_", " ")
    # Templates compare with the vocabulary's members, never with their text (as the code does).
    env.globals.update(TestState=TestState, Verdict=Verdict)
    return env


def render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    """A page from ``templates/``; an anonymous visitor gets a session (for the CSRF token)."""
    st = request.app.state.h2s
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


def _can(user) -> Callable[[str], bool]:
    """What the navigation offers; the registry enforces the same rule on every call."""
    if user is None:
        return lambda action: False
    return lambda action: allowed(user.role, Action(action))


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def error_response(request: Request, status: int, message: str, headers: dict | None = None) -> Response:
    """An error as the caller reads it: JSON ``{"detail": ...}`` for the API, a page otherwise."""
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return render(request, "error.html", status=status, status_code=status, message=message)
