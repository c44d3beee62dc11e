"""Which files a sweep reads: a folder walked recursively, or a manifest listing them."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import MalformedRecordError
from ..readers.manifest import read_manifest

# Names a folder walk picks up (case-insensitive). Anything else (indexes, BAMs, reports) is
# counted as skipped; a manifest may name any file, which is then read by content.
SUFFIXES = (".vcf", ".vcf.gz", ".vcf.bgz", ".bcf", ".maf", ".maf.gz", ".maf.txt", ".maf.tsv")


@dataclass(frozen=True, slots=True)
class SweepInput:
    path: str        # what is opened, and the ``input`` field of every row (as annotate prints it)
    file: str        # relative to the swept folder, or as written in the manifest
    size: int | None  # None: missing (reported as a failed file, never silently dropped)


def discover(source: str, *, exclude: str | None = None) -> tuple[list[SweepInput], int]:
    """The inputs under ``source`` (sorted by relative path), or listed in it when it is a file,
    and the number of files a folder walk skipped by name. ``exclude``: a folder never entered
    (the sweep's own output folder when it lies inside the archive)."""
    if os.path.isdir(source):
        return _walk(source, exclude)
    if os.path.isfile(source):
        return [_input(path, name) for path, name in read_manifest(source)], 0
    raise MalformedRecordError(f"{source}: no such folder or manifest file")


def _walk(root: str, exclude: str | None) -> tuple[list[SweepInput], int]:
    found: list[SweepInput] = []
    skipped = 0
    skip_dir = os.path.realpath(exclude) if exclude else None
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.realpath(os.path.join(folder, d)) != skip_dir)
        for name in files:
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            if name.lower().endswith(SUFFIXES):
                found.append(_input(path, os.path.relpath(path, root)))
            else:
                skipped += 1
    found.sort(key=lambda s: s.file)
    return found, skipped


def _input(path: str, name: str) -> SweepInput:
    try:
        size = os.path.getsize(path)
    except OSError:
        size = None
    return SweepInput(path, name, size)
