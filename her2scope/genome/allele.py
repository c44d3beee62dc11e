"""A change of chr17 bases on one build: the genome-level value every reader produces and
normalization, HGVS naming and annotation consume (so ``hgvs/`` needs nothing above ``genome/``)."""

from __future__ import annotations

from dataclasses import dataclass

from .builds import Build


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

    def __str__(self) -> str:
        return f"{self.build.value}:{self.start}:{self.ref or '-'}>{self.alt or '-'}"
