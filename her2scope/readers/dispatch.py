"""Pick the reader for an input by its content (not its file name)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ..errors import CorruptFileError, EmptyInputError, InputError, MalformedRecordError
from ..genome.builds import Build
from .base import FileSummary, read_until_damage
from .compressed import decompression_errors, open_bytes, sniff
from .hgvs_lines import read_hgvs_lines
from .maf import looks_like_maf, read_maf
from .vcf import read_vcf

_INLINE = re.compile(r"^(?:[A-Za-z0-9_.]+[: ]\s*)?[cgp]\.|^[A-Z][a-z]{0,2}\d+[A-Z*]")


def looks_like_hgvs(text: str) -> bool:
    """Whether an input that is not a file is read as an inline HGVS expression."""
    return bool(_INLINE.match(text.strip()))


class FileNotFound(InputError):
    code = "file_not_found"


def read_input(path: str, build: Build | None, summary: FileSummary) -> Iterator:
    if not os.path.exists(path):
        if looks_like_hgvs(path):
            summary.format = "HGVS"
            yield from read_hgvs_lines([path], path, build, summary)
            return
        raise FileNotFound(f"{path}: no such file (and not an HGVS expression)")
    if os.path.isdir(path):
        raise MalformedRecordError(f"{path}: is a directory, not a file")
    try:
        head = sniff(path)
    except decompression_errors() as exc:   # e.g. a gzip header followed by damaged data
        raise CorruptFileError(f"{path}: damaged compressed data: {exc}") from exc
    if not head:
        raise EmptyInputError(f"{path}: the file is empty")
    if head.startswith(b"BCF"):
        yield from read_vcf(path, path, build, summary, bcf=True)
    elif head.startswith(b"##fileformat=VCF"):
        yield from read_vcf(path, path, build, summary)
    elif head.startswith(b"\x1f\x8b"):
        raise CorruptFileError(f"{path}: compressed data that cannot be decompressed")
    elif b"\0" in head:
        raise MalformedRecordError(f"{path}: binary content that is not VCF, BCF or MAF")
    else:
        text, damage = _read_text(path)
        if looks_like_maf(text[:65536].encode()):
            yield from read_maf(path, path, build, summary)   # reports damage itself
        elif text.lstrip().startswith("#CHROM") or text.startswith("##"):
            raise MalformedRecordError(f"{path}: VCF without the ##fileformat line")
        elif not text.strip() and damage is None:
            raise EmptyInputError(f"{path}: the file is empty (blank lines only)")
        else:
            lines = text.splitlines()
            if damage is not None and lines and not text.endswith(("\n", "\r")):
                lines.pop()   # a partial last line
            yield from read_hgvs_lines(lines, path, build, summary)
            if damage is not None:
                raise CorruptFileError(f"{path}: damaged compressed data after line {len(lines)}: "
                                       f"{damage}; the lines before were processed")


def _read_text(path: str) -> tuple[str, BaseException | None]:
    """The decompressed text, and the error that stopped decompression early (or None)."""
    with open_bytes(path) as fh:
        data, damage = read_until_damage(fh, decompression_errors())
    return data.decode("utf-8", "replace"), damage
