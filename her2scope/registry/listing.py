"""Pieces shared by the server-side paginated lists (patients and worklists): the search
pattern, page bounds and the sort order, all as SQL with bound parameters."""

from __future__ import annotations

from sqlalchemy import case, func

MAX_PER_PAGE = 500


def page_args(page: int, per_page: int) -> tuple[int, int]:
    return max(1, int(page)), max(1, min(int(per_page), MAX_PER_PAGE))


def like_pattern(text: str) -> str:
    """``text`` as a LIKE 'contains' pattern with its own % and _ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def contains(column, q: str):
    """Case-insensitive 'column contains q' (pseudonyms are ASCII, so lower() agrees on every
    database); None when there is nothing to search for."""
    q = (q or "").strip()
    return func.lower(column).like(like_pattern(q.lower()), escape="\\") if q else None


def unknown_last_order(key, key_descending: bool, ties: list, ties_descending: bool) -> list:
    """ORDER BY ``key`` with NULL keys last in both directions (NULL ordering differs between
    SQLite and PostgreSQL, so it is spelled out), then the ``ties``. A descending list is the
    ascending one reversed for the rows with a key, and the rows without one stay last in
    ascending tie order."""
    order = [case((key.is_(None), 1), else_=0), key.desc() if key_descending else key.asc()]
    if ties_descending:
        order += [case((key.is_not(None), t)).desc() for t in ties]
    return order + [t.asc() for t in ties]
