"""What every part of the ``Registry`` stands on: the engine, the options, one transaction per
call (``_tx``) and the acting user checked against the database (``_actor``). The account and
patient mixins inherit it, so what they use from ``Registry`` is declared (and type-checked)
here rather than assumed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..pipeline import Options
from . import worklists as _worklists
from .dto import UserInfo
from .models import User
from .roles import Action, PermissionDenied, RegistryError, Role, require


class RegistryBase:
    def __init__(self, engine: Engine, options: Options = Options()) -> None:
        self.engine = engine
        self.options = options
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions() as s, s.begin():
            yield s

    def _actor(self, s: Session, actor: UserInfo | None, action: Action) -> User:
        """The acting user as stored now (role, active); anonymous access does not exist."""
        if not isinstance(actor, UserInfo):
            raise PermissionDenied("no authenticated user: anonymous access is not allowed")
        user = s.get(User, actor.id)
        if user is None or not user.active or user.username != actor.username:
            raise PermissionDenied(f"{actor.username}: unknown or inactive user")
        require(Role(user.role), action, user.username)
        return user

    @staticmethod
    def _worklist_args(today: dt.date | None, pending_days: int,
                       names: tuple[str, ...] | None) -> tuple[dt.date, tuple[str, ...]]:
        if pending_days < 0:
            raise RegistryError("pending_days must be >= 0")
        wanted = names or _worklists.NAMES
        unknown = [n for n in wanted if n not in _worklists.NAMES]
        if unknown:
            raise RegistryError(f"unknown worklist(s) {', '.join(unknown)}; known: {', '.join(_worklists.NAMES)}")
        return today or dt.date.today(), tuple(wanted)
