"""Genomic allele -> named, located ERBB2 variant (HGVS g./c./p., consequence, exon, domain)."""

from __future__ import annotations

from dataclasses import dataclass

from .consequence import Consequence, joined
from .errors import MalformedRecordError, ReferenceMismatchError
from .genome.builds import Build
from .genome.reference import ReferenceProvider, is_derived
from .genome.transcript import Transcript, TxPoint, erbb2
from .genome.transcript import overlaps_erbb2  # noqa: F401  (moved to genome/; re-exported for callers)
from .genome.translate import reverse_complement, translate
from .hgvs.dna import describe
from .hgvs.protein import ProteinChange, compare, ends_at_new_stop, frameshift
from .normalize import Normalized, normalize
from .variant import GenomicAllele

SPLICE_REGION_EXONIC = 3      # exonic bases next to an intron that count as splice region
SPLICE_REGION_INTRONIC = 8    # intronic bases 3..8 count as splice region (VEP's definition)


@dataclass(frozen=True, slots=True)
class ProteinEffect:
    consequences: frozenset[Consequence]
    change: ProteinChange | None      # None: no protein description (UTR, intron)
    unknown: bool = False             # p.? (canonical splice site)


@dataclass(frozen=True, slots=True)
class Annotation:
    build: Build
    normalized: Normalized
    hgvs_g: str
    hgvs_c: str
    effect: ProteinEffect
    exon: int | None
    intron: int | None
    reference_checked: bool
    notes: tuple[str, ...] = ()

    @property
    def hgvs_p(self) -> str | None:
        tx = erbb2()
        if self.effect.unknown:
            return f"{tx.protein_accession}:p.?"
        if self.effect.change is None:
            return None
        return f"{tx.protein_accession}:p.({self.effect.change.hgvs})"

    @property
    def protein_change(self) -> str | None:
        if self.effect.unknown:
            return "p.?"
        return self.effect.change.short if self.effect.change else None

    @property
    def consequence(self) -> str:
        return joined(set(self.effect.consequences))


def check_reference(allele: GenomicAllele, ref: ReferenceProvider, alt: str, *,
                    where: str, what: str = "REF") -> bool:
    """True when REF was verified, False when the reference does not know those bases.

    A mismatch raises ReferenceMismatchError naming the likely cause; the message names what was
    checked (``what``: a VCF REF, or the bases an HGVS expression spells out).
    """
    if not allele.ref:
        return True
    expected = ref.sequence(allele.build, allele.start, allele.end)
    if expected is None:
        return False
    if expected == allele.ref.upper():
        return True
    causes = []
    other = allele.build.other
    # The same coordinates read on the other build (a header or --build naming the wrong one).
    if ref.sequence(other, allele.start, allele.end) == allele.ref.upper():
        causes.append(f"wrong genome build: the coordinates look like {other.value} "
                      f"(REF matches {other.value} at chr17:{allele.start + 1})")
    if reverse_complement(allele.ref.upper()) == expected:
        causes.append("wrong strand: REF is the reverse complement of the reference")
    if alt and alt.upper() == expected:
        causes.append("REF and ALT swapped: ALT is the reference allele (a germline or "
                      "alternate-haplotype allele written as REF?)")
    for delta, label in ((-1, "one base to the left"), (1, "one base to the right")):
        if ref.sequence(allele.build, allele.start + delta, allele.end + delta) == allele.ref.upper():
            causes.append(f"off by one: REF matches {label} (0-based coordinates?)")
    if is_derived(ref, allele.build, allele.start, allele.end):
        causes.append("the GRCh37 intronic reference here is derived from GRCh38 by liftover, "
                      "not verified: pass --reference GENOME.fa (GRCh37) to check against it")
    if not causes:
        causes.append("no simple explanation: check the genome build, the reference FASTA "
                      "and the caller's output")
    raise ReferenceMismatchError(
        f"{where}: {what} {allele.ref} does not match the {allele.build.value} reference "
        f"{expected} at chr17:{allele.start + 1}; likely cause: {'; '.join(causes)}",
        expected=expected, observed=allele.ref, likely_causes=tuple(causes))


def annotate(allele: GenomicAllele, ref: ReferenceProvider, *, reference_checked: bool = True,
             padding: tuple[int, str] | None = None) -> Annotation:
    tx = erbb2()
    build = allele.build
    norm = normalize(allele, ref, padding=padding)
    right = norm.right
    if not right.ref and not right.alt:
        # HGVS "=": nothing changed.  There is no edit to name (the empty allele would come out
        # as an impossible range such as c.929_928dup), so this is not a variant record.
        raise MalformedRecordError(
            f"{allele}: REF and ALT describe the same sequence (no change to name)")
    hgvs_g = f"{build.chr17_accession}:g.{describe(right, ref, lambda i: str(i + 1))}"

    def c_pos(i: int) -> str:
        return str(tx.to_cpos(_tx_point(tx, build, i)))

    c_edit = describe(right, ref, c_pos)
    placed = right
    notes: tuple[str, ...] = ()
    if not _keeps_introns(tx, right) and _keeps_introns(tx, norm.left):
        placed = norm.left          # the 3' rule crossed an exon edge: see _keeps_introns
        notes = (f"the 3' rule names this c.{c_edit}, across the exon/intron border; the "
                 f"changed sequence equals c.{describe(placed, ref, c_pos)}, which keeps the "
                 "splice site intact, so the protein change is predicted from that placement",)
    effect = predict_effect(tx, placed)
    if placed is not right:
        effect = ProteinEffect(effect.consequences | {Consequence.SPLICE_REGION}, effect.change,
                               effect.unknown)
    first = placed.start if placed.ref else placed.start - 1
    exon = tx.exon_at(build, first)
    return Annotation(
        build=build, normalized=norm, hgvs_g=hgvs_g, hgvs_c=f"{tx.accession}:c.{c_edit}",
        effect=effect, exon=exon.number if exon else None,
        intron=None if exon else tx.intron_at(build, first),
        reference_checked=reference_checked, notes=notes,
    )


