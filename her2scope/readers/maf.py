"""MAF reader (GDC, cBioPortal, Oncotator/Firehose flavours).

Coordinates are used when present (with the ``-`` convention for indels); otherwise the
protein column (HGVSp_Short, HGVSp, Protein_Change, amino_acid_change) is parsed, legacy
Oncotator spellings included.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import (BuildConflictError, EmptyInputError, Her2scopeError, MalformedRecordError,
                      UnknownBuildError)
from ..genome.builds import Build, is_chr17, parse_build
from ..genome.transcript import overlaps_erbb2
from ..hgvs.parse import parse_protein, split_reference
from ..variant import CallerAnnotation, GenomicAllele, Observation, SourceRecord
from .base import FileSummary, RecordError, read_until_damage, text_lines
from .compressed import decompression_errors, open_bytes
from .fields import check_hgvs_numbers, count, fraction, has_long_number

NORMAL_COUNTS = ("n_depth", "n_ref_count", "n_alt_count")
PROTEIN_COLUMNS = ("HGVSp_Short", "HGVSp", "Protein_Change", "amino_acid_change", "AAChange")
Item = Observation | RecordError


def looks_like_maf(head: bytes) -> bool:
    for line in text_lines(head.decode("utf-8", "replace")):
        if line.startswith("#"):
            continue
        return line.startswith("Hugo_Symbol\t")
    return False


def clean_cell(value: str | None) -> str:
    """A MAF cell without surrounding blanks and quotes."""
    return (value or "").strip().strip('"').strip()


def read_maf(path: str, name: str, build: Build | None, summary: FileSummary) -> Iterator[Item]:
    summary.format = "MAF"
    with open_bytes(path) as raw:
        data, damage = read_until_damage(raw, decompression_errors())
    text = data.decode("utf-8", "replace")
    lines = text_lines(text)
    if damage is not None and lines and not text.endswith(("\n", "\r")):
        lines.pop()   # a partial last row
    header: list[str] | None = None
    record = 0
    for line in lines:
        if header is None:
            if line.startswith("#") or not line.strip():
                continue
            header = [c.strip() for c in line.split("\t")]
            if "Hugo_Symbol" not in header:
                raise MalformedRecordError(f"{name}: no Hugo_Symbol column in the MAF header")
            continue
        if not line.strip():
            continue
        record += 1
        summary.records += 1
        cols = line.split("\t")
        row = dict(zip(header, (clean_cell(c) for c in cols)))
        if not _is_erbb2(row, build):
            continue
        summary.erbb2_records += 1
        try:
            if len(cols) != len(header):
                raise MalformedRecordError(
                    f"{name} record {record}: {len(cols)} columns, the header has {len(header)}")
            observation = _observation(row, record, name, build, line, summary)
            if observation is not None:
                yield observation
        except Her2scopeError as exc:
            summary.errors += 1
            yield RecordError.of(name, record, exc)
    if damage is not None:
        summary.errors += 1
        yield RecordError(name, None, "corrupt_file",
                          f"{name}: damaged compressed data after data row {record}: {damage}; "
                          "the rows before were processed")
        return
    if header is None:
        raise EmptyInputError(f"{name}: no MAF header and no data")


def _is_erbb2(row: dict[str, str], build: Build | None) -> bool:
    if row.get("Hugo_Symbol", "").upper() in ("ERBB2", "HER2"):
        return True
    chrom = row.get("Chromosome", "")
    if not is_chr17(chrom) and chrom != "17":
        return False
    try:
        start = count(row.get("Start_Position"), "Start_Position", "", whole_floats=True)
    except MalformedRecordError:
        return False   # not known to be ERBB2; a damaged ERBB2 row names its gene
    if start is None:
        return False
    builds = [build] if build else list(Build)
    return any(overlaps_erbb2(b, start - 1, start) for b in builds)


def _row_build(row: dict[str, str], requested: Build | None, where: str) -> Build:
    stated = row.get("NCBI_Build", "")
    if stated:
        try:
            found = parse_build(stated)
        except UnknownBuildError as exc:
            raise UnknownBuildError(f"{where}: NCBI_Build {stated!r} is not GRCh37 or GRCh38") from exc
        if requested is not None and requested is not found:
            raise BuildConflictError(f"{where}: --build {requested.value} contradicts the row's "
                                     f"NCBI_Build {stated}")
        return found
    if requested is None:
        raise UnknownBuildError(f"{where}: no NCBI_Build column or value: pass --build")
    return requested


def _observation(row: dict[str, str], record: int, name: str, build: Build | None, line: str,
                 summary: FileSummary) -> Observation | None:
    """The row's tumour call, or None when its own counts say the tumour lacks the allele."""
    where = f"{name} record {record}"
    caller = _caller_annotation(row)
    depth, alt_reads, vaf = _tumour_counts(row, where)
    sample = row.get("Tumor_Sample_Barcode") or None
    if alt_reads == 0:
        summary.warnings.append(f"{where}: t_alt_count is 0: no read in tumour sample {sample} "
                                "carries the allele; not attributed to it")
        return None
    source = SourceRecord(name, record, line.rstrip("\r\n"), sample,
                          None, depth, vaf, row.get("FILTER") or None, None,
                          (caller,) if caller else ())
    start = _position(row, "Start_Position", where)
    if start is not None and row.get("Reference_Allele"):
        use = _row_build(row, build, where)
        summary.build = summary.build or use.value
        return Observation(source, use, allele=_allele(row, use, where))
    for column in PROTEIN_COLUMNS:
        if row.get(column):
            check_hgvs_numbers(row[column], f"{where}: {column} {row[column][:60]}")
            acc, body = split_reference(row[column])
            change = parse_protein(acc, body).change
            row_build = _row_build(row, build, where) if row.get("NCBI_Build") or build else None
            return Observation(source, row_build, protein=change)
    raise MalformedRecordError(f"{where}: neither coordinates nor a protein change to interpret")


