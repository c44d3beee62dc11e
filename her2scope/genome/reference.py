"""Where reference bases come from.

``BundledReference`` knows the ERBB2 exons on both builds (the exonic genome equals the
NM_004448.4 mRNA: every UTA exon alignment is gapless and mismatch-free), the few native
GRCh37 slices in the bundle, and the whole ERBB2 locus with its introns (``locus.py``):
verified on GRCh38, derived by one liftover offset on GRCh37.  ``FastaReference`` reads an
indexed genome FASTA given with ``--reference`` for anything else (and for native GRCh37
intronic bases).  ``TrackedReference`` remembers whether an answer rested on derived bases,
so a result can say so.
"""

from __future__ import annotations

import os
from importlib import resources
from typing import Protocol

from ..errors import UnknownBuildError, UnsupportedReferenceError
from .builds import CHR17_NAMES, Build, build_from_chr17_length
from .locus import erbb2_locus
from .transcript import erbb2


class ReferenceProvider(Protocol):
    name: str

    def sequence(self, build: Build, start: int, end: int) -> str | None:
        """Upper-case chr17 bases [start, end) (0-based), or None if any base is unknown."""


class BundledReference:
    name = "bundled ERBB2 locus"

    def __init__(self) -> None:
        self._tx = erbb2()
        self._slices: list[tuple[int, int, str]] = []
        path = resources.files(__package__) / "data" / "NC_000017.10_ERBB2_slices_from_hgvs_cache.tsv"
        for line in path.read_text().splitlines():
            f = line.split("\t")
            if len(f) == 4 and f[0] == "NC_000017.10":
                self._slices.append((int(f[1]), int(f[2]), f[3].upper()))

    def sequence(self, build: Build, start: int, end: int) -> str | None:
        if end <= start:
            return ""
        seq = self._native(build, start, end)
        if seq is not None:
            return seq
        # Introns: the locus is read only now, so commands that never need an intronic base
        # (and CLI start-up) never load it.
        return erbb2_locus().sequence(build, start, end)

    def derived(self, build: Build, start: int, end: int) -> bool:
        """True when serving [start, end) uses GRCh37 bases derived by liftover."""
        return (build is Build.GRCh37 and end > start and self._native(build, start, end) is None
                and erbb2_locus().sequence(build, start, end) is not None)

    def _native(self, build: Build, start: int, end: int) -> str | None:
        """Exonic bases (either build) or a native GRCh37 slice: never derived."""
        seq = self._tx.exonic_sequence(build, start, end)
        if seq is not None:
            return seq.upper()
        if build is Build.GRCh37:
            for s, e, text in self._slices:
                if s <= start and end <= e:
                    return text[start - s:end - s]
        return None


class FastaReference:
    """An indexed (``.fai``) genome FASTA; its build is read off chromosome 17's length."""

    def __init__(self, path: str) -> None:
        import pysam  # lazy: start-up (pysam loads only when --reference is used)

        if not os.path.exists(path):
            raise UnsupportedReferenceError(f"reference FASTA not found: {path}")
        try:
            self._fasta = pysam.FastaFile(path)
        except (OSError, ValueError) as exc:
            raise UnsupportedReferenceError(
                f"cannot open reference FASTA {path}: {exc} (it must be plain or bgzip-compressed "
                "and indexed with samtools faidx)") from exc
        self.name = f"FASTA {os.path.basename(path)}"
        self._contig = next((c for c in CHR17_NAMES if c in self._fasta.references), None)
        if self._contig is None:
            raise UnsupportedReferenceError(
                f"{path} has no chromosome 17 contig (looked for {', '.join(CHR17_NAMES)})")
        length = self._fasta.get_reference_length(self._contig)
        build = build_from_chr17_length(length)
        if build is None:
            raise UnknownBuildError(
                f"{path}: chromosome 17 is {length:,} bp, which is neither GRCh37 (81,195,210) "
                "nor GRCh38 (83,257,441)")
        self.build = build

    def sequence(self, build: Build, start: int, end: int) -> str | None:
        if build is not self.build or start < 0:
            return None
        seq = self._fasta.fetch(self._contig, start, end).upper()
        return seq if len(seq) == end - start else None


class LayeredReference:
    """Ask each provider in turn; the first that knows the bases answers."""

    def __init__(self, *providers: ReferenceProvider) -> None:
        self._providers = providers
        self.name = " + ".join(p.name for p in providers)

    def sequence(self, build: Build, start: int, end: int) -> str | None:
        for provider in self._providers:
            seq = provider.sequence(build, start, end)
            if seq is not None:
                return seq
        return None

    def derived(self, build: Build, start: int, end: int) -> bool:
        for provider in self._providers:
            if provider.sequence(build, start, end) is not None:
                return is_derived(provider, build, start, end)
        return False


def is_derived(provider: ReferenceProvider, build: Build, start: int, end: int) -> bool:
    """Whether ``provider`` answers [start, end) from derived (unverified) bases; providers
    without a ``derived`` method (a genome FASTA, test doubles) serve their own bases."""
    derived = getattr(provider, "derived", None)
    return bool(derived and derived(build, start, end))


class TrackedReference:
    """Forwards to a provider and remembers whether any answer used derived bases."""

    def __init__(self, inner: ReferenceProvider) -> None:
        self._inner = inner
        self.name = inner.name
        self.derived_used = False

    def sequence(self, build: Build, start: int, end: int) -> str | None:
        seq = self._inner.sequence(build, start, end)
        if seq and not self.derived_used and build is Build.GRCh37:
            self.derived_used = is_derived(self._inner, build, start, end)
        return seq

    def derived(self, build: Build, start: int, end: int) -> bool:
        return is_derived(self._inner, build, start, end)


def reference_for(fasta: str | None) -> ReferenceProvider:
    bundled = BundledReference()
    if fasta is None:
        return bundled
    return LayeredReference(FastaReference(fasta), bundled)
