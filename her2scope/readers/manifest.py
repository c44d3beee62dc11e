"""A sweep manifest: a text file naming one input file per line.

Blank lines and lines starting with ``#`` are skipped; a TSV/CSV line is cut at its first tab or
comma (so a manifest exported with a second column, e.g. a sample or run ID, can be used as is);
a relative path is taken relative to the manifest's own folder. A header line ``path`` is skipped.
A header that also names a ``patient`` column (and optionally ``sample``, ``sample_type``,
``genes_covered``) ties files and samples to registry patients for ``sweep --registry``
(``read_manifest_links``).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass

from ..errors import MalformedRecordError


def read_manifest(manifest: str) -> list[tuple[str, str]]:
    """(path to open, path as written in the manifest) per listed file, in manifest order."""
    try:
        with open(manifest, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedRecordError(f"{manifest}: cannot be read as a manifest: {exc}") from exc
    base = os.path.dirname(manifest)
    out: list[tuple[str, str]] = []
    for number, line in enumerate(lines, 1):
        text = line.split("\t", 1)[0].split(",", 1)[0].strip()
        if not text or text.startswith("#") or (number == 1 and text.lower() == "path"):
            continue
        if "\0" in text:
            raise MalformedRecordError(f"{manifest} line {number}: not a file path")
        out.append((text if os.path.isabs(text) else os.path.join(base, text), text))
    return out


# Column names a manifest may use to tie a listed file (and one of its samples) to a registry
# patient (``her2scope sweep --registry``; docs/sweep.md). Only read when the header names them.
PATIENT_COLUMNS = ("patient", "patient_id")
SAMPLE_COLUMNS = ("sample", "sample_id")
SAMPLE_TYPE_COLUMNS = ("sample_type",)
GENES_COVERED_COLUMNS = ("genes_covered",)


@dataclass(frozen=True, slots=True)
class ManifestLink:
    """One manifest line's claim: the file (as written), its patient, optionally which sample
    of the file, whether it is tissue or plasma and the assay's genes (as written:
    ';'-separated symbols; checked by the registry step)."""

    file: str
    line: int
    patient: str | None
    sample: str | None
    sample_type: str | None
    genes_covered: str | None = None


def read_manifest_links(manifest: str) -> tuple[ManifestLink, ...] | None:
    """The patient links of a manifest whose first line is a header naming ``path`` and a
    ``patient`` (or ``patient_id``) column, tab- or comma-separated; None when it has no such
    header (a plain list of paths). Empty cells are None; the other columns are ignored."""
    try:
        with open(manifest, encoding="utf-8", newline="") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedRecordError(f"{manifest}: cannot be read as a manifest: {exc}") from exc
    if not lines:
        return None
    delimiter = "\t" if "\t" in lines[0] else ","
    header = [h.strip().lower() for h in next(csv.reader([lines[0]], delimiter=delimiter))]
    where = {name: _column(header, names) for name, names in
             (("patient", PATIENT_COLUMNS), ("sample", SAMPLE_COLUMNS), ("sample_type", SAMPLE_TYPE_COLUMNS),
              ("genes_covered", GENES_COVERED_COLUMNS))}
    if not header or header[0] != "path" or where["patient"] is None:
        return None
    links = []
    for number, cells in enumerate(csv.reader(lines[1:], delimiter=delimiter), 2):
        if not cells or not cells[0].strip() or cells[0].strip().startswith("#"):
            continue
        links.append(ManifestLink(cells[0].strip(), number, *(_cell(cells, where[k]) for k in where)))
    return tuple(links)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(header) if h in names), None)


def _cell(cells: list[str], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    return cells[index].strip() or None
