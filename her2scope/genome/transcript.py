"""The ERBB2 transcript model: NM_004448.4 on GRCh37 and GRCh38, its CDS and protein.

All genomic coordinates here are 0-based half-open (interbase), as in the bundled UTA
tables; 1-based positions appear only at the edges (VCF POS, HGVS text).
"""

from __future__ import annotations

import bisect
import functools
import json
from dataclasses import dataclass
from importlib import resources

from ..errors import MalformedRecordError
from .builds import Build
from .translate import translate

_DATA = resources.files(__package__) / "data"
_EXON_FILES = {
    Build.GRCh37: "NM_004448.4_GRCh37_NC_000017.10_exons.tsv",
    Build.GRCh38: "NM_004448.4_GRCh38_NC_000017.11_exons.DERIVED.tsv",
}


@dataclass(frozen=True, slots=True)
class Exon:
    number: int
    tx_start: int
    tx_end: int
    g_start: int
    g_end: int


@dataclass(frozen=True, slots=True)
class TxPoint:
    """A transcript coordinate: 0-based mRNA index plus intronic offset."""

    index: int
    offset: int = 0


@dataclass(frozen=True, slots=True)
class CPos:
    """A ``c.`` position: ``base`` counts from the A of ATG (negative in the 5' UTR);
    ``utr3`` means ``base`` counts after the stop codon (``c.*12``); ``offset`` is the
    intronic distance from that exonic base (``c.2307+1``, ``c.2308-2``).

    It lives here, beside ``TxPoint``, because the transcript model maps genome positions to it;
    ``hgvs.location`` parses it from text and re-exports it (dependencies point down)."""

    base: int
    offset: int = 0
    utr3: bool = False

    def __str__(self) -> str:
        text = f"*{self.base}" if self.utr3 else str(self.base)
        if self.offset > 0:
            text += f"+{self.offset}"
        elif self.offset < 0:
            text += str(self.offset)
        return text


