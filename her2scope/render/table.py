"""``--format table``: a compact view for people, one block per input, errors after the tables.

The table never wraps a cell: every column gets a fixed width that fits the terminal (100 columns
when the output is not a terminal and ``COLUMNS`` is unset) and a longer value is cut with an
ellipsis. The full detail of every field stays in ``--format jsonl`` / ``tsv``, whose contract this
module does not touch. Input names are shown exactly as the user gave them, never expanded; a
record error's message loses the repeated ``INPUT: `` prefixes because the input is named already.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from ..readers.base import RecordError
from ..vocabulary import Oncogenicity as O
from ..vocabulary import VariantStatus
from .records import TSV_KEYS, as_dict

DEFAULT_WIDTH = 100        # when the output is a file or a pipe
GAP = "  "                 # between columns


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: its header, the narrowest it may become, and how a value is shown."""

    key: str
    header: str
    floor: int                                  # shrink no further before other columns give way
    show: Callable[[dict], str]


def _plain(key: str) -> Callable[[dict], str]:
    def show(d: dict) -> str:
        value = d.get(key)
        if value is None or value == [] or value == "":
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        if isinstance(value, float):
            return f"{value:g}"
        return " ".join(str(value).split())        # one line, whatever the value held
    return show


def _hgvs_c(d: dict) -> str:
    value = d.get("hgvs_c")
    return value.split(":", 1)[1] if value else "-"    # the transcript (NM_004448.4) is in the legend


def _protein(d: dict) -> str:
    if d.get("status") == VariantStatus.not_interpreted:
        return d.get("alt") or "-"                     # a symbolic allele such as <DEL>
    return d.get("protein_change") or "-"


_SHORT_TERMS = {"inframe_insertion": "inframe_ins", "inframe_deletion": "inframe_del"}


def _consequence(d: dict) -> str:
    """Sequence Ontology terms without the "_variant" every term ends in, most severe first."""
    value = d.get("consequence")
    if not value:
        return "-"
    terms = (term.removesuffix("_variant") for term in value.split("&"))
    return "&".join(_SHORT_TERMS.get(t, t) for t in terms)


# Short names the HER2 literature uses; the legend under the table spells them out.
CLASS_LABELS = {
    "exon20_insertion_yvma": "ex20ins YVMA", "exon20_insertion_other": "ex20ins other",
    "kinase_domain_missense": "TKD missense", "kinase_domain_inframe_deletion": "TKD inframe del",
    "extracellular_missense": "ECD missense", "transmembrane_juxtamembrane_missense": "TM/JM missense",
}
# Keyed by the members, looked up with the plain text of a record (a StrEnum hashes as its text).
ONCOGENICITY_LABELS: dict[str, str] = {O.uncertain_significance: "VUS", O.likely_oncogenic: "likely oncogenic",
                                       O.likely_benign: "likely benign"}
ONCOGENICITY_STYLES: dict[str, str] = {O.oncogenic: "bold red", O.likely_oncogenic: "red",
                                       O.uncertain_significance: "yellow", O.likely_benign: "green",
                                       O.benign: "green"}
LEGEND = {
    "hgvs_c": "c. on NM_004448.4",
    "alteration_class": "ex20ins = exon 20 insertion, TKD = tyrosine kinase domain, ECD = extracellular "
                        "domain, TM/JM = transmembrane/juxtamembrane",
    "oncogenicity": "VUS = uncertain significance",
    "oncogenicity_rule": "rule: curated = a curated entry for this change, VICC n = ClinGen/CGC/VICC points, "
                         "class rule = a cited rule for this class of change, none = no evidence",
}


def _class(d: dict) -> str:
    value = d.get("alteration_class")
    return CLASS_LABELS.get(value, value) if value else "-"


def _oncogenicity(d: dict) -> str:
    if d.get("status") == VariantStatus.not_interpreted:
        return "not interpreted"
    value = d.get("oncogenicity")
    return ONCOGENICITY_LABELS.get(value, value) if value else "-"


