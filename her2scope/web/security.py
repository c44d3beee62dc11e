"""Sessions (signed cookies), CSRF tokens, security headers and the request-size limit.

A session is a signed, timestamped cookie (itsdangerous) holding the user's id and name, a
per-session CSRF token and the random token of the server-side session (``web_sessions`` in the
registry): every request checks that session is still open and takes the user's current role
from the registry, so logout, deactivation and a password reset end it at once (a copied cookie
stops working). It is HttpOnly, SameSite=Strict and Secure (unless the app runs with ``--insecure-cookies`` for http://127.0.0.1 tests). Nothing
else is stored in it: patient data never leaves the server in a cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Default policy for every response; pages that embed the library's self-contained report
# (inline <style>, data: images) get the hashes of their style blocks added, never 'unsafe-inline'.
BASE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
            "connect-src 'self'")
_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Session:
    user_id: int | None
    username: str | None
    csrf: str
    sid: str | None = None          # the server-side session's token (registry ``web_sessions``)

    @property
    def authenticated(self) -> bool:
        return self.username is not None and self.user_id is not None and bool(self.sid)


class SessionCodec:
    def __init__(self, secret: str, max_age: int) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="her2scope-session",
                                         signer_kwargs={"digest_method": hashlib.sha256})
        self.max_age = max_age

    def dumps(self, session: Session) -> str:
        return self._s.dumps({"i": session.user_id, "u": session.username, "c": session.csrf,
                              "s": session.sid})

    def loads(self, value: str | None) -> Session | None:
        if not value:
            return None
        try:
            data: Any = self._s.loads(value, max_age=self.max_age)
        except BadSignature:   # includes SignatureExpired
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        sid = data.get("s")
        return Session(data.get("i"), data.get("u"), data["c"], sid if isinstance(sid, str) else None)


def new_session(user=None, sid: str | None = None) -> Session:
    """A fresh session (new CSRF token): anonymous, or for a registry UserInfo with the token of
    its server-side session."""
    if user is None:
        return Session(None, None, secrets.token_urlsafe(32))
    return Session(user.id, user.username, secrets.token_urlsafe(32), sid)


def csrf_ok(session: Session | None, submitted: str | None) -> bool:
    return bool(session and submitted and hmac.compare_digest(session.csrf, submitted))


def cookie_header(name: str, value: str, *, max_age: int, secure: bool) -> str:
    flags = f"{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict"
    return flags + ("; Secure" if secure else "")


def style_hashes(html: str) -> list[str]:
    return ["'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'"
            for m in _STYLE_BLOCK.finditer(html)]


def document_csp(html: str, *, framable: bool = False) -> str:
    """A CSP for a self-contained document (the library's report or cohort page): no scripts at
    all, its own style blocks by hash, data: images; optionally framable by this origin only."""
    styles = " ".join(style_hashes(html)) or "'none'"
    ancestors = "'self'" if framable else "'none'"
    return (f"default-src 'none'; style-src {styles}; img-src data:; base-uri 'none'; form-action 'none'; "
            f"frame-ancestors {ancestors}")


class SecurityHeaders:
    """Pure ASGI middleware: security headers on every response (a route may set its own CSP)."""

    def __init__(self, app, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                defaults = [
                    (b"content-security-policy", BASE_CSP.encode()),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
                    (b"cache-control", b"no-store"),
                ]
                if self.hsts:
                    defaults.append((b"strict-transport-security", b"max-age=31536000"))
                headers += [(k, v) for k, v in defaults if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_wrapper)


class BodyLimit:
    """Pure ASGI middleware: refuse request bodies over ``max_bytes`` with 413.

    A declared Content-Length over the limit is refused before anything is read; a chunked body
    is counted as it streams and the request fails with 413 as soon as it passes the limit, so
    an upload never fills the disk with more than the limit."""

    def __init__(self, app, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _too_large(self, send) -> None:
        body = b'{"detail":"request body too large"}'
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for k, v in scope.get("headers", ()):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    return await self._too_large(send)
        seen = 0
        exceeded = False
        started = False

        async def limited_receive():
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message):
            nonlocal started
            if exceeded:   # whatever the app answers after the limit tripped, the answer is 413
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            pass
        if exceeded and not started:
            await self._too_large(send)


class BodyTooLarge(Exception):
    pass
