"""ERBB2 alteration class and oncogenicity, with the rule that decided, its evidence and the SOP points.

Oncogenicity follows the ClinGen/CGC/VICC SOP (Horak et al. 2022) in three steps:
1. a curated knowledge-base entry for the exact protein change decides, when there is one;
2. otherwise a class rule of the knowledge base (v2: exon 20 insertion region, L755-T759 deletions,
   a missense at a residue with a curated oncogenic missense), each narrow and cited;
3. otherwise the SOP's points decide.
The SOP codes are computed for every call, also when a curated entry or a rule decides, so the
points are always shown: hotspot counts at residue and amino-acid level (OS3/OM3/OP3,
cancerhotspots.org v2), critical region (OM1), in-frame length change in an oncogene (OM2), a
different curated oncogenic missense at the residue with at least as large a change (OM4), silent
change outside the splice region (SBP2), and the curated entry's functional (OS2 at the item's
strength, SBS2) and population (SBVS1/SBS1/OP4) evidence. No population table is bundled, so for
other variants the population criterion is reported as not assessed, never guessed.
No evidence means 0 points: ``uncertain_significance``, never a confident default.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .consequence import Consequence
from .genome.transcript import erbb2
from .hgvs.protein import ProteinChange
from .knowledge import grantham
from .knowledge.loader import ClassRule, CuratedVariant, Evidence, KnowledgeBase
from .vocabulary import EvidenceType, Oncogenicity, RuleKind

HOTSPOT_CITATION = "cancerhotspots:v2"
SOP_STRONG_HOTSPOT_SAMPLES = 50   # OS3 vs OM3: samples with any change at the residue
SOP_HOTSPOT_CHANGE_SAMPLES = 10   # OS3/OM3 vs OP3: samples with this exact change
POPULATION_NOT_ASSESSED = ("population criterion (OP4/SBS1/SBVS1) not assessed: no population allele "
                           "frequency for this variant is bundled with the knowledge base")
PROTEIN_KINDS = ("missense", "ins", "dup", "del", "delins")


@dataclass(frozen=True, slots=True)
class Classification:
    alteration_class: str
    oncogenicity: str
    rule: str
    vicc_codes: tuple[str, ...]
    vicc_points: int
    evidence: tuple[Evidence, ...]
    knowledge_version: str
    notes: tuple[str, ...] = ()
    review: tuple[str, ...] = ()     # why an uncertain call deserves a tumour-board look (where it lies)

    @property
    def activating(self) -> bool:
        return Oncogenicity(self.oncogenicity).activating


@functools.cache       # per variant, on the fixed bundled transcript
def exon_residues(exon_number: int) -> tuple[int, int]:
    """First and last codon (1-based) that an exon of NM_004448.4 contributes to."""
    tx = erbb2()
    ex = next(e for e in tx.exons[next(iter(tx.exons))] if e.number == exon_number)
    first = max(ex.tx_start, tx.cds_start) - tx.cds_start
    last = min(ex.tx_end, tx.cds_end) - 1 - tx.cds_start
    return first // 3 + 1, last // 3 + 1


def _truncating(change: ProteinChange) -> bool:
    return change.kind in ("nonsense", "fs") or (change.kind == "delins" and change.alt.endswith("*"))


def alteration_class(change: ProteinChange | None, kb: KnowledgeBase, *,
                     splice_unknown: bool = False) -> str:
    if splice_unknown:
        return "splice"
    if change is None:
        return "other"
    kind = change.kind
    if _truncating(change):
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


# --- SOP codes ------------------------------------------------------------------------------------

def _hotspot_codes(change: ProteinChange, kb: KnowledgeBase) -> list[tuple[str, Evidence]]:
    """OS3/OM3/OP3 from both counts the SOP names: tumours changed at the residue (or indel
    region) and tumours with this exact amino-acid change. A change at a hotspot residue that
    the table does not list has fewer than 10 (none listed): OP3."""
    if change.kind not in PROTEIN_KINDS or _truncating(change):
        return []
    indel = change.kind != "missense"
    if indel:
        rows = [h for h in kb.hotspots_overlapping(change.start, change.end) if h.indel]
    else:
        rows = [h for h in kb.hotspots_overlapping(change.start, change.start) if not h.indel]
    if not rows:
        return []
    exact = next((h for h in rows if h.change == change.short), None)
    residue_n = max(h.position_count for h in rows)
    where = f"residue {change.start}" if not indel else f"indel region {rows[0].residue}"
    if exact is not None and exact.change_count >= SOP_HOTSPOT_CHANGE_SAMPLES:
        code = "OS3" if residue_n >= SOP_STRONG_HOTSPOT_SAMPLES else "OM3"
        why = (f"{'at least' if code == 'OS3' else 'fewer than'} {SOP_STRONG_HOTSPOT_SAMPLES} at the "
               f"{'residue' if not indel else 'region'}, at least {SOP_HOTSPOT_CHANGE_SAMPLES} with this change")
    else:
        code = "OP3"
        why = f"this exact change in fewer than {SOP_HOTSPOT_CHANGE_SAMPLES} tumours"
    count = exact.change_count if exact else 0
    listed = f"{count} with this exact change" if exact else "this exact change is not among its listed changes"
    text = (f"cancerhotspots.org v2: {where} is a hotspot (q={rows[0].qvalue}) with {residue_n} tumours changed "
            f"there; {listed} ({code}: {why})")
    return [(code, Evidence(text, (HOTSPOT_CITATION,), code))]


def _om4(change: ProteinChange, kb: KnowledgeBase) -> tuple[list[CuratedVariant], list[str]]:
    """Curated oncogenic missense changes at the residue that satisfy OM4's amino-acid-difference
    condition (Grantham), and notes for those that do not."""
    ok: list[CuratedVariant] = []
    notes: list[str] = []
    if change.kind != "missense" or change.alt not in grantham.PROPERTIES:
        return ok, notes
    new = grantham.distance(change.ref, change.alt)
    for other, alt in kb.curated_missense_at(change.start):
        if other.protein_change == change.short or other.oncogenicity != Oncogenicity.oncogenic:
            continue
        known = grantham.distance(change.ref, alt)
        if new >= grantham.APPROXIMATELY * known:
            ok.append(other)
        else:
            notes.append(f"OM4 not applied: {change.short} changes residue {change.start} less than the curated "
                         f"oncogenic {other.protein_change} (Grantham distance {new} vs {known})")
    return ok, notes


def _sop_codes(change: ProteinChange, consequences: frozenset[Consequence], kb: KnowledgeBase,
               cls: str) -> tuple[list[tuple[str, Evidence]], list[str]]:
    computed = _hotspot_codes(change, kb)
    notes: list[str] = []
    if change.kind in PROTEIN_KINDS and not _truncating(change):
        region = kb.critical_at(change.start, change.end)
        if region is not None:
            computed.append(("OM1", Evidence(
                f"lies in {region.label} ({region.start}-{region.end}), a critical region of the protein (OM1): "
                f"{region.statement}", region.citations, "OM1")))
    if change.kind in ("del", "ins", "dup", "delins") and change.length_change and cls != "truncating":
        computed.append(("OM2", Evidence(
            "in-frame change of protein length in ERBB2, an established oncogene (OM2)",
            (kb.sop_citation,), "OM2")))
    om4, om4_notes = _om4(change, kb)
    notes += om4_notes
    if om4:
        names = ", ".join(v.protein_change for v in om4)
        computed.append(("OM4", Evidence(
            f"a different missense change at residue {change.start} ({names}) is curated oncogenic, and "
            f"{change.short} changes the residue at least about as much (Grantham distance) (OM4)",
            (kb.sop_citation, "DOI:10.1126/science.185.4154.862") if kb.generation >= 2 else (kb.sop_citation,),
            "OM4")))
    if cls == "synonymous" and Consequence.SPLICE_REGION not in consequences:
        computed.append(("SBP2", Evidence(
            "silent change outside the splice region, no predicted splicing impact (SBP2)",
            (kb.sop_citation,), "SBP2")))
    return computed, notes


def _family(code: str) -> str:
    return code.partition("_")[0]


def _total(codes: list[str], kb: KnowledgeBase) -> tuple[tuple[str, ...], int]:
    """One code per SOP criterion (the strongest application of OS2), and the summed points."""
    best: dict[str, str] = {}
    for c in codes:
        f = _family(c)
        if f not in best or kb.code_points(c) > kb.code_points(best[f]):
            best[f] = c
    ordered = tuple(best[_family(c)] for c in dict.fromkeys(codes) if best.get(_family(c)) == c)
    return ordered, sum(kb.code_points(c) for c in ordered)


# --- class rules ---------------------------------------------------------------------------------

def _in_region(rule: ClassRule, change: ProteinChange) -> bool:
    return rule.start is not None and rule.end is not None and rule.start <= change.start and change.end <= rule.end


_EXCEPTIONS: dict[int, tuple[ClassRule, frozenset[str]]] = {}   # id(rule) -> (it, its exceptions)


def _exceptions(rule: ClassRule) -> frozenset[str]:
    """The protein changes a rule excepts, gathered once per rule (they are asked per variant)."""
    known = _EXCEPTIONS.get(id(rule))
    if known is None or known[0] is not rule:
        known = _EXCEPTIONS[id(rule)] = (rule, frozenset(p for x in rule.exceptions for p in x.protein_changes))
    return known[1]


# The change kinds each rule kind can cover (a rule of another kind covers nothing).
_RULE_CHANGE_KINDS = {RuleKind.inframe_gain_in_region: ("ins", "dup", "delins"),
                      RuleKind.inframe_loss_in_region: ("del", "delins"),
                      RuleKind.missense_at_activating_residue: ("missense",)}


def apply_rule(rule: ClassRule, change: ProteinChange, kb: KnowledgeBase,
               codes: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """(call, notes) when ``rule`` covers ``change`` (which has no curated entry), else None."""
    if change.kind not in _RULE_CHANGE_KINDS.get(rule.kind, ()):
        return None                  # the cheap test first: most variants meet no rule of their kind
    if change.short in _exceptions(rule) or _truncating(change):
        return None
    gain = change.length_change
    if rule.kind is RuleKind.inframe_gain_in_region:
        if change.kind in ("ins", "dup", "delins") and 0 < gain <= (rule.max_residues or gain) and _in_region(rule, change):
            return rule.call.value, []
        return None
    if rule.kind is RuleKind.inframe_loss_in_region:
        if (change.kind == "del" or (change.kind == "delins" and gain < 0)) and -gain <= (rule.max_residues or -gain) \
                and _in_region(rule, change):
            return rule.call.value, []
        return None
    if rule.kind is RuleKind.missense_at_activating_residue:
        if change.kind != "missense" or "OM4" not in codes:
            return None
        benign = [v.protein_change for v, _ in kb.curated_missense_at(change.start)
                  if Oncogenicity(v.oncogenicity).benign_side]
        if benign:
            return None
        if {"OS3", "OM3"} & set(codes):
            return rule.call.value, []
        return Oncogenicity.uncertain_significance.value, [
            f"{change.short}: a different missense at residue {change.start} is curated oncogenic (OM4), but this "
            f"exact change is not seen in at least {SOP_HOTSPOT_CHANGE_SAMPLES} tumours of the hotspot table, so "
            "the residue rule keeps it uncertain (VUS)"]
    return None


# --- the call ------------------------------------------------------------------------------------

def _review(change: ProteinChange | None, kb: KnowledgeBase) -> tuple[str, ...]:
    """Where an uncertain protein change lies that makes it worth a tumour-board look."""
    if change is None or change.kind not in PROTEIN_KINDS or _truncating(change):
        return ()
    out = []
    domain = kb.domain_at(change.start)
    if domain is not None and domain.id == "kinase":
        out.append("in the tyrosine kinase domain")
    if any(h.indel or change.kind == "missense" for h in kb.hotspots_overlapping(change.start, change.end)):
        out.append("at a cancerhotspots.org hotspot residue")
    lo, hi = exon_residues(20)
    if lo <= change.start <= hi:
        out.append("in exon 20")
    return tuple(out)


def vus_note(change_name: str, review: tuple[str, ...]) -> str:
    return (f"{change_name} is of uncertain significance but lies {', '.join(review)}: not a dead end. "
            "A molecular tumour board should (1) review the evidence for this exact change (functional studies, "
            "case reports, the primary papers behind other knowledge bases); (2) check trials that enrol any "
            "ERBB2 mutation; (3) re-check the result when the knowledge base is updated (the registry's "
            "'knowledge update changes result' worklist re-classifies stored results).")


def classify(change: ProteinChange | None, consequences: frozenset[Consequence],
             kb: KnowledgeBase, *, splice_unknown: bool = False) -> Classification:
    cls = alteration_class(change, kb, splice_unknown=splice_unknown)
    class_info = kb.classes.get(cls)
    computed: list[tuple[str, Evidence]] = []
    notes: list[str] = []
    if change is not None:
        found, notes = _sop_codes(change, consequences, kb, cls)
        computed += found
    if class_info:
        computed += [(e.code or "", e) for e in class_info.codes if e.code]
    class_evidence = (class_info.evidence,) if class_info else ()
    curated = kb.curated(change.short if change else None)
    computed_evidence = tuple(e for _, e in computed)

    if curated is not None:
        codes, points = _total(list(curated.vicc_codes) + [c for c, _ in computed], kb)
        verdict, rule = curated.oncogenicity.value, f"curated_variant:{curated.protein_change}"
        evidence = curated.evidence + computed_evidence + class_evidence
        by_points = kb.classify_points(points)
        if by_points != verdict:
            notes.append(f"VICC points alone: {points} ({by_points.replace('_', ' ')}); the curated call decides "
                         "(see its evidence)")
    else:
        codes, points = _total([c for c, _ in computed], kb)
        verdict = rule = ""
        evidence = computed_evidence + class_evidence
        for r in kb.rules if change is not None else ():
            applied = apply_rule(r, change, kb, codes) if change is not None else None
            if applied is not None:
                verdict, rule_notes = applied
                rule = f"class_rule:{r.id}"
                notes += rule_notes
                evidence = (Evidence(f"class rule {r.id}: {r.statement}", r.evidence[0].citations),) \
                    + r.evidence + computed_evidence + class_evidence
                break
        if not rule:
            verdict = kb.classify_points(points)
            if not codes:
                rule = "no_evidence"
                evidence = (Evidence("no curated entry and no VICC SOP code applies: oncogenicity is uncertain",
                                     (kb.sop_citation,)),) + class_evidence
            else:
                rule = f"vicc_points:{points}"
    if change is not None and change.kind in PROTEIN_KINDS + ("synonymous",) and not _has_population(curated):
        notes.append(POPULATION_NOT_ASSESSED)
    review: tuple[str, ...] = ()
    if verdict == Oncogenicity.uncertain_significance:
        review = _review(change, kb)
        if review and change is not None:   # _review gives nothing without a change
            notes.append(vus_note(change.short, review))
    return Classification(cls, verdict, rule, codes, points, evidence, kb.version, tuple(notes), review)


def _has_population(curated: CuratedVariant | None) -> bool:
    return curated is not None and any(
        e.type == EvidenceType.population or (e.code or "") in ("SBVS1", "SBS1", "OP4") for e in curated.evidence)