def _rule(d: dict) -> str:
    value = d.get("oncogenicity_rule")
    if not value:
        return "-"
    if value.startswith("curated_variant:"):
        return "curated"
    if value.startswith("class_rule:"):
        return "class rule"           # which one: oncogenicity_rule in jsonl/tsv, or --columns oncogenicity_rule
    if value.startswith("vicc_points:"):
        return "VICC " + value.split(":", 1)[1]
    return {"no_evidence": "none"}.get(value, value.replace("_", " "))


def _evidence(d: dict) -> str:
    """Codes and citations only: the statements are in the jsonl/tsv output."""
    return "; ".join(f"{e.get('code') or 'class'}: {', '.join(e['citations'])}" for e in d.get("evidence") or ())


_SPECIAL = {
    "input": Column("input", "file", 10, _plain("input")),
    "record": Column("record", "record", 6, _plain("record")),
    # Floors: the default set fits 100 columns at these widths (12+14+17+8+13+16+7 + 6 gaps of 2 = 99),
    # so sample ids, protein changes, c. names and the oncogenicity are cut only on narrower terminals.
    "sample": Column("sample", "sample", 12, _plain("sample")),
    "protein_change": Column("protein_change", "protein", 14, _protein),
    "hgvs_c": Column("hgvs_c", "HGVS c.", 17, _hgvs_c),
    "consequence": Column("consequence", "consequence", 8, _consequence),
    "alteration_class": Column("alteration_class", "class", 13, _class),
    "oncogenicity": Column("oncogenicity", "oncogenicity", 16, _oncogenicity),
    "oncogenicity_rule": Column("oncogenicity_rule", "rule", 7, _rule),
    "evidence": Column("evidence", "evidence", 10, _evidence),
}
# Every field of a variant line can be a column (the error fields go to the errors section).
COLUMN_NAMES: tuple[str, ...] = tuple(k for k in TSV_KEYS if k not in ("error", "message"))
DEFAULT_COLUMNS: tuple[str, ...] = ("sample", "protein_change", "hgvs_c", "consequence", "alteration_class",
                                    "oncogenicity", "oncogenicity_rule")


class ColumnsError(ValueError):
    """``--columns`` named a field that does not exist."""


def parse_columns(text: str | None) -> tuple[str, ...]:
    """``--columns``: comma-separated field names; ``default`` stands for the compact set."""
    if text is None or not text.strip():
        return DEFAULT_COLUMNS
    names: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        expanded = DEFAULT_COLUMNS if part == "default" else (part,)
        for name in expanded:
            if name not in COLUMN_NAMES:
                raise ColumnsError(f"unknown column {name!r}; choose from default, {', '.join(COLUMN_NAMES)}")
            if name not in names:
                names.append(name)
    return tuple(names)


def column(key: str) -> Column:
    return _SPECIAL.get(key) or Column(key, key, min(len(key), 8), _plain(key))


def fit_widths(natural: Sequence[int], floors: Sequence[int], available: int) -> list[int]:
    """Column widths that sum to at most ``available``: the column with the most room above its
    floor gives up a character first; below the floors every column shrinks evenly (never < 1)."""
    widths = list(natural)
    while sum(widths) > available:
        slack = [w - f for w, f in zip(widths, floors)]
        i = max(range(len(widths)), key=lambda k: slack[k])
        if slack[i] <= 0:
            break
        widths[i] -= 1
    while sum(widths) > available and max(widths) > 1:
        i = max(range(len(widths)), key=lambda k: widths[k])
        widths[i] -= 1
    return widths


def output_width(out: IO[str]) -> int:
    """The terminal's width; for a file or a pipe ``COLUMNS`` if set, else 100."""
    isatty = getattr(out, "isatty", lambda: False)
    if isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    try:
        return max(int(os.environ.get("COLUMNS", "")), 20)
    except ValueError:
        return DEFAULT_WIDTH


def clean_message(error: dict, shown_as: str) -> str:
    """The message on one line, without the ``INPUT: `` prefixes (the input is named already) and
    with the input spelled as shown; a message that names the input only in passing keeps it."""
    message = " ".join(str(error.get("message") or "").split())
    given = error.get("input") or ""
    if given:
        message = message.replace(f"{given}: ", "").replace(given, shown_as)
    return message


