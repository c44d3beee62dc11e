"""Write results and record errors as JSON lines or TSV (the table for people: ``table.py``)."""

from __future__ import annotations

import json
from typing import IO

from ..readers.base import RecordError
from ..result import CONTRACT_KEYS, ERROR_KEYS, EXTRA_KEYS, VariantResult

TSV_KEYS = CONTRACT_KEYS + EXTRA_KEYS + ("error", "message")


def as_dict(item: VariantResult | RecordError) -> dict:
    if isinstance(item, RecordError):
        return {k: getattr(item, k) for k in ERROR_KEYS}
    return item.as_dict()


# Characters that many line readers (Python's str.splitlines, JavaScript) take as line breaks
# although JSON allows them raw inside strings: escaped, so one record stays one line.
_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


# In a TSV cell every other line-breaking character becomes a space (a cell never ends a row).
_CELL_BREAKS = {c: " " for c in (0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)}


# What json.dumps(..., ensure_ascii=False) builds on every call, built once.
_JSON = json.JSONEncoder(ensure_ascii=False)


def write_jsonl(items, out: IO[str]) -> None:
    for item in items:
        line = _JSON.encode(as_dict(item))
        if not line.isascii():       # the break characters are not ASCII: most lines skip translate
            line = line.translate(_LINE_BREAKS)
        out.write(line + "\n")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\t", " ").replace("\n", " | ").translate(_CELL_BREAKS)


def write_tsv(items, out: IO[str]) -> None:
    out.write("\t".join(TSV_KEYS) + "\n")
    for item in items:
        d = as_dict(item)
        out.write("\t".join(_cell(d.get(k)) for k in TSV_KEYS) + "\n")
