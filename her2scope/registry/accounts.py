"""People, sessions and API tokens (a mixin of ``Registry``).

- Web sessions live in the database (``web_sessions``): the browser's cookie carries a random
  token whose SHA-256 is looked up on every request, so logout, deactivation and a password
  reset end a session at once - a copied cookie stops working.
- API tokens are named, expire (default 90 days, at most 365), can be listed and revoked.
- Administrators list users, create, deactivate / reactivate them and reset passwords;
  everybody can change their own password (the current one is asked for).
Every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func, select, update

from .audit import append_audit
from .auth import MIN_PASSWORD_LENGTH, hash_password, new_token, token_digest, verify_password
from .dto import TokenInfo, UserAccount, UserInfo
from .base import RegistryBase
from .models import ApiToken, User, WebSession, utcnow
from .roles import Action, NotFound, PermissionDenied, RegistryError, Role

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365
SYSTEM = "system"
_TOUCH_EVERY = dt.timedelta(minutes=1)      # last_used_at is written at most this often per token


def check_password(password: str | None) -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RegistryError(f"password too short: at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise RegistryError("password too long: at most 1024 characters")
    return password


def _end_sessions(s, user_id: int, reason: str, *, keep: str | None = None) -> int:
    q = update(WebSession).where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
    if keep:
        q = q.where(WebSession.token_sha256 != token_digest(keep))
    return s.execute(q.values(ended_at=utcnow(), end_reason=reason)).rowcount or 0


class AccountsMixin(RegistryBase):
    """Uses ``_tx()`` and ``_actor(s, actor, action)`` of ``RegistryBase``."""

    # ---- sessions --------------------------------------------------------------------------
    def start_session(self, user: UserInfo, seconds: int) -> str:
        """A new web session for a user who has just authenticated; returns the cookie token."""
        token = secrets.token_urlsafe(32)
        with self._tx() as s:
            self._actor(s, user, Action.read)
            now = utcnow()
            s.add(WebSession(user_id=user.id, token_sha256=token_digest(token), created_at=now,
                             expires_at=now + dt.timedelta(seconds=seconds)))
        return token

    def user_for_session(self, token: str | None) -> UserInfo | None:
        """The user of an open, unexpired session whose user is active (role as stored now)."""
        if not token:
            return None
        with self._tx() as s:
            row = s.execute(select(User, WebSession.expires_at).join(WebSession, WebSession.user_id == User.id)
                            .where(WebSession.token_sha256 == token_digest(token),
                                   WebSession.ended_at.is_(None))).one_or_none()
            if row is None or not row[0].active or row[1] <= utcnow():
                return None
            return UserInfo(row[0].id, row[0].username, Role(row[0].role))

    def end_session(self, token: str | None, reason: str = "logout") -> None:
        if not token:
            return
        with self._tx() as s:
            sess = s.scalar(select(WebSession).where(WebSession.token_sha256 == token_digest(token)))
            if sess is not None and sess.ended_at is None:
                sess.ended_at, sess.end_reason = utcnow(), reason
                user = s.get(User, sess.user_id)
                append_audit(s, user.username if user else SYSTEM, reason, None, "web session ended")

    # ---- API tokens ------------------------------------------------------------------------
    def issue_api_token(self, username: str, *, actor: UserInfo | None = None, name: str = "",
                        expires_days: int | None = DEFAULT_TOKEN_DAYS) -> str:
        """A new API token for ``username``; the plaintext is returned once, only its SHA-256
        is kept. ``actor`` (when given) must be that user or an admin. ``expires_days``: 1-365
        (None only for local administrative calls without an actor: service accounts)."""
        if expires_days is None and actor is not None:
            expires_days = DEFAULT_TOKEN_DAYS
        if expires_days is not None and not 1 <= int(expires_days) <= MAX_TOKEN_DAYS:
            raise RegistryError(f"expires_days must be 1-{MAX_TOKEN_DAYS}")
        name = " ".join((name or "").split())[:100]
        with self._tx() as s:
            if actor is not None and actor.username != username:
                self._actor(s, actor, Action.manage_users)
            elif actor is not None:
                self._actor(s, actor, Action.read)
            user = s.scalar(select(User).where(User.username == username))
            if user is None or not user.active:
                raise NotFound(f"no active user {username!r}")
            token = new_token()
            now = utcnow()
            s.add(ApiToken(user_id=user.id, token_sha256=token_digest(token), created_at=now, name=name,
                           expires_at=now + dt.timedelta(days=int(expires_days)) if expires_days else None))
            append_audit(s, actor.username if actor else SYSTEM, "issue_api_token", None,
                         f"{username}: {name or '(unnamed)'}, "
                         + (f"expires in {expires_days} days" if expires_days else "no expiry"))
            return token

    def user_for_token(self, token: str) -> UserInfo | None:
        if not token:
            return None
        with self._tx() as s:
            row = s.execute(select(User, ApiToken).join(ApiToken, ApiToken.user_id == User.id)
                            .where(ApiToken.token_sha256 == token_digest(token))).one_or_none()
            if row is None:
                return None
            user, tok = row
            now = utcnow()
            if not user.active or tok.revoked_at is not None or (tok.expires_at is not None and tok.expires_at <= now):
                return None
            if tok.last_used_at is None or now - tok.last_used_at > _TOUCH_EVERY:
                tok.last_used_at = now
            return UserInfo(user.id, user.username, Role(user.role))

    def list_api_tokens(self, actor: UserInfo, *, username: str | None = None,
                        everyone: bool = False) -> list[TokenInfo]:
        """The actor's own tokens; an admin may ask for another user's or ``everyone``'s."""
        with self._tx() as s:
            me = self._actor(s, actor, Action.read)
            if everyone or (username and username != me.username):
                self._actor(s, actor, Action.manage_users)
            q = (select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
                 .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
            if not everyone:
                q = q.where(User.username == (username or me.username))
            return [TokenInfo(t.id, name, t.name, t.created_at, t.expires_at, t.revoked_at, t.last_used_at)
                    for t, name in s.execute(q)]

    def revoke_api_token(self, token_id: int, actor: UserInfo) -> TokenInfo:
        """Revoke one token (the actor's own, or anyone's for an admin). Revoking twice is harmless."""
        with self._tx() as s:
            me = self._actor(s, actor, Action.read)
            tok = s.get(ApiToken, int(token_id))
            owner = s.get(User, tok.user_id) if tok is not None else None
            if tok is None or owner is None:
                raise NotFound(f"no API token {token_id}")
            if owner.id != me.id:
                self._actor(s, actor, Action.manage_users)
            if tok.revoked_at is None:
                tok.revoked_at, tok.revoked_by = utcnow(), me.username
                append_audit(s, me.username, "revoke_api_token", None, f"{owner.username}: token {tok.id} "
                             f"{tok.name or '(unnamed)'}")
            return TokenInfo(tok.id, owner.username, tok.name, tok.created_at, tok.expires_at, tok.revoked_at,
                             tok.last_used_at)

    # ---- users -----------------------------------------------------------------------------
    def list_users(self, actor: UserInfo) -> list[UserAccount]:
        with self._tx() as s:
            me = self._actor(s, actor, Action.manage_users)
            now = utcnow()
            sessions = dict(s.execute(select(WebSession.user_id, func.count()).where(
                WebSession.ended_at.is_(None), WebSession.expires_at > now).group_by(WebSession.user_id)).all())
            tokens = dict(s.execute(select(ApiToken.user_id, func.count()).where(
                ApiToken.revoked_at.is_(None), (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now))
                .group_by(ApiToken.user_id)).all())
            out = [UserAccount(u.id, u.username, Role(u.role), bool(u.active), u.created_at, u.last_login_at,
                               u.password_changed_at, sessions.get(u.id, 0), tokens.get(u.id, 0))
                   for u in s.scalars(select(User).order_by(User.username))]
            append_audit(s, me.username, "list_users", None, f"{len(out)} users")
            return out

    def _target(self, s, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"no user {username!r}")
        return user

    def set_user_active(self, username: str, active: bool, *, actor: UserInfo | None = None) -> None:
        """Deactivate (or reactivate) a user. Deactivation ends the user's web sessions at once
        and stops their API tokens; the last active admin cannot be deactivated."""
        with self._tx() as s:
            by = self._actor(s, actor, Action.manage_users).username if actor is not None else SYSTEM
            user = self._target(s, username)
            if not active and user.role == Role.admin.value and user.active:
                admins = s.execute(select(func.count()).select_from(User).where(
                    User.role == Role.admin.value, User.active.is_(True))).scalar_one()
                if admins <= 1:
                    raise RegistryError(f"{username} is the last active admin: make another admin first")
            if bool(user.active) == bool(active):
                return
            user.active = bool(active)
            user.deactivated_at = None if active else utcnow()
            ended = 0 if active else _end_sessions(s, user.id, "deactivated")
            append_audit(s, by, "activate_user" if active else "deactivate_user", None,
                         username + ("" if active else f" ({ended} session(s) ended)"))

    def reset_password(self, username: str, new_password: str, *, actor: UserInfo | None = None) -> None:
        """An administrator sets a new password (or a local administrative call); every open
        web session of that user ends."""
        check_password(new_password)
        with self._tx() as s:
            by = self._actor(s, actor, Action.manage_users).username if actor is not None else SYSTEM
            user = self._target(s, username)
            user.password_hash, user.password_changed_at = hash_password(new_password), utcnow()
            ended = _end_sessions(s, user.id, "password_reset")
            append_audit(s, by, "reset_password", None, f"{username} ({ended} session(s) ended)")

    def change_password(self, actor: UserInfo, current: str, new_password: str, *,
                        keep_session: str | None = None) -> None:
        """The user changes their own password (the current one is checked); their other web
        sessions end, the one given as ``keep_session`` stays open."""
        check_password(new_password)
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            if not verify_password(current or "", user.password_hash):
                raise PermissionDenied("the current password is not right")
            if verify_password(new_password, user.password_hash):
                raise RegistryError("the new password is the same as the current one")
            user.password_hash, user.password_changed_at = hash_password(new_password), utcnow()
            ended = _end_sessions(s, user.id, "password_changed", keep=keep_session)
            append_audit(s, user.username, "change_password", None, f"{ended} other session(s) ended")
