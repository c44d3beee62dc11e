"""VCF meta-information and header line: contigs, reference, samples, annotation layouts,
and the genome build they imply."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import BuildConflictError, MalformedRecordError, UnknownBuildError
from ..genome.builds import (CHR17_NAMES, Build, build_from_accession, build_from_chr17_length,
                             build_from_reference_line)
from .fields import plain_int

_CONTIG = re.compile(r"^##contig=<(.*)>\s*$")
_KV = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^,]*)')
_ANN_FORMAT = re.compile(r"Format: ?([^\"]+)\"?")
_FIXED = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"]


@dataclass(frozen=True)
class VcfHeader:
    lines: int                                # number of header lines ('##' and '#CHROM')
    samples: tuple[str, ...]
    contigs: dict[str, int | None]
    reference: str | None
    csq_fields: tuple[str, ...] = ()          # VEP CSQ sub-fields
    ann_fields: tuple[str, ...] = ()          # snpEff ANN sub-fields
    build_evidence: tuple[tuple[Build, str], ...] = field(default=())

    def chr17_names(self) -> set[str]:
        names = set(CHR17_NAMES)
        names.update(c for c in self.contigs if c in CHR17_NAMES)
        return names

    def resolve_build(self, requested: Build | None, where: str) -> tuple[Build, str]:
        """The build to use and why. Contradictions are errors, never overrides."""
        found = {b for b, _ in self.build_evidence}
        if len(found) > 1:
            detail = "; ".join(f"{why} says {b.value}" for b, why in self.build_evidence)
            raise BuildConflictError(f"{where}: the header contradicts itself ({detail})")
        if found:
            build = found.pop()
            why = self.build_evidence[0][1]
            if requested is not None and requested is not build:
                raise BuildConflictError(
                    f"{where}: --build {requested.value} contradicts the file's header "
                    f"({why} says {build.value}); fix the header or drop --build")
            return build, why
        if requested is not None:
            return requested, "--build"
        raise UnknownBuildError(
            f"{where}: the genome build is not stated (no ##reference naming GRCh37/GRCh38 and "
            "no chromosome 17 ##contig length): pass --build GRCh37 or --build GRCh38")


def _csq_format(line: str) -> tuple[str, ...]:
    m = _ANN_FORMAT.search(line)
    return tuple(f.strip() for f in m.group(1).split("|")) if m else ()


def csq_layout(lines: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The VEP CSQ sub-field names of a header, as ``parse_header`` reads them (the last
    ``##INFO=<ID=CSQ`` line wins), without validating the rest of the header: a header that
    ``parse_header`` refuses still shows which genes its records annotate."""
    layout: tuple[str, ...] = ()
    for line in lines:
        if line.startswith("##INFO=<ID=CSQ,"):
            layout = _csq_format(line)
    return layout


@dataclass(slots=True)
class _HeaderParts:
    """What the header lines said so far (read line by line, then frozen into a VcfHeader)."""
    contigs: dict[str, int | None] = field(default_factory=dict)
    reference: str | None = None
    csq: tuple[str, ...] = ()
    ann: tuple[str, ...] = ()
    evidence: list[tuple[Build, str]] = field(default_factory=list)
    samples: tuple[str, ...] | None = None     # None until the #CHROM line


def parse_header(lines: list[str], where: str) -> VcfHeader:
    if not lines or not lines[0].startswith("##fileformat=VCF"):
        raise MalformedRecordError(f"{where}: not a VCF (the first line must be ##fileformat=VCFv4.x)")
    parts = _HeaderParts()
    for n, line in enumerate(lines, 1):
        _read_header_line(parts, line, n, len(lines), where)
    if parts.samples is None:
        raise MalformedRecordError(f"{where}: no #CHROM header line")
    return VcfHeader(len(lines), parts.samples, parts.contigs, parts.reference, parts.csq, parts.ann,
                     _first_reason_per_build(parts.evidence))


def _read_header_line(parts: _HeaderParts, line: str, n: int, total: int, where: str) -> None:
    """Line ``n`` of ``total`` header lines; lines of other kinds are not needed and left alone."""
    if line.startswith("##reference="):
        parts.reference = line.split("=", 1)[1].strip()
        parts.evidence += _build_named(parts.reference, f"##reference={parts.reference}")
    elif line.startswith("##assembly="):
        value = line.split("=", 1)[1].strip()
        parts.evidence += _build_named(value, f"##assembly={value}")
    elif line.startswith("##contig="):
        _read_contig(parts, line, n, where)
    elif line.startswith("##INFO=<ID=CSQ,"):
        parts.csq = _csq_format(line)
    elif line.startswith("##INFO=<ID=ANN,"):
        parts.ann = _ann_format(line)
    elif line.startswith("#CHROM"):
        parts.samples = _samples(line, n, total, where)


def _build_named(text: str, why: str) -> list[tuple[Build, str]]:
    """The build a reference or assembly name states, if it names one."""
    build = build_from_reference_line(text)
    return [(build, why)] if build else []


def _read_contig(parts: _HeaderParts, line: str, n: int, where: str) -> None:
    m = _CONTIG.match(line)
    if not m:
        raise MalformedRecordError(f"{where}: header line {n}: malformed ##contig line")
    attrs = {k: v.strip('"') for k, v in _KV.findall(m.group(1))}
    cid = attrs.get("ID")
    length = plain_int(attrs.get("length", ""))
    if cid is None:
        raise MalformedRecordError(f"{where}: header line {n}: ##contig without ID")
    parts.contigs[cid] = length
    if cid in CHR17_NAMES:
        parts.evidence += _chr17_contig_evidence(cid, length, attrs.get("assembly"))


def _chr17_contig_evidence(cid: str, length: int | None, assembly: str | None) -> list[tuple[Build, str]]:
    """What a chromosome 17 contig line says about the build: its length, its name (an accession
    names its build), its assembly attribute."""
    evidence = []
    by_len = build_from_chr17_length(length) if length else None
    if by_len:
        evidence.append((by_len, f"##contig {cid} length {length:,}"))
    by_acc = build_from_accession(cid)
    if by_acc:
        evidence.append((by_acc, f"contig name {cid}"))
    if assembly:
        evidence += _build_named(assembly, f"##contig assembly={assembly}")
    return evidence


def _ann_format(line: str) -> tuple[str, ...]:
    m = re.search(r"'([^']+)'", line) or _ANN_FORMAT.search(line)
    return tuple(f.strip() for f in m.group(1).split("|")) if m else ()


def _samples(line: str, n: int, total: int, where: str) -> tuple[str, ...]:
    """The sample names of the #CHROM line (line ``n`` of ``total``), which must be the last header line."""
    cols = line.rstrip("\r\n").split("\t")
    if cols[:8] != _FIXED:
        raise MalformedRecordError(
            f"{where}: header line {n}: expected the 8 fixed columns "
            f"{' '.join(_FIXED)} separated by tabs")
    samples = tuple(cols[9:]) if len(cols) > 9 else ()
    if len(cols) == 9:
        raise MalformedRecordError(f"{where}: header line {n}: FORMAT column without samples")
    if n != total:
        raise MalformedRecordError(f"{where}: header line {n}: #CHROM must be the last header line")
    return samples


def _first_reason_per_build(evidence: list[tuple[Build, str]]) -> tuple[tuple[Build, str], ...]:
    """The evidence with duplicates collapsed, the first reason kept per build."""
    uniq: dict[Build, str] = {}
    for build, why in evidence:
        uniq.setdefault(build, why)
    return tuple(uniq.items())
