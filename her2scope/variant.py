"""Immutable value types that flow through the pipeline.

read -> ``Observation`` (what the input said, with its provenance)
normalize/annotate -> ``Annotation`` (see annotate.py) -> classify -> ``Classification``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from .genome.builds import Build
from .hgvs.protein import ProteinChange

if TYPE_CHECKING:
    from .hgvs.parse import DnaExpression


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

    Exactly one of ``allele`` (VCF, MAF), ``dna`` (an HGVS c./g. expression, placed on a
    build by the pipeline), ``protein`` (a change known only at protein level: the DNA change
    behind it is never guessed) or ``not_interpreted`` (symbolic alleles) describes it.
    """

    source: SourceRecord
    build: Build | None
    allele: GenomicAllele | None = None
    dna: "DnaExpression | None" = None
    protein: ProteinChange | None = None
    not_interpreted: str | None = None        # reason, for symbolic/structural alleles
    joined_from: tuple[SourceRecord, ...] = field(default=())
