"""The other NSCLC drivers (EGFR, KRAS, BRAF, MET exon 14, ALK, ROS1, RET, NTRK) and the
co-mutation genes (TP53, STK11, KEAP1): coarse, cited hotspot rules, held as data.

One definition, two uses: the cohort analytics compile these rules to SQL
(``her2scope.cohort.drivers``: the same text on DuckDB and Spark), and a single patient's
report evaluates them in plain Python (``DriverRule.matches``; ``her2scope.case.drivers``).
ERBB2 is NOT here: ERBB2 calls come from the interpretation engine.

The rules are deliberately coarse (for comparison groups, mutual exclusivity and flagging a
co-driver, not for interpreting that driver): they look at the gene, the MAF
Variant_Classification, the protein change (``p.L858R``), its first residue number (``aa_pos``:
the same for HGVSp_Short ``p.E746_A750del`` and Oncotator ``p.ELREA746del``) and, for MET exon
14, genomic coordinates. Fusion drivers are only assessable from a structural-variant result
(or a stated fusion); without one they are *not assessed*, never "absent".

Matching follows SQL's rules for missing values, so that both uses agree: a rule condition on a
missing field (``None``, SQL NULL) never holds, not even "variant class is none of ...".

Sources: every rule carries its references with what was checked. "not verified" = no source
for that detail was found (checked 2026-11-28 against stored PubMed/publisher/PMC pages); the
detail is left as typed and still needs a PubMed check.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class DriverKind(enum.StrEnum):
    mutation = "mutation"      # judged on mutation records (MAF rows, VEP-annotated VCF records)
    fusion = "fusion"          # judged on structural variants (gene1/gene2)


@dataclass(frozen=True)
class Source:
    reference: str             # authors, journal, year;volume:pages as far as known
    pmid: str | None = None
    doi: str | None = None
    checked: str = "not verified"   # what was verified, and when; what was not


@dataclass(frozen=True)
class GenomicWindow:
    """An interval a record must touch: ``chrom`` (no "chr") ``start``-``end`` on ``build``,
    1-based and inclusive, widened by ``flank`` bases on each side."""

    build: str                 # "GRCh37" | "GRCh38"
    chrom: str
    start: int
    end: int
    flank: int = 0


@dataclass(frozen=True)
class Mutation:
    """What the rules look at in one mutation record. ``None`` is a missing value (SQL NULL)."""

    gene: str | None
    variant_class: str | None        # MAF Variant_Classification
    protein_change: str | None       # short form, "p.L858R"
    aa_pos: int | None               # first residue number of the protein change
    chrom: str | None = None         # without "chr"
    start: int | None = None         # 1-based
    end: int | None = None
    build: str | None = None         # "GRCh37" | "GRCh38"


@dataclass(frozen=True)
class Clause:
    """One way a mutation matches a rule: every condition that is set must hold."""

    classes: tuple[str, ...] = ()           # the variant class is one of these
    not_classes: tuple[str, ...] = ()       # the variant class is known and none of these
    protein_changes: tuple[str, ...] = ()   # the protein change is one of these
    codons: tuple[int, ...] = ()            # aa_pos is one of these
    codon_range: tuple[int, int] | None = None   # aa_pos lies in [first, last]
    windows: tuple[GenomicWindow, ...] = ()      # the record touches one of these

    def matches(self, m: Mutation) -> bool:
        return ((not self.classes or m.variant_class in self.classes)
                and (not self.not_classes or (m.variant_class is not None
                                              and m.variant_class not in self.not_classes))
                and (not self.protein_changes or m.protein_change in self.protein_changes)
                and (not self.codons or m.aa_pos in self.codons)
                and (self.codon_range is None or (m.aa_pos is not None
                                                  and self.codon_range[0] <= m.aa_pos <= self.codon_range[1]))
                and (not self.windows or any(_touches(m, w) for w in self.windows)))


def _touches(m: Mutation, w: GenomicWindow) -> bool:
    if m.build != w.build or m.chrom != w.chrom or m.start is None:
        return False
    end = m.end if m.end is not None else m.start      # SQL: coalesce(end_pos, start_pos)
    return m.start <= w.end + w.flank and end >= w.start - w.flank


@dataclass(frozen=True)
class DriverRule:
    key: str                     # column name in the cohort queries
    label: str                   # as a report names the driver
    genes: tuple[str, ...]
    kind: DriverKind
    rule: str                    # what counts, in words
    clauses: tuple[Clause, ...] = ()     # kind mutation: any clause (OR)
    sources: tuple[Source, ...] = ()

    def matches(self, m: Mutation) -> bool:
        """A mutation record this rule counts (always False for a fusion rule)."""
        return (self.kind is DriverKind.mutation and m.gene in self.genes
                and any(c.matches(m) for c in self.clauses))


NON_SILENT = ("Missense_Mutation", "Nonsense_Mutation", "Nonstop_Mutation", "Frame_Shift_Del",
              "Frame_Shift_Ins", "In_Frame_Del", "In_Frame_Ins", "Splice_Site",
              "Translation_Start_Site")
# Exon 14 of the canonical MET transcript (GENCODE canonical exons as shipped in the spliceai
# 1.3.1 package annotation; 1-based, inclusive, 141 bp; matches the 14th exon of the MET line in
# both annotation files, whose EXON_START is 0-based and EXON_END 1-based).
MET_EXON14 = {"GRCh37": (116411903, 116412043), "GRCh38": (116771849, 116771989)}
MET_FLANK = 20     # the rule accepts events within 20 bp of the exon

_HOTSPOTS = Source("Chang MT et al., Cancer Discov 2018;8:174-83 (cancerhotspots.org v2): hotspot "
                   "positions cross-checked against it", checked="not verified")
_MISSENSE = ("Missense_Mutation",)

DRIVERS: tuple[DriverRule, ...] = (
    DriverRule(
        "egfr", "EGFR", ("EGFR",), DriverKind.mutation,
        "L858R, L861Q, G719X, S768I, T790M; in-frame deletion in codons 729-761 (exon 19); "
        "in-frame insertion in codons 762-775 (exon 20)",
        (Clause(classes=_MISSENSE, protein_changes=("p.L858R", "p.L861Q", "p.S768I", "p.T790M", "p.G719A",
                                                    "p.G719C", "p.G719S", "p.G719D")),
         # Exon 19 = codons 729-761 and exon 20 = codons 762-823 of NP_005219 (insertions cluster
         # at 762-775); the exon lengths in the spliceai annotation (exon 19: 99 bp = 33 codons;
         # exon 20: 186 bp = 62 codons; both builds) agree with these codon ranges.
         Clause(classes=("In_Frame_Del",), codon_range=(729, 761)),
         Clause(classes=("In_Frame_Ins",), codon_range=(762, 775))),
        (Source("Lynch TJ et al., N Engl J Med 2004;350:2129-39", pmid="15118073", checked="verified 2026-11-28"),
         Source("Paez JG et al., Science 2004;304:1497-500", pmid="15118125", checked="verified 2026-11-28"),
         _HOTSPOTS)),
    DriverRule(
        "kras", "KRAS", ("KRAS",), DriverKind.mutation, "missense at codon 12, 13, 61, 117 or 146",
        (Clause(classes=_MISSENSE, codons=(12, 13, 61, 117, 146)),),
        (Source("Prior IA et al., Cancer Res 2012;72:2457-67", pmid="22589270"), _HOTSPOTS)),
    DriverRule(
        "braf", "BRAF", ("BRAF",), DriverKind.mutation,
        "missense at codon 600 (class I) or 464, 466, 469, 581, 594, 596, 597, 601 (class II/III)",
        (Clause(classes=_MISSENSE, codons=(600, 464, 466, 469, 581, 594, 596, 597, 601)),),
        (Source("Davies H et al., Nature 2002;417:949-54", pmid="12068308",
                checked="verified 2026-11-28 (the paper uses the old numbering, V599E = today's V600E); "
                        "PMID not verified"),
         Source("Yao Z et al., Nature 2017;548:234-8 (defines class 3 kinase-impaired mutants)", pmid="28783719",
                checked="PMID verified 2026-11-28; volume/pages not verified"),
         _HOTSPOTS)),
    DriverRule(
        "met14", "MET ex14", ("MET",), DriverKind.mutation,
        f"splice-site / indel / intronic event within {MET_FLANK} bp of MET exon 14",
        (Clause(not_classes=("Missense_Mutation", "Nonsense_Mutation", "Silent"),
                windows=tuple(GenomicWindow(build, "7", a, b, MET_FLANK) for build, (a, b) in MET_EXON14.items())),),
        (Source("Frampton GM et al., Cancer Discov 2015;5:850-9", pmid="25971938",
                checked="verified 2026-11-28; PMID corrected"),
         Source("Paik PK et al., Cancer Discov 2015;5:842-9", pmid="25971939",
                checked="verified 2026-11-28; PMID corrected"))),
    DriverRule("alk", "ALK fusion", ("ALK",), DriverKind.fusion, "ALK in a structural variant (data_sv.txt)",
               sources=(Source("Soda M et al., Nature 2007;448:561-6", pmid="17625570",
                               checked="journal/volume/first page verified 2026-11-28; PMID not verified"),)),
    DriverRule("ros1", "ROS1 fusion", ("ROS1",), DriverKind.fusion, "ROS1 in a structural variant",
               sources=(Source("Bergethon K et al., J Clin Oncol 2012;30:863-70", doi="10.1200/JCO.2011.35.6345",
                               checked="journal/volume/first page verified 2026-11-28; end page not verified"),)),
    DriverRule("ret", "RET fusion", ("RET",), DriverKind.fusion, "RET in a structural variant",
               sources=(Source("Kohno T et al., Nat Med 2012;18:375-7", pmid="22327624",
                               checked="verified 2026-11-28"),)),
    DriverRule("ntrk", "NTRK fusion", ("NTRK1", "NTRK2", "NTRK3"), DriverKind.fusion,
               "NTRK1/2/3 in a structural variant",
               sources=(Source("Vaishnavi A et al., Nat Med 2013;19:1469-72", pmid="24162815", doi="10.1038/nm.3352",
                               checked="authors/journal/year/PMID verified 2026-11-28; volume/pages not verified"),)),
)
# Co-mutation genes: any protein-altering (non-silent) mutation; no reference needed.
COMUTATION: tuple[DriverRule, ...] = tuple(
    DriverRule(g.lower(), g, (g,), DriverKind.mutation, "any non-silent mutation", (Clause(classes=NON_SILENT),))
    for g in ("TP53", "STK11", "KEAP1"))
ALL = DRIVERS + COMUTATION
ONCOGENIC_DRIVERS = tuple(d.key for d in DRIVERS)
GENES = tuple(sorted({"ERBB2", *(g for d in ALL for g in d.genes)}))
