"""A sweep manifest: a text file naming one input file per line.

Blank lines and lines starting with ``#`` are skipped; a TSV/CSV line is cut at its first tab or
comma (so a manifest exported with a second column, e.g. a sample or run ID, can be used as is);
a relative path is taken relative to the manifest's own folder. A header line ``path`` is skipped.
"""

from __future__ import annotations

import os

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