def _tumour_counts(row: dict[str, str], where: str) -> tuple[int | None, int | None, float | None]:
    """Tumour depth, alt reads and allele fraction (t_vaf, else t_alt_count over t_depth, else
    over t_alt_count + t_ref_count, as the GDC MAF writes them)."""
    depth = count(row.get("t_depth"), "t_depth", where, whole_floats=True)
    alt = count(row.get("t_alt_count"), "t_alt_count", where, whole_floats=True)
    ref = count(row.get("t_ref_count"), "t_ref_count", where, whole_floats=True)
    vaf = fraction(row.get("t_vaf"), "t_vaf", where)
    for column in NORMAL_COUNTS:   # not used, but a damaged count means a damaged row
        count(row.get(column), column, where, whole_floats=True)
    total = depth if depth is not None else (alt + ref if alt is not None and ref is not None else None)
    if alt is not None and total is not None and alt > total:
        raise MalformedRecordError(f"{where}: t_alt_count {alt} exceeds the tumour depth {total}")
    if vaf is None and alt is not None and total:
        vaf = round(alt / total, 4)
    return depth, alt, vaf


def _position(row: dict[str, str], column: str, where: str) -> int | None:
    value = count(row.get(column), column, where, whole_floats=True)
    if value == 0:
        raise MalformedRecordError(f"{where}: {column} 0 is not a 1-based position")
    return value


def _allele(row: dict[str, str], build: Build, where: str) -> GenomicAllele:
    start = _position(row, "Start_Position", where)
    assert start is not None   # the caller checked Start_Position
    end = _position(row, "End_Position", where) or start
    ref = row["Reference_Allele"].upper()
    t1, t2 = row.get("Tumor_Seq_Allele1", "").upper(), row.get("Tumor_Seq_Allele2", "").upper()
    alt = t2 if t2 and t2 != ref else t1
    if not alt or alt == ref:
        raise MalformedRecordError(f"{where}: no tumour allele differs from Reference_Allele {ref}")
    for label, seq in (("Reference_Allele", ref), ("Tumor_Seq_Allele", alt)):
        if seq != "-" and not set(seq) <= set("ACGTN"):
            raise MalformedRecordError(f"{where}: {label} {seq!r} is not a DNA sequence or '-'")
    if ref == "-":
        if end != start + 1:
            raise MalformedRecordError(f"{where}: an insertion's Start/End must be the flanking "
                                       f"bases (got {start}-{end})")
        return GenomicAllele(build, start, "", alt)
    if end - start + 1 != len(ref):
        raise MalformedRecordError(f"{where}: Start_Position..End_Position spans {end - start + 1} "
                                   f"bases but Reference_Allele has {len(ref)}")
    return GenomicAllele(build, start - 1, ref, "" if alt == "-" else alt)


def _caller_annotation(row: dict[str, str]) -> CallerAnnotation | None:
    c = row.get("HGVSc") or None
    p = next((row[k] for k in PROTEIN_COLUMNS if row.get(k)), None)
    if not (c or p) or has_long_number(c) or has_long_number(p):
        return None   # nothing to compare, or text no HGVS parser can read (the row says so)
    return CallerAnnotation("MAF", c, p, row.get("Variant_Classification") or None)
