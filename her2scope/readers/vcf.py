"""VCF 4.x reader: .vcf, .vcf.gz (bgzip or gzip), .bcf; tabix/CSI index when present."""

from __future__ import annotations

import io
from collections.abc import Iterator

from ..annotate import overlaps_erbb2
from ..errors import (CorruptFileError, EmptyInputError, Her2scopeError, MalformedRecordError)
from ..genome.builds import Build
from ..genome.transcript import erbb2
from ..variant import Observation
from . import bgzf
from .base import FileSummary, RecordError
from .compressed import decompression_errors, is_gzip, open_bytes
from .vcf_header import VcfHeader, parse_header
from .vcf_index import index_path, read_index
from .vcf_record import parse_record
from .vcf_scan import ScanState, read_header, scan

Item = Observation | RecordError


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
        lines = None
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
    start, end = erbb2().span(build)
    return start + 1, end


def _records(lines, header: VcfHeader, build: Build, name: str,
             summary: FileSummary) -> Iterator[Item]:
    for record_no, line in lines:
        try:
            observations = parse_record(line, header=header, build=build, input_name=name,
                                        record=record_no)
        except Her2scopeError as exc:
            summary.erbb2_records += 1
            summary.errors += 1
            yield RecordError.of(name, record_no, exc)
            continue
        relevant = [o for o in observations if o.allele is not None and overlaps_erbb2(
            build, o.allele.start, _end(o))]
        if relevant or not observations:
            summary.erbb2_records += 1 if relevant or _overlaps_line(line, build) else 0
        yield from relevant


def _end(obs: Observation) -> int:
    allele = obs.allele
    if obs.not_interpreted:
        for item in obs.source.original.split("\t")[7].split(";"):
            if item.startswith("END=") and item[4:].isdigit():
                return int(item[4:])
    return allele.end


def _overlaps_line(line: str, build: Build) -> bool:
    cols = line.split("\t")
    try:
        pos = int(cols[1])
    except (IndexError, ValueError):
        return False
    return overlaps_erbb2(build, pos - 1, pos - 1 + len(cols[3]))


def _indexed_lines(path, ix_path, header, names, lo, hi, state, errors, summary):
    index = read_index(ix_path, list(header.contigs))
    if index is None:
        summary.notes.append(f"index {ix_path} has no per-sequence counts: scanned the file instead")
        return None
    summary.used_index = True
    summary.records = sum(s.records for s in index.sequences)
    seq = index.find(names)
    if seq is None:
        return iter(())
    state.data_records = index.records_before(seq.name)
    data = bgzf.read_range(path, seq.begin, seq.end)
    summary.notes.append(f"used index {ix_path}")
    return scan(io.BytesIO(data), b"", names, lo, hi, state, errors)


def _read_bcf(path: str, name: str, build: Build | None, summary: FileSummary) -> Iterator[Item]:
    import pysam

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

        def lines():
            try:
                for rec in vf:
                    state["n"] += 1
                    if rec.chrom in names and lo - 100_000 <= rec.pos <= hi:
                        yield state["n"], str(rec).rstrip("\n")
            except (OSError, ValueError) as exc:
                raise CorruptFileError(
                    f"{name}: BCF data damaged after record {state['n']}: {exc}; the records "
                    "before were processed") from exc

        yield from _records(lines(), header, use, name, summary)
        summary.records = state["n"]


__all__ = ["read_vcf", "MalformedRecordError"]
