"""Positions on the coding DNA reference (``c.``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import MalformedRecordError


@dataclass(frozen=True, slots=True)
class CPos:
    """A ``c.`` position: ``base`` counts from the A of ATG (negative in the 5' UTR);
    ``utr3`` means ``base`` counts after the stop codon (``c.*12``); ``offset`` is the
    intronic distance from that exonic base (``c.2307+1``, ``c.2308-2``)."""

    base: int
    offset: int = 0
    utr3: bool = False

    def __str__(self) -> str:
        text = f"*{self.base}" if self.utr3 else str(self.base)
        if self.offset > 0:
            text += f"+{self.offset}"
        elif self.offset < 0:
            text += str(self.offset)
        return text

    @property
    def is_intronic(self) -> bool:
        return self.offset != 0


_CPOS = re.compile(r"^(?P<star>\*)?(?P<base>-?\d+)(?P<off>[+-]\d+)?$")


def parse_cpos(text: str) -> CPos:
    m = _CPOS.match(text)
    if m and len(m["base"].lstrip("-")) + len(m["off"] or "") > 12:
        raise MalformedRecordError(f"not a c. position: {text[:40]!r}... (a number too long to be one)")
    if not m or (m["star"] and m["base"].startswith("-")) or m["base"] in ("0", "-0"):
        raise MalformedRecordError(f"not a c. position: {text!r}")
    return CPos(int(m["base"]), int(m["off"] or 0), bool(m["star"]))
