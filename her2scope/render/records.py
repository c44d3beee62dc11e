"""Write results and record errors as JSON lines, TSV, or a rich table."""

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


def write_jsonl(items, out: IO[str]) -> None:
    for item in items:
        out.write(json.dumps(as_dict(item), ensure_ascii=False).translate(_LINE_BREAKS) + "\n")


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


_TABLE_COLUMNS = CONTRACT_KEYS


def write_table(items, out: IO[str]) -> None:
    """A readable table: the main columns, then every remaining field per row beneath it."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=None if out.isatty() else 240)
    table = Table(show_lines=True)
    for col in _TABLE_COLUMNS:
        table.add_column(col, overflow="fold")
    colours = {"oncogenic": "bold red", "likely_oncogenic": "red", "uncertain_significance": "yellow",
               "likely_benign": "green", "benign": "green"}
    for item in items:
        d = as_dict(item)
        if isinstance(item, RecordError):
            cells = [""] * len(_TABLE_COLUMNS)
            cells[0], cells[1] = d["input"], _cell(d["record"])
            cells[_TABLE_COLUMNS.index("hgvs_c")] = f"[bold magenta]{d['error']}[/]"
            cells[_TABLE_COLUMNS.index("hgvs_p")] = d["message"]
            table.add_row(*cells)
            continue
        # Codes and citations only: the full statements are in the jsonl/tsv output.
        ev = "; ".join(f"{e.get('code') or 'class'}: {', '.join(e['citations'])}" for e in d["evidence"])
        row = [ev if c == "evidence" else _cell(d[c]) for c in _TABLE_COLUMNS]
        onc = d["oncogenicity"]
        if onc in colours:
            row[_TABLE_COLUMNS.index("oncogenicity")] = f"[{colours[onc]}]{onc}[/]"
        table.add_row(*row)
    console.print(table)
