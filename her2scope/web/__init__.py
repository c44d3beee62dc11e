"""The her2scope web app and REST API (``her2scope serve``; needs the ``web`` and ``registry`` extras).

    from her2scope.web import create_app, WebSettings
    app = create_app(WebSettings(db_url="sqlite:///registry.db"))

Nothing heavy is imported here: FastAPI loads when ``create_app`` is first imported from ``.app``.
"""

from __future__ import annotations

from .config import WebSettings

__all__ = ["WebSettings", "create_app"]


def create_app(settings: WebSettings | None = None, registry=None):
    """The FastAPI application (see ``her2scope.web.app.create_app``)."""
    from .app import create_app as _create_app   # lazy: FastAPI loads only when the app is made

    return _create_app(settings, registry)
