"""Positions on the coding DNA reference (``c.``)."""

from __future__ import annotations

import re

from ..errors import MalformedRecordError
from ..genome.transcript import CPos  # the value type lives with the transcript model

__all__ = ["CPos", "parse_cpos"]

_CPOS = re.compile(r"^(?P<star>\*)?(?P<base>-?\d+)(?P<off>[+-]\d+)?$")


def parse_cpos(text: str) -> CPos:
    m = _CPOS.match(text)
    if m and len(m["base"].lstrip("-")) + len(m["off"] or "") > 12:
        raise MalformedRecordError(f"not a c. position: {text[:40]!r}... (a number too long to be one)")
    if not m or (m["star"] and m["base"].startswith("-")) or m["base"] in ("0", "-0"):
        raise MalformedRecordError(f"not a c. position: {text!r}")
    return CPos(int(m["base"]), int(m["off"] or 0), bool(m["star"]))
