"""Coarse, documented hotspot rules for the other NSCLC drivers, compiled to SQL so that both
engines evaluate the same text. ERBB2 is NOT here: ERBB2 calls come from the interpretation
engine (``calls.py``).

These rules are deliberately coarse (for comparison groups and mutual exclusivity, not for
reporting a patient): they look at the MAF gene, Variant_Classification, the first residue number
of the protein change (``aa_pos``; works for HGVSp_Short ``p.E746_A750del`` and Oncotator
``p.ELREA746del`` alike) and, for MET exon 14, genomic coordinates.

Fusion drivers (ALK, ROS1, RET, NTRK1/2/3) are only assessable from a structural-variant file
(``data_sv.txt``); without one they are *not assessed* (NULL), never "absent".

References (the KB team should re-check each PMID against PubMed before a release):
- EGFR L858R / exon 19 deletions: Lynch TJ et al., N Engl J Med 2004;350:2129-39 (PMID 15118073);
  Paez JG et al., Science 2004;304:1497-500 (PMID 15118125). Exon 19 = codons 729-761 and exon 20 =
  codons 762-823 of NP_005219 (EGFR exon 20 insertions cluster at codons 762-775).
- KRAS codons 12, 13, 61 (and 117, 146): Prior IA et al., Cancer Res 2012;72:2457-67 (PMID 22589270).
- BRAF V600 (class I) and class II/III hotspots (G464, G466, G469, N581, D594, G596, L597, K601):
  Davies H et al., Nature 2002;417:949-54 (PMID 12068308); Yao Z et al., Nature 2017;548:234-8
  (PMID 28783719).
- MET exon 14 skipping (splice-site or in-frame/indel events at the exon 14 boundaries):
  Frampton GM et al., Cancer Discov 2015;5:850-9 (PMID 26032070); Paik PK et al., Cancer Discov
  2015;5:842-9 (PMID 26036643). Exon 14 of the canonical MET transcript: GRCh37 chr7:116411903-116412043,
  GRCh38 chr7:116771849-116771989 (GENCODE canonical exons as shipped in the spliceai 1.3.1 package
  annotation); the rule accepts events within 20 bp of the exon.
- Fusions: ALK (Soda M et al., Nature 2007;448:561-6, PMID 17625570), ROS1 (Bergethon K et al., J Clin
  Oncol 2012;30:863-70), RET (Kohno T et al., Nat Med 2012;18:375-7), NTRK1 (Vaishnavi A et al., Nat Med
  2013;19:1469-72).
- Hotspot positions were cross-checked against cancerhotspots.org v2 (Chang MT et al., Cancer Discov
  2018;8:174-83).
- TP53, STK11, KEAP1 (co-mutation genes): any protein-altering (non-silent) mutation.
"""

from __future__ import annotations

from dataclasses import dataclass

NON_SILENT = ("Missense_Mutation", "Nonsense_Mutation", "Nonstop_Mutation", "Frame_Shift_Del",
              "Frame_Shift_Ins", "In_Frame_Del", "In_Frame_Ins", "Splice_Site",
              "Translation_Start_Site")
MET_EXON14 = {"GRCh37": (116411903, 116412043), "GRCh38": (116771849, 116771989)}
MET_FLANK = 20


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class Driver:
    key: str                  # column name in the queries
    label: str
    genes: tuple[str, ...]
    kind: str                 # "mutation" | "fusion"
    rule: str                 # what counts, in words
    sql: str = ""             # condition over the mutations table (kind == "mutation")


def _met_sql() -> str:
    parts = []
    for build, (a, b) in MET_EXON14.items():
        parts.append(f"(build = '{build}' AND start_pos <= {b + MET_FLANK} "
                     f"AND coalesce(end_pos, start_pos) >= {a - MET_FLANK})")
    return ("hugo = 'MET' AND variant_class NOT IN ('Missense_Mutation', 'Nonsense_Mutation', 'Silent') "
            f"AND chrom = '7' AND ({' OR '.join(parts)})")


DRIVERS: tuple[Driver, ...] = (
    Driver("egfr", "EGFR", ("EGFR",), "mutation",
           "L858R, L861Q, G719X, S768I, T790M; in-frame deletion in codons 729-761 (exon 19); "
           "in-frame insertion in codons 762-775 (exon 20)",
           "hugo = 'EGFR' AND ((variant_class = 'Missense_Mutation' AND protein_change IN "
           "('p.L858R', 'p.L861Q', 'p.S768I', 'p.T790M', 'p.G719A', 'p.G719C', 'p.G719S', 'p.G719D')) "
           "OR (variant_class = 'In_Frame_Del' AND aa_pos BETWEEN 729 AND 761) "
           "OR (variant_class = 'In_Frame_Ins' AND aa_pos BETWEEN 762 AND 775))"),
    Driver("kras", "KRAS", ("KRAS",), "mutation", "missense at codon 12, 13, 61, 117 or 146",
           "hugo = 'KRAS' AND variant_class = 'Missense_Mutation' AND aa_pos IN (12, 13, 61, 117, 146)"),
    Driver("braf", "BRAF", ("BRAF",), "mutation",
           "missense at codon 600 (class I) or 464, 466, 469, 581, 594, 596, 597, 601 (class II/III)",
           "hugo = 'BRAF' AND variant_class = 'Missense_Mutation' "
           "AND aa_pos IN (600, 464, 466, 469, 581, 594, 596, 597, 601)"),
    Driver("met14", "MET ex14", ("MET",), "mutation",
           f"splice-site / indel / intronic event within {MET_FLANK} bp of MET exon 14",
           _met_sql()),
    Driver("alk", "ALK fusion", ("ALK",), "fusion", "ALK in a structural variant (data_sv.txt)"),
    Driver("ros1", "ROS1 fusion", ("ROS1",), "fusion", "ROS1 in a structural variant"),
    Driver("ret", "RET fusion", ("RET",), "fusion", "RET in a structural variant"),
    Driver("ntrk", "NTRK fusion", ("NTRK1", "NTRK2", "NTRK3"), "fusion",
           "NTRK1/2/3 in a structural variant"),
)
COMUTATION = tuple(
    Driver(g.lower(), g, (g,), "mutation", "any non-silent mutation",
           f"hugo = '{g}' AND variant_class IN {_in(NON_SILENT)}")
    for g in ("TP53", "STK11", "KEAP1"))
ALL = DRIVERS + COMUTATION
ONCOGENIC_DRIVERS = tuple(d.key for d in DRIVERS)
GENES = tuple(sorted({"ERBB2", *(g for d in ALL for g in d.genes)}))


def mutation_event_columns() -> str:
    """``max(CASE WHEN <rule> THEN 1 ELSE 0 END) AS d_<key>`` for each mutation rule."""
    return ",\n  ".join(f"max(CASE WHEN {d.sql} THEN 1 ELSE 0 END) AS d_{d.key}"
                        for d in ALL if d.kind == "mutation")


def fusion_event_columns() -> str:
    return ",\n  ".join(
        f"max(CASE WHEN gene1 IN {_in(d.genes)} OR gene2 IN {_in(d.genes)} THEN 1 ELSE 0 END) AS d_{d.key}"
        for d in ALL if d.kind == "fusion")
