"""HGVS edits for DNA (``g.`` and ``c.``) from a 3'-shifted genomic allele."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import NeedsReferenceError
from ..genome.allele import GenomicAllele
from ..genome.reference import ReferenceProvider


def describe(allele: GenomicAllele, ref: ReferenceProvider, pos: Callable[[int], str]) -> str:
    """The edit part of an HGVS DNA description (``2313_2324dup``, ``929C>T`` ...).

    ``allele`` must be parsimonious and 3'-shifted; ``pos`` renders a 0-based genomic index in
    the target coordinate system (g. or c.).
    """
    start, d, i = allele.start, allele.ref, allele.alt
    if d and i:
        if len(d) == 1 and len(i) == 1:
            return f"{pos(start)}{d}>{i}"
        span = pos(start) if len(d) == 1 else f"{pos(start)}_{pos(start + len(d) - 1)}"
        return f"{span}delins{i}"
    if d:
        return f"{pos(start)}del" if len(d) == 1 else f"{pos(start)}_{pos(start + len(d) - 1)}del"
    before = ref.sequence(allele.build, start - len(i), start)
    if before is None and _differs_in_known_bases(allele, ref):
        # Some bases before the insertion are unknown (outside the locus, no --reference), but a known
        # base already differs from the inserted copy: it cannot be a duplication.
        return f"{pos(start - 1)}_{pos(start)}ins{i}"
    if before is None:
        raise NeedsReferenceError(
            f"naming the insertion {allele} needs the {len(i)} bases before it, outside the "
            "bundled ERBB2 locus: rerun with --reference GENOME.fa")
    if before == i:  # the inserted copy repeats what precedes it: a duplication
        a = start - len(i)
        return f"{pos(a)}dup" if len(i) == 1 else f"{pos(a)}_{pos(start - 1)}dup"
    return f"{pos(start - 1)}_{pos(start)}ins{i}"


def _differs_in_known_bases(allele: GenomicAllele, ref: ReferenceProvider) -> bool:
    """True when a known reference base just before the insertion differs from the matching
    base of the inserted sequence (read right to left, up to the first unknown base)."""
    start, inserted = allele.start, allele.alt
    for k in range(1, len(inserted) + 1):
        base = ref.sequence(allele.build, start - k, start - k + 1)
        if not base:
            return False
        if base != inserted[-k]:
            return True
    return False
