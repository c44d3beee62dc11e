"""Immutable value types that flow through the pipeline.

read -> ``Observation`` (what the input said, with its provenance)
normalize/annotate -> ``Annotation`` (see annotate.py) -> classify -> ``Classification``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from .genome.allele import GenomicAllele  # noqa: F401  (lives in genome/; re-exported for callers)
from .genome.builds import Build
from .hgvs.protein import ProteinChange

if TYPE_CHECKING:
    from .hgvs.parse import DnaExpression


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
