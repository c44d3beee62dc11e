"""Alterations a report states in words (``ngs[].other_alterations``), recognised or kept as written.

Reports name the NSCLC drivers in a handful of ways: "EGFR exon 19 deletion", "EGFR ex19del",
"EGFR p.L858R", "KRAS G12C", "BRAF V600E", "METex14", "MET exon 14 skipping", "MET
amplification", "EML4-ALK fusion", "ALK rearrangement", "KIF5B::RET", "NTRK1 fusion", "ERBB2
amplification". Each phrase becomes one ``StatedAlteration``: a protein change (then judged by
the driver rules like any sequenced record), a named event (exon 19 deletion, exon 20 insertion,
MET exon 14 skipping, a fusion, an amplification), or *not interpreted*, kept with its text so
the report lists it: a stated alteration is never dropped.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from ..genome.translate import ONE_LETTER

# Gene symbols (and the aliases reports use) this module can interpret.
_GENES = {"EGFR": "EGFR", "KRAS": "KRAS", "BRAF": "BRAF", "MET": "MET", "C-MET": "MET",
          "ALK": "ALK", "ROS1": "ROS1", "RET": "RET", "NTRK": "NTRK", "NTRK1": "NTRK1",
          "NTRK2": "NTRK2", "NTRK3": "NTRK3", "ERBB2": "ERBB2", "HER2": "ERBB2"}
FUSION_GENES = ("ALK", "ROS1", "RET", "NTRK", "NTRK1", "NTRK2", "NTRK3")
AMPLIFIABLE = ("MET", "ERBB2")

_TOKEN = re.compile(r"[A-Za-z0-9-]+")
_FUSION_WORD = re.compile(r"fusion|rearrange|translocat|::", re.I)
# "EML4-ALK", "KIF5B-RET", "CD74-ROS1": two upper-case symbols joined (not "ALK-positive").
_PARTNERS = re.compile(r"\b[A-Z][A-Z0-9]+-(?:ALK|ROS1|RET|NTRK[123]?)\b|\b(?:ALK|ROS1|RET|NTRK[123]?)-[A-Z][A-Z0-9]+\b")
_AMP_WORD = re.compile(r"\bamp(lification|lified)?\b", re.I)
_EXON = r"(?:exon|ex)[\s_-]*"
_EX19_DEL = re.compile(rf"{_EXON}19[\s_-]*del|\bdel(?:etion)?[\s_-]*(?:{_EXON})?19\b|\b19[\s_-]*del", re.I)
_EX20_INS = re.compile(rf"{_EXON}20[\s_-]*(?:ins|dup)|\bins(?:ertion)?[\s_-]*(?:{_EXON})?20\b|\b20[\s_-]*ins", re.I)
_EX14 = re.compile(rf"(?:{_EXON}|Δ\s*(?:ex(?:on)?)?\s*|\bdel[\s_-]*(?:ex(?:on)?)?\s*)14\b|"
                   rf"\bmetex14|\bmet[\s_-]*ex14", re.I)
# p.L858R, L858R, p.Leu858Arg, p.(Gly12Cys), E746_A750del, p.A767_V769dup ...
_PROTEIN = re.compile(r"(?<![A-Za-z0-9])(?:p\.)?\(?((?:[A-Z][a-z]{2}|[A-Z])\d+(?:_(?:[A-Z][a-z]{2}|[A-Z])\d+)?"
                      r"(?:[A-Z][a-z]{2}|[A-Z*=]|del|ins[A-Za-z]*|dup|delins[A-Za-z]+|fs\*?\d*)+)\)?"
                      r"(?![A-Za-z0-9])")

_THREE_LOWER = re.compile(r"(?i)(p\.)?([a-z]{3})(\d+)([a-z]{3})\b")


class Kind(enum.StrEnum):
    protein_change = "protein_change"   # judged by the driver rules (``her2scope.knowledge.drivers``)
    exon19_deletion = "exon19_deletion"
    exon20_insertion = "exon20_insertion"
    met_exon14 = "met_exon14"
    fusion = "fusion"
    amplification = "amplification"
    not_interpreted = "not_interpreted"


@dataclass(frozen=True)
class StatedAlteration:
    text: str                  # as the case states it
    gene: str | None           # canonical symbol (HER2 -> ERBB2), None when no known gene is named
    kind: Kind
    protein_change: str = ""   # "p.L858R" style, for Kind.protein_change
    why_not: str = ""          # for Kind.not_interpreted: what was missing

    @property
    def interpreted(self) -> bool:
        return self.kind is not Kind.not_interpreted

    def label(self) -> str:
        """How the report names the recognised event."""
        return {Kind.protein_change: f"{self.gene} {self.protein_change}",
                Kind.exon19_deletion: f"{self.gene} exon 19 deletion",
                Kind.exon20_insertion: f"{self.gene} exon 20 insertion",
                Kind.met_exon14: "MET exon 14 skipping",
                Kind.fusion: f"{self.gene} fusion",
                Kind.amplification: f"{self.gene} amplification",
                Kind.not_interpreted: self.text}[self.kind]


def _genes(text: str) -> list[str]:
    """Known gene symbols in ``text``, in order (EML4-ALK -> [ALK]; "METex14" -> [MET])."""
    found = []
    for token in _TOKEN.findall(text):
        for part in token.split("-") if token.upper() != "C-MET" else [token]:
            symbol = _GENES.get(part.upper()) or ("MET" if re.fullmatch(r"met(ex)?14", part, re.I) else None)
            if symbol and symbol not in found:
                found.append(symbol)
    return found


def recognise(text: str) -> StatedAlteration:
    genes = _genes(text)
    if not genes:
        return StatedAlteration(text, None, Kind.not_interpreted,
                                why_not="no gene her2scope interprets is named")
    fusion = [g for g in genes if g in FUSION_GENES]
    if fusion and (_FUSION_WORD.search(text) or _PARTNERS.search(text)):
        return StatedAlteration(text, fusion[0], Kind.fusion)
    gene = genes[0]
    if _AMP_WORD.search(text):
        if gene in AMPLIFIABLE:
            return StatedAlteration(text, gene, Kind.amplification)
        return StatedAlteration(text, gene, Kind.not_interpreted,
                                why_not=f"{gene} amplification is not one of the drivers her2scope flags")
    if gene == "MET" and _EX14.search(text):
        return StatedAlteration(text, gene, Kind.met_exon14)
    if gene in ("EGFR", "ERBB2") and _EX20_INS.search(text):
        return _protein_or_event(text, gene, Kind.exon20_insertion)
    if gene == "EGFR" and _EX19_DEL.search(text):
        return StatedAlteration(text, gene, Kind.exon19_deletion)
    return _protein_or_event(text, gene, None)


def _protein_or_event(text: str, gene: str, event: Kind | None) -> StatedAlteration:
    if gene == "ERBB2":
        return StatedAlteration(text, gene, Kind.not_interpreted,
                                why_not="an ERBB2 variant: give it in ngs[].variants as HGVS so it is "
                                        "interpreted and classified")
    if event is not None:
        return StatedAlteration(text, gene, event)
    rest = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
    # Written in any case: "g12c" (one-letter) or "p.gly12cys" (three-letter).
    for spelling in (rest, rest.upper(), _THREE_LOWER.sub(lambda m: m[1] + m[2].title() + m[3] + m[4].title(), rest)):
        m = _PROTEIN.search(spelling)
        if m:
            return StatedAlteration(text, gene, Kind.protein_change, protein_change=_short(m.group(1)))
    return StatedAlteration(text, gene, Kind.not_interpreted,
                            why_not="the phrasing is not one her2scope recognises")


def _short(change: str) -> str:
    three = re.compile("|".join(sorted(ONE_LETTER, key=len, reverse=True)))
    return "p." + three.sub(lambda m: ONE_LETTER[m.group(0)], change)
