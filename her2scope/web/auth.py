"""Who is asking: the session cookie (pages) or an API token (``Authorization: Bearer``).

Pages: no valid session -> 303 to /login. API: no valid token -> 401. Roles are the
registry's; the library refuses what a role may not do (PermissionDenied -> 403). Every
state-changing form carries the session's CSRF token (checked before anything runs).
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections import defaultdict, deque
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from .security import CSRF_FIELD, Session, csrf_ok

bearer = HTTPBearer(auto_error=False, description="An API token from the Account page "
                                                  "(or `her2scope registry` for service accounts).")


class LoginRequired(Exception):
    def __init__(self, next_path: str = "/") -> None:
        self.next_path = next_path


def state(request: Request):
    return request.app.state.h2s


def session_of(request: Request) -> Session | None:
    if "h2s_session" not in request.scope.setdefault("state", {}):
        s = state(request)
        request.state.h2s_session = s.codec.loads(request.cookies.get(s.settings.session_cookie))
    return request.state.h2s_session


def _user_from_session(request: Request, session: Session | None):
    """The user of the cookie's server-side session, as the registry has it now (open session,
    active user, current role); looked up once per request."""
    if session is None or not session.authenticated:
        return None
    cached = request.scope.setdefault("state", {}).get("h2s_user", False)
    if cached is not False:
        return cached
    user = state(request).registry.user_for_session(session.sid)
    if user is not None and user.id != session.user_id:
        user = None
    request.state.h2s_user = user
    return user


def page_user(request: Request):
    user = _user_from_session(request, session_of(request))
    if user is None:
        raise LoginRequired(request.url.path if request.method == "GET" else "/")
    return user


def optional_page_user(request: Request):
    return _user_from_session(request, session_of(request))


class TokenCache:
    """API token -> user for ``ttl`` seconds, keyed by the token's SHA-256 (the plaintext is not
    kept). Saves a database round trip per API call; a revoked token or deactivated user stops
    working within ``ttl`` seconds, and every registry call re-checks the user anyway."""

    def __init__(self, ttl: float = 10.0, capacity: int = 1024) -> None:
        self.ttl, self.capacity = ttl, capacity
        self._items: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()
        self.inflight: dict[str, object] = {}   # key -> asyncio.Future: one lookup per token at a time

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def get(self, token: str):
        key, now = self._key(token), time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1], key
        return None, key

    def clear(self) -> None:
        """Forget every cached lookup (after a revocation or deactivation in this process)."""
        with self._lock:
            self._items.clear()

    def put(self, key: str, user) -> None:
        with self._lock:
            if len(self._items) >= self.capacity:
                self._items.clear()
            self._items[key] = (time.monotonic(), user)


async def api_user(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(bearer)):
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise HTTPException(401, "an API token is required (Authorization: Bearer ...)",
                            headers={"WWW-Authenticate": "Bearer"})
    st = state(request)
    user, key = st.tokens.get(creds.credentials)
    if user is None:
        user = await _lookup_once(st, key, creds.credentials)
        if user is None:
            raise HTTPException(401, "invalid or revoked API token", headers={"WWW-Authenticate": "Bearer"})
    return user


async def _lookup_once(st, key: str, token: str):
    """One registry lookup per token at a time: when the cache entry expires under load, the
    concurrent requests with that token wait for the same lookup instead of each hitting the DB."""
    pending = st.tokens.inflight.get(key)
    if pending is not None:
        return await asyncio.shield(pending)
    future = asyncio.get_running_loop().create_future()
    st.tokens.inflight[key] = future
    try:
        user = await run_in_threadpool(st.registry.user_for_token, token)
        if user is not None:
            st.tokens.put(key, user)
        future.set_result(user)
        return user
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()   # retrieved: no "never retrieved" warning when nobody else waited
        raise
    finally:
        st.tokens.inflight.pop(key, None)


def _same_origin(request: Request) -> bool:
    """Defence in depth next to the token. A modern browser says where a request comes from in
    Sec-Fetch-Site; otherwise an Origin (when it is not "null", which browsers send for forms
    under Referrer-Policy: no-referrer) must be this host. Non-browser clients send neither."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return True
    host = request.headers.get("x-forwarded-host") or request.headers.get("host")
    return urlsplit(origin).netloc == host


async def csrf_protect(request: Request) -> None:
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not csrf_ok(session_of(request), submitted if isinstance(submitted, str) else None) \
            or not _same_origin(request):
        raise HTTPException(403, "CSRF check failed: reload the page and submit the form again")


def safe_next(path: str | None) -> str:
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


class LoginThrottle:
    """At most ``limit`` failed logins per user name (and per client address) in ``window`` s."""

    def __init__(self, limit: int = 10, window: float = 900.0) -> None:
        self.limit, self.window = limit, window
        self._fails: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails[key]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)

    def succeeded(self, user_key: str) -> None:
        """A successful login clears that user name's failures only: the address's count stays,
        so one user's success does not reset the failures of another user from the same place."""
        with self._lock:
            self._fails.pop(user_key, None)
