"""Coarse, documented hotspot rules for the other NSCLC drivers, compiled to SQL so that both
engines evaluate the same text. ERBB2 is NOT here: ERBB2 calls come from the interpretation
engine (``calls.py``).

These rules are deliberately coarse (for comparison groups and mutual exclusivity, not for
reporting a patient): they look at the MAF gene, Variant_Classification, the first residue number
of the protein change (``aa_pos``; works for HGVSp_Short ``p.E746_A750del`` and Oncotator
``p.ELREA746del`` alike) and, for MET exon 14, genomic coordinates.

Fusion drivers (ALK, ROS1, RET, NTRK1/2/3) are only assessable from a structural-variant file
(``data_sv.txt``); without one they are *not assessed* (NULL), never "absent".

References (checked 2026-11-28 against stored PubMed/publisher/PMC pages; "not verified" = no
source for that detail was found, the detail is left as typed and still needs a PubMed check):
- EGFR L858R / exon 19 deletions (verified 2026-11-28): Lynch TJ et al., N Engl J Med
  2004;350:2129-39 (PMID 15118073); Paez JG et al., Science 2004;304:1497-500 (PMID 15118125).
  Exon 19 = codons 729-761 and exon 20 = codons 762-823 of NP_005219 (EGFR exon 20 insertions
  cluster at codons 762-775). The exon lengths in the spliceai annotation (exon 19: 99 bp =
  33 codons; exon 20: 186 bp = 62 codons; both builds) agree with these codon ranges.
- KRAS codons 12, 13, 61 (and 117, 146): Prior IA et al., Cancer Res 2012;72:2457-67 (PMID
  22589270) (not verified).
- BRAF V600 (class I) and class II/III hotspots (G464, G466, G469, N581, D594, G596, L597, K601):
  Davies H et al., Nature 2002;417:949-54 (verified 2026-11-28; the paper uses the old numbering,
  V599E = today's V600E; PMID 12068308 not verified); Yao Z et al., Nature 2017 (PMID 28783719,
  verified 2026-11-28; defines class 3 kinase-impaired mutants; volume/pages 548:234-8 not
  verified).
- MET exon 14 skipping (splice-site or in-frame/indel events at the exon 14 boundaries)
  (verified 2026-11-28; PMIDs corrected): Frampton GM et al., Cancer Discov 2015;5:850-9
  (PMID 25971938); Paik PK et al., Cancer Discov 2015;5:842-9 (PMID 25971939). Exon 14 of the
  canonical MET transcript: GRCh37 chr7:116411903-116412043, GRCh38 chr7:116771849-116771989
  (GENCODE canonical exons as shipped in the spliceai 1.3.1 package annotation; 1-based,
  inclusive, 141 bp; matches the 14th exon of the MET line in both annotation files, whose
  EXON_START is 0-based and EXON_END 1-based); the rule accepts events within 20 bp of the exon.
- Fusions: ALK (Soda M et al., Nature 2007;448:561-6; journal/volume/first page verified
  2026-11-28, PMID 17625570 not verified), ROS1 (Bergethon K et al., J Clin Oncol 2012;30:863-70,
  doi:10.1200/JCO.2011.35.6345; journal/volume/first page verified 2026-11-28, end page not
  verified), RET (Kohno T et al., Nat Med 2012;18:375-7, PMID 22327624; verified 2026-11-28),
  NTRK1 (Vaishnavi A et al., Nat Med 2013;19:1469-72, PMID 24162815, doi:10.1038/nm.3352;
  authors/journal/year/PMID verified 2026-11-28, volume/pages not verified).
- Hotspot positions were cross-checked against cancerhotspots.org v2 (Chang MT et al., Cancer Discov
  2018;8:174-83) (not verified).
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
