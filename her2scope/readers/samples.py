"""Which samples an input file names, so a caller can refuse a sample name the file lacks.

A sample that is not in the file must never read as "no variant in that sample": the case
report checks the name against ``sample_names`` before it filters results by sample.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..errors import CorruptFileError, MalformedRecordError
from .base import read_until_damage, text_lines
from .compressed import decompression_errors, open_bytes
from .detect import InputFormat, detect_format
from .dispatch import FileNotFound
from .maf import clean_cell
from .vcf_header import parse_header
from .vcf_scan import read_header

MAF_SAMPLE_COLUMN = "Tumor_Sample_Barcode"


def sample_names(path: str) -> tuple[str, ...]:
    """The sample names ``path`` carries, in file order, without duplicates.

    VCF/BCF: the sample columns of the ``#CHROM`` line (only the header is read).
    MAF: the distinct ``Tumor_Sample_Barcode`` values of all rows (any gene).
    ``()`` when the file names no samples: a sites-only VCF, HGVS text, a MAF without that
    column.  Raises a ``Her2scopeError`` (``FileNotFound``, ``EmptyInputError``,
    ``CorruptFileError``, ``MalformedRecordError``) when the names cannot be known in full.
    """
    if not os.path.exists(path):
        raise FileNotFound(f"{path}: no such file")
    if os.path.isdir(path):
        raise MalformedRecordError(f"{path}: is a directory, not a file")
    found = detect_format(path).require(path)    # the engine's named error when no reader can read it
    if found is InputFormat.BCF:
        return _bcf_samples(path)
    if found is InputFormat.VCF:
        return _vcf_samples(path)
    if found is InputFormat.MAF:
        with open_bytes(path) as raw:
            data, damage = read_until_damage(raw, decompression_errors())
        if damage is not None:
            raise CorruptFileError(f"{path}: damaged compressed data ({damage}): the samples "
                                   "after the damage cannot be known")
        return _maf_samples(data.decode("utf-8", "replace"))
    return ()                                    # HGVS text names no samples


def _vcf_samples(path: str) -> tuple[str, ...]:
    errors = decompression_errors()
    with open_bytes(path) as stream:
        try:
            lines, _ = read_header(stream)
        except errors as exc:
            raise CorruptFileError(f"{path}: the compressed data is damaged before the header "
                                   f"ends ({exc})") from exc
    return _unique(parse_header(lines, path).samples)


def _bcf_samples(path: str) -> tuple[str, ...]:
    import pysam  # lazy: start-up (pysam loads only when a BCF is read)

    try:
        with pysam.VariantFile(path) as vf:
            return _unique(vf.header.samples)
    except (OSError, ValueError) as exc:
        raise CorruptFileError(f"{path}: cannot open as BCF: {exc}") from exc


def _maf_samples(text: str) -> tuple[str, ...]:
    column: int | None = None
    seen: dict[str, None] = {}
    header_done = False
    for line in text_lines(text):
        if not header_done:
            if line.startswith("#") or not line.strip():
                continue
            header = [c.strip() for c in line.split("\t")]
            if MAF_SAMPLE_COLUMN not in header:
                return ()
            column = header.index(MAF_SAMPLE_COLUMN)
            header_done = True
            continue
        cols = line.split("\t")
        if column is not None and column < len(cols):
            value = clean_cell(cols[column])
            if value:
                seen.setdefault(value, None)
    return tuple(seen)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
