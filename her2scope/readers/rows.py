"""Every data row of a VCF or MAF, any gene: for the coarse rules about other NSCLC drivers.

The variant readers yield ERBB2 only. The case report also looks at EGFR, KRAS, MET ... rows
(MAF cells, VEP CSQ in a VCF); this gives it those rows with their record numbers, and a
damaged file ends the rows with a ``CorruptFileError`` after the rows before the damage, the
way the variant readers report damage, never an unhandled decompression error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import CorruptFileError
from .compressed import ByteStream, decompression_errors, open_bytes
from .detect import InputFormat, detect_format
from .maf import clean_cell
from .vcf_scan import read_chunk, read_header


@dataclass(frozen=True, slots=True)
class Row:
    record: int                  # 1-based data record (VCF data line, MAF data row)
    cells: tuple[str, ...]       # tab-separated cells (MAF cells without quotes and blanks)


@dataclass(frozen=True)
class Table:
    format: str                  # "VCF", "BCF" (rows as VCF text), "MAF", or "" for anything else (no rows)
    header: tuple[str, ...]      # VCF: the '##' and '#CHROM' lines; MAF: the column names
    rows: Iterator[Row]          # raises CorruptFileError after the rows before any damage


def read_rows(path: str) -> Table:
    """The rows of ``path``. Raises a ``Her2scopeError`` only when nothing can be read (a
    damaged header); a missing or empty file and other formats give no rows: the variant
    readers report those files already. BCF rows are the records as VCF text (pysam)."""
    try:
        found = detect_format(path).format
    except OSError:
        return Table("", (), iter(()))
    if found is InputFormat.VCF:
        return _vcf(path)
    if found is InputFormat.BCF:
        return _bcf(path)
    if found is InputFormat.MAF:
        return _maf(path)
    return Table("", (), iter(()))


def _lines(stream: ByteStream, rest: bytes, path: str) -> Iterator[str]:
    """Whole lines from ``rest`` then the stream; a damaged stream drops its partial last
    line and raises CorruptFileError once the lines before it are out. ``rest`` can hold many
    lines (a small file is read whole with its header): they are split like the stream's."""
    carry = rest
    count = 0
    while True:
        *whole, carry = carry.split(b"\n")
        for line in whole:
            count += 1
            yield line.decode("utf-8", "replace").rstrip("\r")
        try:
            chunk = read_chunk(stream, 1 << 20)
        except decompression_errors() as exc:
            raise CorruptFileError(f"{path}: the compressed data is truncated or damaged after "
                                   f"line {count} of the data: {exc}; the lines before were read") from exc
        if not chunk:
            break
        carry += chunk
    if carry:
        yield carry.decode("utf-8", "replace").rstrip("\r")


def _vcf(path: str) -> Table:
    stream = open_bytes(path)
    try:
        header, rest = read_header(stream)
    except decompression_errors() as exc:
        stream.close()
        raise CorruptFileError(f"{path}: the compressed data is damaged before the header ends "
                               f"({exc})") from exc

    def rows() -> Iterator[Row]:
        with stream:
            record = 0
            for line in _lines(stream, rest, path):
                if line and not line.startswith("#"):
                    record += 1
                    yield Row(record, tuple(line.split("\t")))
    return Table("VCF", tuple(header), rows())


def _bcf(path: str) -> Table:
    import pysam  # lazy: start-up (pysam loads only when a BCF is read)

    def open_bcf() -> pysam.VariantFile:
        try:
            return pysam.VariantFile(path)
        except (OSError, ValueError) as exc:
            raise CorruptFileError(f"{path}: cannot open as BCF: {exc}") from exc

    with open_bcf() as vf:
        header = tuple(str(vf.header).rstrip("\n").split("\n"))

    def rows() -> Iterator[Row]:   # opened again when read: a caller may want the header only
        with open_bcf() as vf:
            record = 0
            try:
                for rec in vf:
                    record += 1
                    yield Row(record, tuple(str(rec).rstrip("\n").split("\t")))
            except (OSError, ValueError) as exc:
                raise CorruptFileError(f"{path}: BCF data damaged after record {record}: {exc}; "
                                       "the records before were read") from exc
    return Table("BCF", header, rows())


def _maf(path: str) -> Table:
    stream = open_bytes(path)
    lines = _lines(stream, b"", path)
    try:
        columns = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    except CorruptFileError:
        stream.close()
        raise

    def rows() -> Iterator[Row]:
        with stream:
            record = 0
            for line in lines:
                if line.strip():
                    record += 1
                    yield Row(record, tuple(clean_cell(c) for c in line.split("\t")))
    return Table("MAF", tuple(c.strip() for c in columns.split("\t")), rows())