def _keeps_introns(tx: Transcript, allele: GenomicAllele) -> bool:
    """True when this placement changes only exonic bases: every deleted base is exonic, or an
    insertion has an exonic base on at least one side (between two exonic bases, or exactly at
    an exon/intron junction, where the intron stays whole beside the new bases).

    Why it matters: the HGVS 3' rule can carry an exonic indel across an exon/intron border
    (deleting the G of AAG|gt is named c.2493+1del).  The changed sequence is the same wherever
    the edit is placed, and with an exonic placement the whole intron, splice site included, is
    still there, so the protein is the exonic edit's (as VEP predicts it), plus
    splice_region_variant for the changed exon edge.
    """
    if not allele.ref:
        return any(tx.exon_at(allele.build, g) for g in (allele.start - 1, allele.start))
    return all(tx.exon_at(allele.build, g) for g in range(allele.start, allele.end))


def _tx_point(tx: Transcript, build: Build, g: int) -> TxPoint:
    point = tx.to_tx(build, g)
    if point is None:
        raise ReferenceMismatchError(f"chr17:{g + 1} lies outside {tx.accession}")
    return point


def predict_effect(tx: Transcript, allele: GenomicAllele) -> ProteinEffect:
    build = allele.build
    insertion = not allele.ref
    genomic = [allele.start - 1, allele.start] if insertion else list(range(allele.start, allele.end))
    points = [_tx_point(tx, build, g) for g in genomic]
    offsets = [p.offset for p in points]
    junction = insertion and offsets in ([0, 1], [-1, 0])
    if junction:
        # Inserted exactly between an exon's edge base and its intron: the whole intron, splice
        # dinucleotide included, stays intact beside the new bases, so they join the exon
        # (c.2307_2307+1insA lengthens exon 19 by one base).
        index = points[0].index + 1 if offsets == [0, 1] else points[1].index
        points = [TxPoint(index - 1), TxPoint(index)]
    elif any(offsets):
        return _intronic_effect(offsets, insertion)
    first, last = points[0].index, points[-1].index
    terms: set[Consequence] = set()
    if junction or _near_exon_edge(tx, first) or _near_exon_edge(tx, last):
        terms.add(Consequence.SPLICE_REGION)
    t0, t1 = (last, last) if insertion else (first, last + 1)
    if t1 <= tx.cds_start or (insertion and t0 <= tx.cds_start):
        return ProteinEffect(frozenset(terms | {Consequence.UTR5}), None)
    if t0 >= tx.cds_end:
        return ProteinEffect(frozenset(terms | {Consequence.UTR3}), None)
    if t0 < tx.cds_start + 3:
        # Deletions/substitutions touching c.1..c.3, and insertions between c.1 and c.3
        # (e.g. c.1dup, the 3'-shifted form of c.-1_1insA): Met1 changed -> p.(Met1?).
        alt_start = tx.mrna[:t0] + allele.alt + tx.mrna[t1:]
        if t0 < tx.cds_start or alt_start[tx.cds_start:tx.cds_start + 3] != "ATG":
            return ProteinEffect(frozenset(terms | {Consequence.START_LOST}),
                                 ProteinChange("start_lost", 1, 1, "M"))
    ref_protein = tx.protein_with_stop
    delta = len(allele.alt) - len(allele.ref)
    if "N" in allele.alt.upper():
        # An unknown base cannot establish a protein change: p.? (never "p.S310X", which
        # reads as the legacy stop symbol), and no missense class.
        return ProteinEffect(frozenset(terms | {Consequence.CODING_SEQUENCE}), None, unknown=True)
    alt_protein = _alt_protein(tx, allele.alt, t0, t1, delta)
    same_before = max(0, (t0 - tx.cds_start) // 3)       # codons before the change are the reference's
    if delta % 3 and t0 < tx.cds_end:
        change = frameshift(ref_protein, alt_protein, same_before)
        if change.kind == "synonymous":
            # The shifted frame still reads a stop at the stop codon: p.(Ter1256=).
            terms.add(Consequence.STOP_RETAINED)
        else:
            terms.add(Consequence.FRAMESHIFT)
            if change.kind == "nonsense":        # HGVS p.(Tyr4Ter), not p.(Tyr4TerfsTer1)
                terms.add(Consequence.STOP_GAINED)
            elif change.kind == "ext":           # the stop codon itself was read through
                terms.add(Consequence.STOP_LOST)
        return ProteinEffect(frozenset(terms), change)
    change = compare(ref_protein, alt_protein, first_changed_codon=same_before + 1,
                     new_stop=ends_at_new_stop(ref_protein, alt_protein, delta // 3), same_before=same_before)
    terms.add(_consequence_of(change, delta))
    if t1 > tx.cds_end - 3 and len(alt_protein) > len(ref_protein):
        # An in-frame change that destroys the stop codon and lets translation run on
        # (e.g. c.3764_3766del, named as a delins of the last residue): stop_lost as well.
        terms.add(Consequence.STOP_LOST)
    return ProteinEffect(frozenset(terms), change)


def _alt_protein(tx: Transcript, alt: str, t0: int, t1: int, delta: int) -> str:
    """Translation of the transcript with mRNA [t0, t1) replaced by ``alt``, up to its first stop.

    Codons before the change are the reference's.  For an in-frame change that leaves the
    stop codon alone, codons after the changed ones are the reference's too, so only the
    changed stretch is built and translated (the engine's hot path); otherwise translate to
    the end. The changed mRNA is built from the changed codon on, never as a whole.
    """
    mrna = tx.mrna
    k = (t0 - tx.cds_start) // 3
    start = tx.cds_start + 3 * k
    if delta % 3 == 0 and t1 <= tx.cds_end - 3:
        k_end = max(k + 1, -(-(t1 - tx.cds_start) // 3))      # ceil: first untouched codon
        length = 3 * (k_end - k) + delta
        window = translate((mrna[start:t0] + alt + mrna[t1:t1 + length])[:length], to_stop=True)
        if window.endswith("*"):
            return tx.protein[:k] + window
        return tx.protein[:k] + window + tx.protein[k_end:] + "*"
    return tx.protein[:k] + translate(mrna[start:t0] + alt + mrna[t1:], to_stop=True)


def _consequence_of(change: ProteinChange, delta: int) -> Consequence:
    kind = change.kind
    if kind == "synonymous":
        return Consequence.STOP_RETAINED if change.ref == "*" else Consequence.SYNONYMOUS
    if kind == "missense":
        return Consequence.MISSENSE
    if kind == "nonsense":
        return Consequence.STOP_GAINED
    if kind == "ext":
        return Consequence.STOP_LOST
    if kind == "start_lost":
        return Consequence.START_LOST
    if kind in ("ins", "dup"):
        return Consequence.INFRAME_INSERTION
    if kind == "del":
        return Consequence.INFRAME_DELETION
    if "*" in change.alt:
        return Consequence.STOP_GAINED
    if delta > 0:
        return Consequence.INFRAME_INSERTION
    if delta < 0:
        return Consequence.INFRAME_DELETION
    return Consequence.MISSENSE


def _near_exon_edge(tx: Transcript, index: int) -> bool:
    return index in _exon_edge_indices(tx)


_EDGES: dict[int, tuple[Transcript, frozenset[int]]] = {}   # id(transcript) -> (it, its indices)


def _exon_edge_indices(tx: Transcript) -> frozenset[int]:
    """The mRNA indices within SPLICE_REGION_EXONIC bases of an exon edge that borders an
    intron, computed once per transcript (a Transcript holds a dict: not hashable)."""
    known = _EDGES.get(id(tx))
    if known is not None and known[0] is tx:
        return known[1]
    exons = tx.exons[Build.GRCh38]
    near: set[int] = set()
    for k, ex in enumerate(exons):
        if k > 0:
            near.update(range(ex.tx_start, min(ex.tx_start + SPLICE_REGION_EXONIC, ex.tx_end)))
        if k < len(exons) - 1:
            near.update(range(max(ex.tx_end - SPLICE_REGION_EXONIC, ex.tx_start), ex.tx_end))
    _EDGES[id(tx)] = (tx, frozenset(near))
    return _EDGES[id(tx)][1]


def _intronic_effect(offsets: list[int], insertion: bool) -> ProteinEffect:
    intronic = [o for o in offsets if o]
    if insertion:
        core = all(o and abs(o) <= 2 for o in offsets)
    else:
        core = any(abs(o) <= 2 for o in intronic)
    if core:
        if insertion:
            donor, acceptor = intronic[0] > 0, intronic[0] < 0
        else:
            # A deletion can hit both dinucleotides (e.g. a whole intron): list each one hit.
            donor = any(0 < o <= 2 for o in intronic)
            acceptor = any(-2 <= o < 0 for o in intronic)
        terms = ({Consequence.SPLICE_DONOR} if donor else set()) | (
            {Consequence.SPLICE_ACCEPTOR} if acceptor else set())
        return ProteinEffect(frozenset(terms), None, unknown=True)
    terms = {Consequence.INTRON}
    if any(abs(o) <= SPLICE_REGION_INTRONIC for o in intronic):
        terms.add(Consequence.SPLICE_REGION)
    return ProteinEffect(frozenset(terms), None)
