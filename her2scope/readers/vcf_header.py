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


def parse_header(lines: list[str], where: str) -> VcfHeader:
    contigs: dict[str, int | None] = {}
    reference = None
    csq: tuple[str, ...] = ()
    ann: tuple[str, ...] = ()
    evidence: list[tuple[Build, str]] = []
    samples: tuple[str, ...] | None = None
    if not lines or not lines[0].startswith("##fileformat=VCF"):
        raise MalformedRecordError(f"{where}: not a VCF (the first line must be ##fileformat=VCFv4.x)")
    for n, line in enumerate(lines, 1):
        if line.startswith("##reference="):
            reference = line.split("=", 1)[1].strip()
            build = build_from_reference_line(reference)
            if build:
                evidence.append((build, f"##reference={reference}"))
        elif line.startswith("##assembly="):
            value = line.split("=", 1)[1].strip()
            build = build_from_reference_line(value)
            if build:
                evidence.append((build, f"##assembly={value}"))
        elif line.startswith("##contig="):
            m = _CONTIG.match(line)
            if not m:
                raise MalformedRecordError(f"{where}: header line {n}: malformed ##contig line")
            attrs = {k: v.strip('"') for k, v in _KV.findall(m.group(1))}
            cid = attrs.get("ID")
            length = plain_int(attrs.get("length", ""))
            if cid is None:
                raise MalformedRecordError(f"{where}: header line {n}: ##contig without ID")
            contigs[cid] = length
            if cid in CHR17_NAMES:
                by_len = build_from_chr17_length(length) if length else None
                if by_len:
                    evidence.append((by_len, f"##contig {cid} length {length:,}"))
                by_acc = build_from_accession(cid)
                if by_acc:
                    evidence.append((by_acc, f"contig name {cid}"))
            assembly = attrs.get("assembly")
            if cid in CHR17_NAMES and assembly:
                build = build_from_reference_line(assembly)
                if build:
                    evidence.append((build, f"##contig assembly={assembly}"))
        elif line.startswith("##INFO=<ID=CSQ,"):
            csq = _csq_format(line)
        elif line.startswith("##INFO=<ID=ANN,"):
            m = re.search(r"'([^']+)'", line) or _ANN_FORMAT.search(line)
            ann = tuple(f.strip() for f in m.group(1).split("|")) if m else ()
        elif line.startswith("#CHROM"):
            cols = line.rstrip("\r\n").split("\t")
            if cols[:8] != _FIXED:
                raise MalformedRecordError(
                    f"{where}: header line {n}: expected the 8 fixed columns "
                    f"{' '.join(_FIXED)} separated by tabs")
            samples = tuple(cols[9:]) if len(cols) > 9 else ()
            if len(cols) == 9:
                raise MalformedRecordError(f"{where}: header line {n}: FORMAT column without samples")
            if n != len(lines):
                raise MalformedRecordError(f"{where}: header line {n}: #CHROM must be the last header line")
    if samples is None:
        raise MalformedRecordError(f"{where}: no #CHROM header line")
    # Snapshots of the evidence; duplicates collapsed, first reason kept per build.
    uniq: dict[Build, str] = {}
    for build, why in evidence:
        uniq.setdefault(build, why)
    return VcfHeader(len(lines), samples, contigs, reference, csq, ann, tuple(uniq.items()))
