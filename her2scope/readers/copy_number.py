"""Copy-number input: segment tables and the CNV records of a VCF, as text and numbers.

Deciding (thresholds, amplified or not) is ``her2scope.case.copy_number``'s; this only reads.
Values are parsed when asked for (``Segment.number``, ``finite_number``), so a damaged value
is an error only in the record that is used, as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..genome.builds import Build
from .base import FileSummary, RecordError
from ..genome.transcript import overlaps_erbb2
from .dispatch import read_file
from .rows import read_rows
from .vcf_info import first_sample, parse_info

_CN_COLUMNS = ("copy_number", "cn", "total_cn")
_LOG2_COLUMNS = ("log2", "log2_ratio", "seg.mean")


def finite_number(text: str | None, where: str) -> float:
    """A copy number, log2 ratio or fold change as written; inf, nan and words are errors,
    never a call."""
    try:
        value = float(text)   # type: ignore[arg-type]  # None is refused below
    except (TypeError, ValueError):
        raise InputError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {text!r} is not a finite number")
    return value


@dataclass(frozen=True, slots=True)
class Segment:
    path: str
    line: int               # 1-based line of the file
    chrom: str
    start: int              # 1-based, inclusive, as written
    end: int
    cells: tuple[str, ...]
    column: int             # 0-based column of the value
    log2: bool              # the value is a log2 ratio (else a copy number)

    def number(self) -> float:
        """The segment's value; InputError naming the line when it is missing or not a finite number."""
        if self.column >= len(self.cells):
            raise InputError(f"{self.path} line {self.line}: no value in column {self.column + 1}")
        return finite_number(self.cells[self.column], f"{self.path} line {self.line}")

    @property
    def text(self) -> str:
        return self.cells[self.column]


def read_segments(path: Path | str) -> Iterator[Segment]:
    """Tab-separated: chrom, start, end (1-based), then copy_number or log2 (the header names
    it; a copy-number column wins over a log2 column). InputError, naming file and line, for
    an unreadable or empty file, a header without a value column, or a line without chrom,
    start, end."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read segment file: {exc}") from None
    if not lines:
        raise InputError(f"{path}: the segment file is empty")
    header = [h.strip().lower() for h in lines[0].split("\t")]
    value_col = next((i for i, h in enumerate(header) if h in _CN_COLUMNS), None)
    log2_col = next((i for i, h in enumerate(header) if h in _LOG2_COLUMNS), None)
    column = value_col if value_col is not None else log2_col
    if column is None:   # neither column
        raise InputError(f"{path} line 1: need a copy_number or log2 column")
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        f = line.split("\t")
        try:
            chrom, start, end = f[0].strip(), int(f[1]), int(f[2])
        except (IndexError, ValueError):
            raise InputError(f"{path} line {n}: expected chrom, start, end") from None
        yield Segment(str(path), n, chrom, start, end, tuple(f), column, value_col is None)


@dataclass(frozen=True, slots=True)
class CnvRecord:
    """A VCF record the variant reader passed through as not interpreted (a symbolic allele:
    <DUP>, <AMP>, <CNV> ...) over ERBB2, with its copy-number fields as text."""

    record: int | None      # the data record number (the VCF reader always sets it)
    chrom: str
    pos: str
    end: str                # INFO END, or POS when absent
    alt: str
    cn: str | None          # FORMAT CN of the first sample, else INFO CN; None when neither


def read_cnv_records(path: str, build: Build | None,
                     summary: FileSummary) -> Iterator[CnvRecord | RecordError]:
    """The not-interpreted records over ERBB2, read with the engine's own VCF reader (same
    build detection, same errors, no second parser; ``summary.build`` is filled in). The
    reader's errors are passed on: a CNV file not read to its end can give no negative. A file
    that is not VCF/BCF (HGVS text, MAF) has no CNV records to read: a whole-file error, never
    an empty (negative) answer; and the path is always a file, never an inline expression."""
    for item in read_file(path, build, summary):
        if isinstance(item, RecordError):
            yield item
            continue
        if not item.not_interpreted:
            continue
        f = item.source.original.split("\t")
        info = parse_info(f[7]) if len(f) > 7 else {}
        sample = first_sample(f)
        cn = sample["CN"] if "CN" in sample else info.get("CN")
        yield CnvRecord(item.source.record, f[0], f[1], info.get("END", f[1]), f[4], cn)
    if summary.format not in ("VCF", "BCF"):
        yield RecordError(path, None, "malformed_record",
                          f"{path}: read as {summary.format or 'unknown format'}, not as a VCF/BCF: "
                          "it holds no CNV records")


_CHR17 = ("17", "chr17", "NC_000017.10", "NC_000017.11")


def unplaced_cnv_records(path: str, build: Build) -> list[int]:
    """Record numbers of symbolic chr17 records (``<DUP>``, ``<AMP>``, ``<CNV>`` ...) that start
    at or before ERBB2's end but state neither INFO END nor SVLEN: their span is unknown, so
    whether they cover ERBB2 cannot be told (the variant reader places them at POS only)."""
    out = []
    for row in read_rows(path).rows:
        cells = row.cells
        if len(cells) < 8 or cells[0] not in _CHR17 or "<" not in cells[4]:
            continue
        info = parse_info(cells[7])
        if "END" in info or "SVLEN" in info or not cells[1].isdigit():
            continue
        if overlaps_erbb2(build, int(cells[1]) - 1, 1 << 40):
            out.append(row.record)
    return out
