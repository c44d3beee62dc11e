"""Web settings: one small immutable object with named defaults (overridable per app)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD = 50 * MB
SECRET_ENV = "HER2SCOPE_SECRET_KEY"


def _secret_from_env() -> str | None:
    return os.environ.get(SECRET_ENV) or None


@dataclass(frozen=True)
class WebSettings:
    """Settings of one web app instance.

    ``secret_key`` signs session cookies. Without one (argument, ``HER2SCOPE_SECRET_KEY`` or
    ``--secret-key-file``) a random key is made per process: every session ends on restart, and
    several worker processes would not share sessions - fine for a demo, not for production.
    """

    db_url: str | None = None
    secret_key: str = field(default_factory=lambda: _secret_from_env() or secrets.token_urlsafe(32))
    secure_cookies: bool = True          # off only with --insecure-cookies (http://127.0.0.1 tests)
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    session_seconds: int = 8 * 3600      # a working day; then log in again
    pending_days: int = 14               # "pending too long" worklist threshold
    precompute_figures: bool = True      # burden + cohort figures built in a thread at start-up
    max_hgvs_expressions: int = 1000

    @property
    def session_cookie(self) -> str:
        # The __Host- prefix makes browsers insist on Secure, Path=/ and no Domain attribute.
        return "__Host-her2scope" if self.secure_cookies else "her2scope_session"
