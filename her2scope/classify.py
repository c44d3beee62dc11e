"""ERBB2 alteration class and oncogenicity, with the rule that decided and its evidence.

Oncogenicity follows the ClinGen/CGC/VICC SOP (Horak et al. 2022) in two steps:
1. a curated knowledge-base entry for the exact protein change decides, when there is one;
2. otherwise the SOP's points are added up from the codes her2scope can establish from its
   own data: hotspot counts (OS3/OM3/OP3, cancerhotspots.org v2), in-frame length change in
   an oncogene (OM2), another curated oncogenic missense at the same residue (OM4), silent
   change outside the splice region (SBP2), and class-wide codes from the knowledge base.
No evidence means 0 points: ``uncertain_significance``, never a confident default.
"""

from __future__ import annotations

from dataclasses import dataclass

from .consequence import Consequence
from .genome.transcript import erbb2
from .hgvs.protein import ProteinChange
from .knowledge.loader import Evidence, KnowledgeBase

HOTSPOT_CITATION = "cancerhotspots:v2"
SOP_STRONG_HOTSPOT_SAMPLES = 50   # OS3 vs OM3: samples with any change at the residue
SOP_HOTSPOT_CHANGE_SAMPLES = 10   # OS3/OM3 vs OP3: samples with this exact change


@dataclass(frozen=True, slots=True)
class Classification:
    alteration_class: str
    oncogenicity: str
    rule: str
    vicc_codes: tuple[str, ...]
    vicc_points: int
    evidence: tuple[Evidence, ...]
    knowledge_version: str


def exon_residues(exon_number: int) -> tuple[int, int]:
    """First and last codon (1-based) that an exon of NM_004448.4 contributes to."""
    tx = erbb2()
    ex = next(e for e in tx.exons[next(iter(tx.exons))] if e.number == exon_number)
    first = max(ex.tx_start, tx.cds_start) - tx.cds_start
    last = min(ex.tx_end, tx.cds_end) - 1 - tx.cds_start
    return first // 3 + 1, last // 3 + 1


def alteration_class(change: ProteinChange | None, kb: KnowledgeBase, *,
                     splice_unknown: bool = False) -> str:
    if splice_unknown:
        return "splice"
    if change is None:
        return "other"
    kind = change.kind
    if kind in ("nonsense", "fs") or (kind == "delins" and change.alt.endswith("*")):
        return "truncating"        # a delins ending in Ter (p.Leu755_Arg756delinsSerTer) too
    if kind == "synonymous":
        return "synonymous"
    lo, hi = exon_residues(20)
    if kind in ("ins", "dup", "delins") and change.length_change > 0 and lo <= change.start <= hi:
        return "exon20_insertion_yvma" if change.short == "p.Y772_A775dup" else "exon20_insertion_other"
    domain = kb.domain_at(change.start)
    domain_id = domain.id if domain else None
    if kind == "missense":
        if domain_id == "kinase":
            return "kinase_domain_missense"
        if domain_id and domain_id.startswith("extracellular"):
            return "extracellular_missense"
        if domain_id in ("transmembrane", "juxtamembrane"):
            return "transmembrane_juxtamembrane_missense"
    if domain_id == "kinase" and (kind == "del" or (kind == "delins" and change.length_change < 0)):
        # A net in-frame loss that replaces the deleted stretch (p.Leu755_Glu757delinsSer,
        # p.Met774_Gly776delinsIle) is an in-frame kinase deletion as much as p.L755_T759del.
        return "kinase_domain_inframe_deletion"
    return "other"


def _hotspot_codes(change: ProteinChange, kb: KnowledgeBase) -> list[tuple[str, Evidence]]:
    if change.kind not in ("missense", "dup", "ins", "del", "delins"):
        return []
    for h in kb.hotspots_at(change.start):
        if h.change != change.short:
            continue
        if h.change_count >= SOP_HOTSPOT_CHANGE_SAMPLES:
            code = "OS3" if h.position_count >= SOP_STRONG_HOTSPOT_SAMPLES else "OM3"
        else:
            code = "OP3"
        text = (f"cancerhotspots.org v2 lists {h.change} as a hotspot (q={h.qvalue}): "
                f"{h.position_count} tumours changed at residue {h.residue}, {h.change_count} "
                f"with this exact change ({code})")
        return [(code, Evidence(text, (HOTSPOT_CITATION,), code))]
    return []


def classify(change: ProteinChange | None, consequences: frozenset[Consequence],
             kb: KnowledgeBase, *, splice_unknown: bool = False) -> Classification:
    cls = alteration_class(change, kb, splice_unknown=splice_unknown)
    class_info = kb.classes.get(cls)
    computed: list[tuple[str, Evidence]] = []
    if change is not None:
        computed += _hotspot_codes(change, kb)
        if change.kind in ("del", "ins", "dup", "delins") and change.length_change:
            computed.append(("OM2", Evidence(
                "in-frame change of protein length in ERBB2, an established oncogene (OM2)",
                (kb.sop_citation,), "OM2")))
        if change.kind == "missense":
            for other in kb.variants.values():
                if (other.oncogenicity == "oncogenic" and other.protein_change != change.short
                        and _missense_residue(other.protein_change) == change.start):
                    computed.append(("OM4", Evidence(
                        f"a different missense change at residue {change.start} "
                        f"({other.protein_change}) is curated as oncogenic (OM4)",
                        (kb.sop_citation,), "OM4")))
                    break
        if cls == "synonymous" and Consequence.SPLICE_REGION not in consequences:
            computed.append(("SBP2", Evidence(
                "silent change outside the splice region, no predicted splicing impact (SBP2)",
                (kb.sop_citation,), "SBP2")))
    if class_info:
        computed += [(e.code or "", e) for e in class_info.codes if e.code]

    curated = kb.curated(change.short if change else None)
    class_evidence = (class_info.evidence,) if class_info else ()
    if curated is not None:
        codes = tuple(dict.fromkeys(list(curated.vicc_codes) + [c for c, _ in computed]))
        points = sum(kb.points.get(c, 0) for c in codes)
        return Classification(
            cls, curated.oncogenicity, f"curated_variant:{curated.protein_change}", codes, points,
            curated.evidence + tuple(e for _, e in computed) + class_evidence, kb.version)
    codes = tuple(dict.fromkeys(c for c, _ in computed))
    points = sum(kb.points.get(c, 0) for c in codes)
    verdict = kb.classify_points(points)
    if not codes:
        rule = "no_evidence"
        note = Evidence(
            "no curated entry and no VICC SOP code applies: oncogenicity is uncertain",
            (kb.sop_citation,))
        evidence = (note,) + class_evidence
    else:
        rule = f"vicc_points:{points}"
        evidence = tuple(e for _, e in computed) + class_evidence
    return Classification(cls, verdict, rule, codes, points, evidence, kb.version)


def _missense_residue(short: str) -> int | None:
    """Residue of a one-letter missense short form (``p.S310F`` -> 310), else None."""
    body = short[2:]
    if len(body) >= 3 and body[0].isalpha() and body[-1].isalpha() and body[1:-1].isdigit():
        return int(body[1:-1])
    return None
