"""The bundled ERBB2 genomic locus, introns included (see data/SOURCES.md).

GRCh38 NC_000017.11:39,688,094-39,728,658 (NCBI RefSeq, 40,565 bp: 11,970 bp before exon 1,
every intron, up to the last base of exon 27).  On GRCh37 the same bases are served at one
fixed offset: the whole region lies in a single ungapped block of the UCSC hg38ToHg19 chain.
That makes GRCh37 intronic bases *derived* (single-base differences between builds inside an
ungapped block are possible); the exons themselves are verified on both builds.

Loaded on first use only (CLI start-up time is a feature) and checked on load: the sha256 of
the bases must equal the one recorded in SOURCES.md, and every NM_004448.4 exon must match its
GRCh38 position, so a damaged or edited file can never serve bases silently.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from dataclasses import dataclass
from importlib import resources

from .builds import Build
from .transcript import erbb2

LOCUS_FILE = "ERBB2_GRCh38_chr17_39688094-39728658.fa.gz"
LOCUS_SHA256 = "91e365abe1f44375341d7f461803d435c8b17c294d9a6b0748fed64d259903ce"  # bare bases
GRCH38_START = 39_688_093          # 0-based index of the first base (1-based 39,688,094)
LOCUS_LENGTH = 40_565
GRCH37_OFFSET = -1_843_747         # GRCh37 = GRCh38 - 1,843,747 over the whole locus

DERIVED_NOTE = ("GRCh37 intronic bases derived from GRCh38 by liftover, not verified "
                "(pass --reference GENOME.fa to use the GRCh37 genome itself)")


@dataclass(frozen=True)
class Locus:
    bases: str                     # upper-case GRCh38 bases from GRCH38_START

    def span(self, build: Build) -> tuple[int, int]:
        """0-based half-open chr17 span the locus covers on ``build``."""
        start = GRCH38_START + (GRCH37_OFFSET if build is Build.GRCh37 else 0)
        return start, start + len(self.bases)

    def sequence(self, build: Build, start: int, end: int) -> str | None:
        """Bases [start, end) on ``build``, or None unless the locus holds all of them."""
        lo, hi = self.span(build)
        if start < lo or end > hi or end < start:
            return None
        return self.bases[start - lo:end - lo]


def read_locus_bases() -> str:
    """The bare upper-case bases of the bundled FASTA (header and line breaks removed)."""
    raw = (resources.files(__package__) / "data" / LOCUS_FILE).read_bytes()
    lines = gzip.decompress(raw).decode("ascii").splitlines()
    return "".join(line.strip() for line in lines if not line.startswith(">")).upper()


@functools.cache
def erbb2_locus() -> Locus:
    """The locus, read and checked once per process."""
    bases = read_locus_bases()
    digest = hashlib.sha256(bases.encode("ascii")).hexdigest()
    if digest != LOCUS_SHA256 or len(bases) != LOCUS_LENGTH:
        raise RuntimeError(f"bundled {LOCUS_FILE} is damaged: sha256 {digest}, "
                           f"{len(bases)} bp (expected {LOCUS_SHA256}, {LOCUS_LENGTH} bp)")
    locus = Locus(bases)
    tx = erbb2()
    for build in Build:
        for ex in tx.exons[build]:
            if locus.sequence(build, ex.g_start, ex.g_end) != tx.mrna[ex.tx_start:ex.tx_end].upper():
                raise RuntimeError(f"bundled {LOCUS_FILE} disagrees with NM_004448.4 exon "
                                   f"{ex.number} on {build.value}")
    return locus
