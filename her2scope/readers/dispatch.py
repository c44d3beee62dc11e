"""Pick the reader for an input by its content (not its file name)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator

from ..errors import CorruptFileError, InputError, MalformedRecordError
from ..genome.builds import Build
from ..variant import Observation
from .base import FileSummary, RecordError, read_until_damage, text_lines
from .compressed import decompression_errors, open_bytes
from .detect import InputFormat, detect_format
from .hgvs_lines import read_hgvs_lines
from .maf import read_maf
from .vcf import read_vcf

_INLINE = re.compile(r"^(?:[A-Za-z0-9_.]+[: ]\s*)?[cgp]\.|^[A-Z][a-z]{0,2}\d+[A-Z*]")


def looks_like_hgvs(text: str) -> bool:
    """Whether an input that is not a file is read as an inline HGVS expression."""
    return bool(_INLINE.match(text.strip()))


class FileNotFound(InputError):
    code = "file_not_found"


def read_input(path: str, build: Build | None, summary: FileSummary) -> Iterator[Observation | RecordError]:
    """A file, or, when no file of that name exists and the text looks like HGVS, an inline
    expression (the command line's rule for an argument that may be either)."""
    if not os.path.exists(path):
        if looks_like_hgvs(path):
            summary.format = "HGVS"
            yield from read_hgvs_lines([path], path, build, summary)
            return
        raise FileNotFound(f"{path}: no such file (and not an HGVS expression)")
    yield from read_file(path, build, summary)


def read_file(path: str, build: Build | None, summary: FileSummary) -> Iterator[Observation | RecordError]:
    """A file (or a pipe), read by content; never taken for an expression."""
    if not os.path.exists(path):
        hint = " (HGVS text? pass it as an expression, not as a path)" if looks_like_hgvs(path) else ""
        raise FileNotFound(f"{path}: no such file{hint}")
    if os.path.isdir(path):
        raise MalformedRecordError(f"{path}: is a directory, not a file")
    if os.path.isfile(path):
        yield from _read_file(path, path, build, summary)
        return
    # A pipe or device (process substitution <(bcftools view ...), /dev/stdin) can be read only
    # once, and readers open a file more than once (sniff, then read): spool it to a private
    # temporary file first, and report it under the name the user gave.
    spool = _spool(path)
    try:
        yield from _read_file(spool, path, build, summary)
    finally:
        os.unlink(spool)


def _spool(path: str) -> str:
    fd, spool = tempfile.mkstemp(prefix="her2scope-input-")
    try:
        with open(path, "rb") as src, os.fdopen(fd, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except OSError as exc:
        os.unlink(spool)
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    return spool


def _read_file(path: str, name: str, build: Build | None,
               summary: FileSummary) -> Iterator[Observation | RecordError]:
    """``path``: the bytes to read; ``name``: the input as the user named it (in messages)."""
    found = detect_format(path).require(name)
    if found is InputFormat.BCF:
        yield from read_vcf(path, name, build, summary, bcf=True)
    elif found is InputFormat.VCF:
        yield from read_vcf(path, name, build, summary)
    elif found is InputFormat.MAF:
        yield from read_maf(path, name, build, summary)   # reports damage itself
    else:
        yield from _read_hgvs_text(path, name, build, summary)


def _read_hgvs_text(path: str, name: str, build: Build | None,
                    summary: FileSummary) -> Iterator[Observation | RecordError]:
    """One expression per line; damaged compressed text keeps the lines before the damage."""
    text, damage = _read_text(path)
    lines = text_lines(text)
    if damage is not None and lines and not text.endswith(("\n", "\r")):
        lines.pop()   # a partial last line
    yield from read_hgvs_lines(lines, name, build, summary)
    if damage is not None:
        raise CorruptFileError(f"{name}: damaged compressed data after line {len(lines)}: "
                               f"{damage}; the lines before were processed")


def _read_text(path: str) -> tuple[str, BaseException | None]:
    """The decompressed text, and the error that stopped decompression early (or None)."""
    with open_bytes(path) as fh:
        data, damage = read_until_damage(fh, decompression_errors())
    return data.decode("utf-8", "replace"), damage
