"""Parsimony, left alignment (VCF) and 3' shifting (HGVS) of genomic alleles.

ERBB2 lies on the + strand, so the HGVS 3' rule on NM_004448.4 is the genomic
right-most placement. Bases come from a ReferenceProvider; when a shift needs a base the
provider does not know (outside the bundled ERBB2 locus, no --reference), NeedsReferenceError says so
instead of stopping early and returning a possibly wrong position.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import NeedsReferenceError
from .genome.reference import ReferenceProvider
from .variant import GenomicAllele

_MAX_SHIFT = 10_000


def trim(allele: GenomicAllele, *, prefix_first: bool = False) -> GenomicAllele:
    """Drop shared trailing, then shared leading bases (the VCF convention).

    ``prefix_first`` keeps the caller's anchoring instead (drop the padding base first): it
    matters only when records are combined into one haplotype.
    """
    start, ref, alt = allele.start, allele.ref, allele.alt

    def suffix(ref, alt):
        while ref and alt and ref[-1] == alt[-1]:
            ref, alt = ref[:-1], alt[:-1]
        return ref, alt

    if not prefix_first:
        ref, alt = suffix(ref, alt)
    while ref and alt and ref[0] == alt[0]:
        ref, alt, start = ref[1:], alt[1:], start + 1
    ref, alt = suffix(ref, alt)
    if start == allele.start and len(ref) == len(allele.ref) and len(alt) == len(allele.alt):
        return allele                 # already parsimonious (most records): the value is immutable
    return replace(allele, start=start, ref=ref, alt=alt)


def _base(ref: ReferenceProvider, allele: GenomicAllele, pos: int) -> str:
    base = ref.sequence(allele.build, pos, pos + 1)
    if not base:
        raise NeedsReferenceError(
            f"normalizing {allele} needs the base at chr17:{pos + 1} ({allele.build.value}), which "
            "is outside the bundled ERBB2 locus: rerun with --reference GENOME.fa")
    return base


def shift(allele: GenomicAllele, ref: ReferenceProvider, *, right: bool) -> GenomicAllele:
    """Slide a pure insertion or deletion through repeated sequence as far as it goes."""
    if allele.ref and allele.alt or not (allele.ref or allele.alt):
        return allele
    seq = allele.ref or allele.alt
    start = allele.start
    deletion = bool(allele.ref)
    for _ in range(_MAX_SHIFT):
        if right:
            nxt = _base(ref, allele, start + len(seq) if deletion else start)
            if nxt != seq[0]:
                break
            seq, start = seq[1:] + nxt, start + 1
        else:
            prev = _base(ref, allele, start - 1)
            if prev != seq[-1]:
                break
            seq, start = prev + seq[:-1], start - 1
    if start == allele.start:
        return allele                 # nothing to slide past
    if deletion:
        return replace(allele, start=start, ref=seq)
    return replace(allele, start=start, alt=seq)


@dataclass(frozen=True, slots=True)
class Normalized:
    left: GenomicAllele           # VCF placement
    right: GenomicAllele          # HGVS (3') placement
    vcf_pos: int                  # 1-based, VCF style (padding base for indels)
    vcf_ref: str
    vcf_alt: str


def normalize(allele: GenomicAllele, ref: ReferenceProvider, *,
              padding: tuple[int, str] | None = None) -> Normalized:
    """Both placements plus the VCF triple.

    ``padding`` is the caller's own (0-based position, base) before the event, used when the
    provider cannot supply the padding base (the caller's REF is then all we have).
    """
    parsimonious = trim(allele)
    left = shift(parsimonious, ref, right=False)
    right = shift(parsimonious, ref, right=True)
    if left.ref and left.alt:     # substitutions and delins need no padding base
        return Normalized(left, right, left.start + 1, left.ref, left.alt)
    pad = ref.sequence(left.build, left.start - 1, left.start)
    if not pad and padding is not None and padding[0] == left.start - 1:
        pad = padding[1]
    if not pad:
        raise NeedsReferenceError(
            f"the VCF padding base before {left} is outside the bundled ERBB2 locus: "
            "rerun with --reference GENOME.fa")
    return Normalized(left, right, left.start, pad + left.ref, pad + left.alt)
