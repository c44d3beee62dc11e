"""Immutable value types that flow through the pipeline.

read -> ``Observation`` (what the input said, with its provenance)
normalize/annotate -> ``Annotation`` (see annotate.py) -> classify -> ``Classification``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .genome.builds import Build


@dataclass(frozen=True, slots=True)
class GenomicAllele:
    """Replace chr17 bases [start, start+len(ref)) with ``alt`` (0-based, + strand).

    Either side may be empty (pure insertion or deletion); parsimonious forms have no
    shared first or last base.
    """

    build: Build
    start: int
    ref: str
    alt: str

    @property
    def end(self) -> int:
        return self.start + len(self.ref)

    @property
    def is_indel(self) -> bool:
        return len(self.ref) != len(self.alt)

    def __str__(self) -> str:
        return f"{self.build.value}:{self.start}:{self.ref or '-'}>{self.alt or '-'}"


@dataclass(frozen=True, slots=True)
class ProteinEdit:
    """A change stated only at protein level (HGVS p. or a MAF protein column):
    the DNA change behind it is unknown and is never guessed."""

    start: int                 # 1-based first residue affected
    end: int                   # 1-based last residue affected (== start for one residue)
    ref: str                   # reference residues start..end, one-letter ("" for pure insertions)
    alt: str                   # replacing residues ("" for deletions)
    kind: str                  # "sub" | "del" | "ins" | "dup" | "delins" | "fs" | "ext" | "syn"
    text: str                  # the expression as written


@dataclass(frozen=True, slots=True)
class CallerAnnotation:
    """What the caller's own annotation (VEP CSQ, snpEff ANN, MAF columns) said."""

    source: str
    hgvs_c: str | None = None
    hgvs_p: str | None = None
    consequence: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """Where an observation came from, kept verbatim for provenance."""

    input: str
    record: int | None
    original: str
    sample: str | None = None
    genotype: str | None = None
    depth: int | None = None
    vaf: float | None = None
    filter: str | None = None
    phase_set: str | None = None
    caller_annotations: tuple[CallerAnnotation, ...] = ()


@dataclass(frozen=True, slots=True)
class Observation:
    """One allele in one sample as the input stated it, before normalization.

    ``vcf`` holds the caller's (pos, ref, alt) for VCF/MAF/g. inputs, so REF can be checked
    against the reference; exactly one of ``allele`` / ``protein`` / ``not_interpreted`` is set.
    """

    source: SourceRecord
    build: Build | None
    allele: GenomicAllele | None = None
    protein: ProteinEdit | None = None
    not_interpreted: str | None = None        # reason, for symbolic/structural alleles
    joined_from: tuple[SourceRecord, ...] = field(default=())