def write_table(items: Iterable, out: IO[str], *, columns: Sequence[str] = DEFAULT_COLUMNS,
                width: int | None = None, names: dict[str, str] | None = None) -> None:
    """Print ``items`` (results and record errors, in input order) for a person to read.

    ``names`` maps an input to the name to show (the demo shows its bundled files by file name);
    any other input is shown exactly as given."""
    from rich.console import Console  # lazy: start-up (rich loads only when a table is printed)
    from rich.text import Text  # lazy: as Console

    width = width or output_width(out)
    names = names or {}
    console = Console(file=out, width=width, highlight=False, soft_wrap=False,
                      force_terminal=None if getattr(out, "isatty", lambda: False)() else False)
    groups: dict[str, list[dict]] = {}
    errors: list[dict] = []
    for item in items:
        d = as_dict(item)
        groups.setdefault(d["input"], [])
        (errors if isinstance(item, RecordError) else groups[d["input"]]).append(d)
    shown = [inp for inp, ds in groups.items() if ds]
    for inp in shown:
        _print_group(console, names.get(inp, inp), groups[inp], columns, width)
    if not shown:
        console.print("No ERBB2 variant found." if not errors else "No ERBB2 variant could be reported.")
        console.print()
    legend = [LEGEND[k] for k in columns if k in LEGEND]
    if shown and legend:
        console.print(Text("; ".join(legend) + ". Every field: --format jsonl or tsv.", style="dim"),
                      soft_wrap=False)
    if errors:
        _print_errors(console, errors, names, width)


def _print_group(console, title: str, ds: list[dict], columns: Sequence[str], width: int) -> None:
    """One input's variants: a title line, the header, a rule and a row per variant."""
    from rich.text import Text  # lazy: as in write_table

    cols = [column(k) for k in columns]
    rows = [[c.show(d) for c in cols] for d in ds]
    natural = [max([len(c.header)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]
    widths = fit_widths(natural, [min(c.floor, n) for c, n in zip(cols, natural)],
                        width - len(GAP) * (len(cols) - 1))
    count = f"{len(ds)} variant{'s' if len(ds) != 1 else ''}"
    console.print(Text(f"{title}  ({count})", style="bold", no_wrap=True, overflow="ellipsis"))
    console.print(_line([c.header for c in cols], widths, ["bold"] * len(cols)))
    console.print(_line(["─" * w for w in widths], widths))
    onc = columns.index("oncogenicity") if "oncogenicity" in columns else None
    for d, cells in zip(ds, rows):
        styles: list[str | None] = [None] * len(cols)
        if onc is not None:
            styles[onc] = ONCOGENICITY_STYLES.get(d.get("oncogenicity") or "")
        console.print(_line(cells, widths, styles))
    console.print()


def _line(cells: Sequence[str], widths: Sequence[int], styles: Sequence[str | None] = ()):
    """One table line: each cell cut to its width with an ellipsis, never wrapped."""
    from rich.text import Text  # lazy: as in write_table

    text = Text(no_wrap=True, overflow="ellipsis")
    for i, (cell, w) in enumerate(zip(cells, widths)):
        piece = Text(cell, style=(styles[i] if i < len(styles) else None) or "")
        piece.truncate(w, overflow="ellipsis", pad=i < len(cells) - 1)
        text.append_text(piece)
        if i < len(cells) - 1:
            text.append(GAP)
    text.rstrip()
    return text


def _print_errors(console, errors: list[dict], names: dict[str, str], width: int) -> None:
    from rich.text import Text  # lazy: start-up (rich loads only when a table is printed)

    console.print()
    console.print(Text(f"Errors ({len(errors)})", style="bold"))
    for e in errors:
        shown = names.get(e["input"], e["input"])
        where = f"record {e['record']}" if e.get("record") is not None else "whole file"
        head = Text(f"  {shown}, {where}: ", no_wrap=True, overflow="ellipsis")
        head.append(str(e.get("error")), style="bold magenta")
        console.print(head)
        body = textwrap.fill(clean_message(e, shown), width=max(width - 4, 20), initial_indent="    ",
                             subsequent_indent="    ", break_on_hyphens=False, break_long_words=True)
        console.print(Text(body), soft_wrap=True)


__all__ = ["COLUMN_NAMES", "DEFAULT_COLUMNS", "ColumnsError", "clean_message", "fit_widths", "parse_columns",
           "write_table"]