@dataclass(frozen=True)
class Transcript:
    accession: str
    protein_accession: str
    gene: str
    mrna: str
    cds_start: int
    cds_end: int
    protein: str
    exons: dict[Build, tuple[Exon, ...]]

    # -- sequences -------------------------------------------------------------------
    @property
    def cds(self) -> str:
        return self.mrna[self.cds_start:self.cds_end]

    @functools.cached_property
    def protein_with_stop(self) -> str:
        """The protein as a translation to the stop reads it (``*`` last): what changed
        translations are compared with, once per variant."""
        return self.protein + "*"

    def span(self, build: Build) -> tuple[int, int]:
        exons = self.exons[build]
        return exons[0].g_start, exons[-1].g_end

    def overlaps(self, build: Build, start: int, end: int) -> bool:
        """Does [start, end) touch the transcript span? An empty interval (an insertion point)
        counts as the one base after ``start``."""
        lo, hi = self.span(build)
        return start < hi and max(end, start + 1) > lo

    def exonic_sequence(self, build: Build, start: int, end: int) -> str | None:
        """Genomic sequence of [start, end) when it lies inside one exon, else None."""
        ex = self._exon_from(build, start)
        if ex is not None and ex.g_start <= start and end <= ex.g_end:
            return self.mrna[ex.tx_start + start - ex.g_start: ex.tx_start + end - ex.g_start]
        return None

    # -- genome <-> transcript ---------------------------------------------------------
    @functools.cached_property
    def _g_starts(self) -> dict[Build, list[int]]:
        """First genomic base of each exon, per build (exons are in genomic order: + strand)."""
        starts = {b: [ex.g_start for ex in exons] for b, exons in self.exons.items()}
        for b, exons in self.exons.items():
            if any(a.g_end > c.g_start for a, c in zip(exons, exons[1:])):
                raise RuntimeError(f"{self.accession} exons on {b.value} are not in genomic order")
        return starts

    def _exon_from(self, build: Build, g: int) -> Exon | None:
        """The last exon starting at or before ``g`` (``g`` may lie past its end), else None."""
        k = bisect.bisect_right(self._g_starts[build], g) - 1
        return self.exons[build][k] if k >= 0 else None

    def exon_at(self, build: Build, g: int) -> Exon | None:
        ex = self._exon_from(build, g)
        return ex if ex is not None and g < ex.g_end else None

    def intron_at(self, build: Build, g: int) -> int | None:
        """Intron number (1-based) containing genomic index ``g``, else None."""
        exons = self.exons[build]
        for up, down in zip(exons, exons[1:]):
            if up.g_end <= g < down.g_start:
                return up.number
        return None

    def to_tx(self, build: Build, g: int) -> TxPoint | None:
        """Transcript point for genomic index ``g`` (None outside the transcript span)."""
        exons = self.exons[build]
        i = bisect.bisect_right(self._g_starts[build], g) - 1     # the exon at or before g
        if i >= 0:
            ex = exons[i]
            if g < ex.g_end:
                return TxPoint(ex.tx_start + g - ex.g_start)
            if i + 1 < len(exons):             # g lies in the intron after exon i
                nxt = exons[i + 1]
                up = g - ex.g_end + 1          # distance from the last exonic base
                down = nxt.g_start - g         # distance to the next exon's first base
                # HGVS: the intron's middle base takes the "+" side.
                if up <= down:
                    return TxPoint(ex.tx_end - 1, up)
                return TxPoint(nxt.tx_start, -down)
        return None

    def to_genome(self, build: Build, point: TxPoint) -> int:
        for ex in self.exons[build]:
            if ex.tx_start <= point.index < ex.tx_end:
                if point.offset > 0 and point.index != ex.tx_end - 1:
                    raise MalformedRecordError(
                        f"intronic offset +{point.offset} must follow the last base of an exon "
                        f"(exon {ex.number} ends at {self.to_cpos(TxPoint(ex.tx_end - 1))})")
                if point.offset < 0 and point.index != ex.tx_start:
                    raise MalformedRecordError(
                        f"intronic offset {point.offset} must precede the first base of an exon "
                        f"(exon {ex.number} starts at {self.to_cpos(TxPoint(ex.tx_start))})")
                return ex.g_start + point.index - ex.tx_start + point.offset
        raise MalformedRecordError(f"position outside {self.accession} (1..{len(self.mrna)})")

    def to_cpos(self, point: TxPoint) -> CPos:
        if point.index < self.cds_start:
            return CPos(point.index - self.cds_start, point.offset)
        if point.index >= self.cds_end:
            return CPos(point.index - self.cds_end + 1, point.offset, utr3=True)
        return CPos(point.index - self.cds_start + 1, point.offset)

    def from_cpos(self, c: CPos) -> TxPoint:
        if c.utr3:
            index = self.cds_end + c.base - 1
        elif c.base < 0:
            index = self.cds_start + c.base
        else:
            index = self.cds_start + c.base - 1
        if not 0 <= index < len(self.mrna):
            raise MalformedRecordError(f"c.{c} lies outside {self.accession}")
        return TxPoint(index, c.offset)

    def exon_of_tx(self, index: int) -> Exon:
        for ex in self.exons[Build.GRCh38]:
            if ex.tx_start <= index < ex.tx_end:
                return ex
        raise MalformedRecordError(f"transcript index {index} outside {self.accession}")


def _read_fasta(name: str) -> str:
    lines = (_DATA / name).read_text().splitlines()
    return "".join(line.strip() for line in lines if not line.startswith(">"))


def _read_exons(name: str) -> tuple[Exon, ...]:
    exons = []
    for line in (_DATA / name).read_text().splitlines():
        if line.startswith("#") or line.startswith("ord"):
            continue
        f = line.split("\t")
        exons.append(Exon(int(f[0]) + 1, int(f[1]), int(f[2]), int(f[4]), int(f[5])))
    return tuple(exons)


@functools.cache
def erbb2() -> Transcript:
    """NM_004448.4, loaded once from the bundled data (see genome/data/SOURCES.md)."""
    info = json.loads((_DATA / "NM_004448.4_tx_info.json").read_text())
    mrna = _read_fasta("NM_004448.4.fa")
    protein = _read_fasta("NP_004439.2.fa")
    tx = Transcript(
        accession=info["tx_ac"], protein_accession=info["protein_ac"], gene=info["hgnc"],
        mrna=mrna, cds_start=info["cds_start_i"], cds_end=info["cds_end_i"], protein=protein,
        exons={build: _read_exons(name) for build, name in _EXON_FILES.items()},
    )
    # The bundle must agree with itself: CDS translates to NP_004439.2 and ends at a stop.
    if translate(tx.cds) != protein + "*":
        raise RuntimeError("bundled NM_004448.4 CDS does not translate to NP_004439.2")
    return tx


def overlaps_erbb2(build: Build, start: int, end: int) -> bool:
    """Does chr17 [start, end) (0-based, half-open) touch NM_004448.4 on ``build``?"""
    return erbb2().overlaps(build, start, end)
