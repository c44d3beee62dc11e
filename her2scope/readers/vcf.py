"""VCF 4.x reader: .vcf, .vcf.gz (bgzip or gzip), .bcf; tabix/CSI index when present."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ..errors import (CorruptFileError, EmptyInputError, Her2scopeError, MalformedRecordError,
                      WrongBuildError)
from ..genome.builds import Build
from ..genome.transcript import erbb2, overlaps_erbb2
from ..variant import Observation
from . import bgzf
from .base import FileSummary, NoCall, RecordError
from .compressed import decompression_errors, is_gzip, open_bytes
from .fields import plain_int
from .vcf_header import VcfHeader, parse_header
from .vcf_index import VcfIndex, index_path, read_index
from .vcf_record import parse_record
from .vcf_scan import MAX_SYMBOLIC_SPAN, ScanState, read_header, scan

if TYPE_CHECKING:
    import pysam

Item = Observation | RecordError
Lines = Iterator[tuple[int, str]]   # (data record number, line)


def read_vcf(path: str, name: str, build: Build | None, summary: FileSummary, *,
             bcf: bool = False) -> Iterator[Item]:
    summary.format = "BCF" if bcf else "VCF"
    if bcf:
        yield from _read_bcf(path, name, build, summary)
        return
    stream = open_bytes(path)
    errors = decompression_errors()
    try:
        try:
            header_lines, rest = read_header(stream)
        except errors as exc:
            raise CorruptFileError(f"{name}: the compressed data is damaged before the header "
                                   f"ends ({exc})") from exc
        if not header_lines and not rest.strip():
            raise EmptyInputError(f"{name}: the file is empty")
        header = parse_header(header_lines, name)
        use, why = header.resolve_build(build, name)
        summary.build = use.value
        summary.notes.append(f"build {use.value} from {why}")
        lo, hi = _span(use)
        names = header.chr17_names()
        state = ScanState()
        lines: Lines | None = None
        ix_path = index_path(path) if is_gzip(path) else None
        if ix_path:
            lines = _indexed_lines(path, ix_path, header, names, lo, hi, state, errors, summary)
        if lines is None:
            lines = scan(stream, rest, names, lo, hi, state, errors)
        yield from _records(lines, header, use, name, summary)
        if not summary.used_index:
            summary.records = state.data_records
        if state.truncated is not None:
            after = state.data_records
            raise CorruptFileError(
                f"{name}: the compressed data is truncated or damaged after data record {after}"
                f"{' (a partial line was dropped)' if state.partial_line else ''}: "
                f"{state.truncated}; the {after} records before the damage were processed")
    finally:
        stream.close()


def _span(build: Build) -> tuple[int, int]:
    """1-based window to scan: ERBB2 on this build *and* on the other one, so records that
    fit ERBB2 only on the other build are caught (a wrong header) instead of skipped."""
    spans = [erbb2().span(b) for b in (build, build.other)]
    return min(s for s, _ in spans) + 1, max(e for _, e in spans)


def _records(lines: Iterable[tuple[int, str]], header: VcfHeader, build: Build, name: str,
             summary: FileSummary) -> Iterator[Item]:
    lo, hi = erbb2().span(build)
    other_build_hits: list[tuple[int, str]] = []
    verified_here = 0
    for record_no, line in lines:
        if _clearly_before(line, lo) or _clearly_after(line, hi):
            hint = _fits_other_build(line, build, record_no)
            if hint is not None:
                other_build_hits.append(hint)
            continue
        no_calls: list[tuple[str, str]] = []
        try:
            observations = parse_record(line, header=header, build=build, input_name=name,
                                        record=record_no, warnings=summary.warnings, no_calls=no_calls)
        except Her2scopeError as exc:
            summary.erbb2_records += 1
            summary.errors += 1
            yield RecordError.of(name, record_no, exc)
            continue
        relevant = [o for o in observations if o.allele is not None and overlaps_erbb2(
            build, o.allele.start, _end(o))]
        first = relevant[0].allele if relevant else None
        if first is not None and erbb2().exonic_sequence(build, first.start, first.end) == first.ref:
            verified_here += 1
        # A record counts as ERBB2 when it overlaps ERBB2, even if no sample carries it (0/0).
        if relevant or (not observations and _overlaps_line(line, build)):
            summary.erbb2_records += 1
            _note_no_calls(summary, name, record_no, line, no_calls, build)
        yield from relevant
    yield from _other_build_verdict(other_build_hits, verified_here, build, name, summary)


# A no-call matters where an activating ERBB2 variant can lie: the exons and their splice
# regions (the same 20 bp the MET exon 14 rule uses). Deeper intronic no-calls (joint-called
# files list other samples' intronic variants) say nothing about an activating variant.
NO_CALL_FLANK = 20


def _note_no_calls(summary: FileSummary, name: str, record_no: int, line: str,
                   no_calls: list[tuple[str, str]], build: Build) -> None:
    """Samples without a genotype call at this ERBB2 record, near an exon: kept (the HER2 picture
    gives no negative for them) and said."""
    if not no_calls:
        return
    chrom, pos, _id, ref = line.split("\t", 4)[:4]
    start = int(pos) - 1           # parse_record has checked POS
    tx = erbb2()
    if not any(tx.exon_at(build, g) for g in range(start - NO_CALL_FLANK, start + len(ref) + NO_CALL_FLANK)):
        return
    for sample, alt in no_calls:
        site = f"{chrom}:{pos} {ref}>{alt}"
        summary.no_calls.append(NoCall(record_no, sample, site))
        summary.warnings.append(f"{name} record {record_no}: sample {sample} has no genotype call at ERBB2 "
                                f"{site}: whether it carries that allele is unknown (no negative for it)")


def _other_build_verdict(hits: list[tuple[int, str]], verified_here: int, build: Build, name: str,
                         summary: FileSummary) -> Iterator[RecordError]:
    """Records that fit ERBB2 exons only on the *other* build. One SNV can match by chance
    (about one time in four), so a lone hit next to verified ERBB2 records is a warning; when
    nothing in the file fits ERBB2 on its own build, the hits are errors: the header (or
    --build) most likely names the wrong build."""
    if not hits:
        return
    if verified_here == 0:
        for record_no, text in hits:
            summary.errors += 1
            summary.erbb2_records += 1
            yield RecordError.of(name, record_no, WrongBuildError(f"{name} record {record_no}: {text}"))
    else:
        for record_no, text in hits:
            summary.warnings.append(f"{name} record {record_no}: {text} (could be chance: "
                                    f"{verified_here} record(s) do fit {build.value})")


def _clearly_after(line: str, hi: int) -> bool:
    cols = line.split("\t", 2)
    pos = plain_int(cols[1]) if len(cols) > 2 else None
    return pos is not None and pos - 1 >= hi


def _fits_other_build(line: str, build: Build, record_no: int) -> tuple[int, str] | None:
    """A record outside ERBB2 on the file's build that lands in an ERBB2 exon on the other
    build with a matching REF: most likely the header names the wrong build."""
    cols = line.split("\t", 5)
    pos = plain_int(cols[1]) if len(cols) >= 5 else None
    if pos is None or not _is_bases(cols[3]) or not _is_bases(cols[4][:1]):
        return None
    start = pos - 1
    ref = cols[3].upper()
    other = build.other
    tx = erbb2()
    if tx.exonic_sequence(other, start, start + len(ref)) != ref:
        return None
    point = tx.to_tx(other, start)
    assert point is not None   # REF matched the exonic sequence there
    c = tx.to_cpos(point)
    return record_no, (f"chr17:{start + 1} is outside ERBB2 on {build.value} (the file's build), "
                       f"but on {other.value} it is ERBB2 {tx.accession} c.{c} and REF {ref} "
                       f"matches {other.value} there: wrong genome build? (header or --build); "
                       "not annotated")


def _clearly_before(line: str, lo: int) -> bool:
    """Cheap test for a well-formed record that ends before ERBB2 starts (0-based ``lo``):
    most chr17 lines in the scan window are such, and need no full parse."""
    cols = line.split("\t", 8)
    pos = plain_int(cols[1]) if len(cols) >= 8 else None
    if pos is None:
        return False
    end = pos - 1 + len(cols[3])
    if "<" in cols[4] or "[" in cols[4] or "]" in cols[4]:
        info_end = _info_end(cols[7])
        if info_end is None:
            return False
        end = max(end, info_end)
    return end <= lo


def _info_end(info: str) -> int | None:
    """INFO END as a plain integer, or None (absent or not a plain integer)."""
    for item in info.split(";"):
        if item.startswith("END="):
            return plain_int(item[4:])
    return None


def _is_bases(text: str) -> bool:
    return bool(text) and text.isascii() and text.isalpha()


def _end(obs: Observation) -> int:
    allele = obs.allele
    assert allele is not None   # callers pass observations with an allele
    if obs.not_interpreted:
        cols = obs.source.original.split("\t")
        end = _info_end(cols[7]) if len(cols) > 7 else None
        if end is not None:
            return end
    return allele.end


def _overlaps_line(line: str, build: Build) -> bool:
    cols = line.split("\t")
    pos = plain_int(cols[1]) if len(cols) > 3 else None
    if pos is None:
        return False
    return overlaps_erbb2(build, pos - 1, pos - 1 + len(cols[3]))


_BGZF_EOF = bgzf.BGZF_EOF


def _index_misfit(path: str, ix_path: str, index: VcfIndex) -> str | None:
    """Why the index cannot be trusted for this file (then the file is scanned), or None."""
    if os.path.getmtime(ix_path) < os.path.getmtime(path):
        return "is older than the file"
    size = os.path.getsize(path)
    if any((s.end >> 16) > size or (s.begin >> 16) > size for s in index.sequences):
        return "points past the end of the file"
    with open(path, "rb") as fh:
        fh.seek(max(size - len(_BGZF_EOF), 0))
        if fh.read() != _BGZF_EOF:
            return "fits a file with a BGZF end-of-file marker, and this one has none (truncated?)"
    return None


def _beyond(hi: int) -> Callable[[bytes], bool]:
    """For an indexed (hence sorted) file: true once a block ends with a record past ``hi``."""
    def past(block: bytes) -> bool:
        end = block.rfind(b"\n", 0, len(block) - 1) + 1
        cols = block[end:].split(b"\t", 2)
        pos = plain_int(cols[1].decode("latin-1")) if len(cols) > 2 else None
        return pos is not None and pos > hi
    return past


def _indexed_lines(path: str, ix_path: str, header: VcfHeader, names: set[str], lo: int, hi: int,
                   state: ScanState, errors: tuple[type[BaseException], ...],
                   summary: FileSummary) -> Lines | None:
    index = read_index(ix_path, list(header.contigs))
    if index is None:
        summary.notes.append(f"index {ix_path} has no per-sequence counts: scanned the file instead")
        return None
    misfit = _index_misfit(path, ix_path, index)
    if misfit:
        summary.notes.append(f"index {ix_path} {misfit}: scanned the file instead")
        return None
    seq = index.find(names)
    data = b""
    if seq is not None:
        try:
            data = bgzf.read_range(path, seq.begin, seq.end, past=_beyond(hi))
        except CorruptFileError as exc:   # scanning reports the records before the damage
            summary.notes.append(f"index {ix_path}: {exc.message}: scanned the file instead")
            return None
        if data and not (data.endswith(b"\n") and data.split(b"\t", 1)[0].decode("utf-8", "replace")
                         == seq.name):
            summary.notes.append(f"index {ix_path} does not point at {seq.name} records: "
                                 "scanned the file instead")
            return None
    summary.used_index = True
    summary.records = sum(s.records for s in index.sequences)
    if seq is None:
        return iter(())
    state.data_records = index.records_before(seq.name)
    summary.notes.append(f"used index {ix_path}")
    return scan(io.BytesIO(data), b"", names, lo, hi, state, errors)


def _read_bcf(path: str, name: str, build: Build | None, summary: FileSummary) -> Iterator[Item]:
    import pysam  # lazy: start-up (pysam loads only when a BCF is read)

    try:
        vf = pysam.VariantFile(path)
    except (OSError, ValueError) as exc:
        raise CorruptFileError(f"{name}: cannot open as BCF: {exc}") from exc
    with vf:
        header = parse_header(str(vf.header).rstrip("\n").split("\n"), name)
        use, why = header.resolve_build(build, name)
        summary.build = use.value
        summary.notes.append(f"build {use.value} from {why}")
        lo, hi = _span(use)
        names = header.chr17_names()
        state = {"n": 0}

        def lines() -> Lines:
            try:
                for rec in vf:
                    state["n"] += 1
                    if rec.chrom in names and lo - MAX_SYMBOLIC_SPAN <= rec.pos <= hi:
                        yield state["n"], str(rec).rstrip("\n")
            except (OSError, ValueError) as exc:
                raise CorruptFileError(
                    f"{name}: BCF data damaged after record {state['n']}: {exc}; the records "
                    "before were processed") from exc

        indexed = _bcf_indexed_lines(vf, path, header, names, lo, hi, summary, name)
        if indexed is not None:
            yield from _records(indexed, header, use, name, summary)
            return
        yield from _records(lines(), header, use, name, summary)
        summary.records = state["n"]


def _bcf_indexed_lines(vf: pysam.VariantFile, path: str, header: VcfHeader, names: set[str], lo: int,
                       hi: int, summary: FileSummary, name: str) -> Lines | None:
    """With a CSI index: jump to chromosome 17 (pysam fetch) and number records from the
    index's per-sequence counts; the chromosome is read from its start so the numbers are
    exact, and reading stops past ERBB2 (an indexed file is sorted).  None: no usable index."""
    ix_path = path + ".csi" if os.path.exists(path + ".csi") else None
    if ix_path is None or os.path.getmtime(ix_path) < os.path.getmtime(path):
        return None
    # BCF indexes carry no names: the sequences are the header's contigs, in order.
    index = read_index(ix_path, list(vf.header.contigs))  # type: ignore[arg-type]  # pysam stub: str names
    seq = index.find(names) if index is not None else None
    if index is None or (seq is None and any(c in names for c in vf.header.contigs)):
        return None
    summary.used_index = True
    summary.records = sum(s.records for s in index.sequences)
    summary.notes.append(f"used index {ix_path}")
    if seq is None:
        return iter(())

    def lines() -> Lines:
        number = index.records_before(seq.name)
        try:
            for rec in vf.fetch(seq.name):
                number += 1
                if rec.pos > hi:
                    break
                if lo - MAX_SYMBOLIC_SPAN <= rec.pos:
                    yield number, str(rec).rstrip("\n")
        except (OSError, ValueError) as exc:
            raise CorruptFileError(f"{name}: BCF data damaged near record {number}: {exc}") from exc

    return lines()


__all__ = ["read_vcf", "MalformedRecordError"]
