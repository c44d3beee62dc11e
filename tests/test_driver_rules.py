"""The other-driver rules as data (``her2scope.knowledge.drivers``): what they count, that the
Python evaluation (a patient's report) and the SQL compilation (the cohort analytics) agree, and
the records of other genes the readers give the case report (``readers.gene_records``).

Expectations come from the rules as published (cited in the module) and hand arithmetic on the
MET exon 14 window (GRCh38 exon 116,771,849-116,771,989, 20 bp flank: 116,771,829-116,772,009).
"""

from __future__ import annotations

import pytest
from conftest import rec, write_vcf

from her2scope.case.drivers import find_drivers
from her2scope.knowledge.drivers import ALL, DRIVERS, DriverKind, Mutation
from her2scope.readers.base import FileSummary
from her2scope.readers.gene_records import first_residue, read_gene_records, short_protein

_BY_KEY = {d.key: d for d in ALL}


def _m(gene, vclass, p=None, chrom=None, start=None, end=None, build=None) -> Mutation:
    return Mutation(gene, vclass, p, first_residue(p), chrom, start, end, build)


# (mutation, the keys of the rules that count it): worked out from the rules' words.
CASES = [
    (_m("EGFR", "Missense_Mutation", "p.L858R"), {"egfr"}),
    (_m("EGFR", "Missense_Mutation", "p.L858Q"), set()),                 # not one of the listed changes
    (_m("EGFR", "In_Frame_Del", "p.E746_A750del"), {"egfr"}),            # codon 746 in 729-761 (exon 19)
    (_m("EGFR", "In_Frame_Del", "p.ELREA746del"), {"egfr"}),             # Oncotator spelling, same codon
    (_m("EGFR", "In_Frame_Ins", "p.A767_V769dup"), {"egfr"}),            # 767 in 762-775
    (_m("EGFR", "In_Frame_Ins", "p.N776_C777insV"), set()),              # 776: past 775
    (_m("EGFR", "In_Frame_Del", "p.T728del"), set()),                    # 728: before exon 19
    (_m("KRAS", "Missense_Mutation", "p.G12C"), {"kras"}),
    (_m("KRAS", "Missense_Mutation", "p.A146T"), {"kras"}),
    (_m("KRAS", "Missense_Mutation", "p.A59T"), set()),
    (_m("KRAS", "Nonsense_Mutation", "p.G12*"), set()),                  # the KRAS rule is missense only
    (_m("BRAF", "Missense_Mutation", "p.V600E"), {"braf"}),
    (_m("BRAF", "Missense_Mutation", "p.G469A"), {"braf"}),              # class II
    (_m("BRAF", "Missense_Mutation", "p.V600_K601delinsE"), {"braf"}),   # residue 600
    (_m("BRAF", "Missense_Mutation", "p.R462I"), set()),
    (_m("MET", "Splice_Site", "p.X1010_splice", "7", 116771847, 116771847, "GRCh38"), {"met14"}),
    (_m("MET", "Splice_Site", None, "7", 116771829, 116771829, "GRCh38"), {"met14"}),    # first base of the window
    (_m("MET", "Splice_Site", None, "7", 116771828, 116771828, "GRCh38"), set()),        # one base before it
    (_m("MET", "In_Frame_Del", None, "7", 116772009, None, "GRCh38"), {"met14"}),        # last base; end missing
    (_m("MET", "Intron", None, "7", 116772010, 116772010, "GRCh38"), set()),             # one base after it
    (_m("MET", "Splice_Site", None, "7", 116771847, 116771847, "GRCh37"), set()),        # GRCh37: 360 kb away
    (_m("MET", "Splice_Site", None, "7", 116411900, 116411900, "GRCh37"), {"met14"}),    # GRCh37 exon 14 - 3
    (_m("MET", "Splice_Site", None, "7", 116771847, 116771847, None), set()),            # build unknown
    (_m("MET", "Missense_Mutation", "p.D1010N", "7", 116771980, 116771980, "GRCh38"), set()),
    (_m("MET", None, None, "7", 116771847, 116771847, "GRCh38"), set()),                 # class unknown (NULL)
    (_m("MET", "", None, "7", 116771847, 116771847, "GRCh38"), {"met14"}),               # "" is a value, not NULL
    (_m("MET", "Splice_Site", None, "12", 116771847, 116771847, "GRCh38"), set()),
    (_m("TP53", "Nonsense_Mutation", "p.R213*"), {"tp53"}),
    (_m("TP53", "Silent", "p.R213R"), set()),
    (_m("STK11", "Frame_Shift_Del", "p.Q37fs"), {"stk11"}),
    (_m("KEAP1", "Splice_Site", None), {"keap1"}),
    (_m(None, "Missense_Mutation", "p.L858R"), set()),
    (_m("ERBB2", "Missense_Mutation", "p.V600E"), set()),                # ERBB2 is not judged here
]


@pytest.mark.parametrize("mutation,keys", CASES, ids=[f"{m.gene}-{m.protein_change}-{m.start}" for m, _ in CASES])
def test_rules_count_what_they_say(mutation, keys):
    assert {d.key for d in ALL if d.matches(mutation)} == keys


def test_fusion_rules_match_no_mutation_and_every_driver_rule_cites_a_source():
    assert not any(d.matches(_m(g, "Missense_Mutation", "p.V600E")) for d in ALL
                   if d.kind is DriverKind.fusion for g in d.genes)
    for d in DRIVERS:
        assert d.sources and all(s.pmid or s.doi for s in d.sources if "cancerhotspots" not in s.reference), d.key
    # Details no source was found for stay marked as such (the module docstring's convention).
    assert all(s.checked == "not verified" for s in _BY_KEY["kras"].sources)
    assert "PMID not verified" in _BY_KEY["alk"].sources[0].checked


def test_python_and_sql_agree_on_every_case():
    duckdb = pytest.importorskip("duckdb")
    from her2scope.cohort.drivers import condition_sql

    con = duckdb.connect()
    con.execute("CREATE TABLE mutations (n INTEGER, hugo VARCHAR, variant_class VARCHAR, protein_change VARCHAR, "
                "aa_pos INTEGER, chrom VARCHAR, start_pos BIGINT, end_pos BIGINT, build VARCHAR)")
    con.executemany("INSERT INTO mutations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(n, m.gene, m.variant_class, m.protein_change, m.aa_pos, m.chrom, m.start, m.end, m.build)
                     for n, (m, _) in enumerate(CASES)])
    for d in ALL:
        if d.kind is not DriverKind.mutation:
            continue
        sql = [bool(r[0]) for r in con.execute(
            f"SELECT coalesce({condition_sql(d)}, FALSE) FROM mutations ORDER BY n").fetchall()]
        assert sql == [d.matches(m) for m, _ in CASES], d.key
    con.close()


CSQ = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
       'Format: Allele|Consequence|SYMBOL|Feature|HGVSc|HGVSp">')


def _vep_vcf(tmp_path):
    records = [
        rec("chr7", 55191822, ".", "T", "G", 50, "PASS",
            "DP=90;CSQ=G|missense_variant|EGFR|ENST00000275493.7|ENST00000275493.7:c.2573T>G|"
            "ENSP00000275493.2:p.Leu858Arg"),
        rec("chr7", 55174771, ".", "AGGAATTAAGAGAAGC", "A", 50, "PASS",
            "CSQ=-|inframe_deletion|EGFR|ENST00000275493.7|c.2235_2249del|ENSP00000275493.2:p.Glu746_Ala750del"),
        rec("chr17", 39724730, ".", "C", "T", 50, "PASS",      # ERBB2 only: not a record of another gene
            "CSQ=T|missense_variant|ERBB2|ENST00000269571.10|c.2264C>T|ENSP00000269571.5:p.Ala755Val"),
        rec("chr12", 25245350, ".", "C", "A", 50, "PASS",      # the ERBB2 entry first: the KRAS one is used
            "CSQ=A|upstream_gene_variant|ERBB2|ENST00000269571.10||,"
            "A|missense_variant|KRAS|ENST00000256078.10|c.34G>T|ENSP00000256078.5:p.(Gly12Cys)"),
        rec("chr17", 7674220, ".", "CA", "C", 50, "PASS",
            "CSQ=-|frameshift_variant&splice_region_variant|TP53|ENST00000269305.9|c.1del|ENSP00000269305.4:p.Arg213fs"),
        rec("chr12", 25227344, ".", "G", "A", 50, "PASS",
            "CSQ=A|stop_gained|KRAS|ENST00000256078.10|c.1C>T|ENSP00000256078.5:p.Gln61Ter"),
        rec("chr12", 25200000, ".", "G", "A", 50, "PASS", "CSQ=A|intron_variant|KRAS|ENST00000256078.10|c.1-5G>A|"),
    ]
    return write_vcf(tmp_path, "vep.vcf", records, extra_header=(CSQ,))


def test_vep_records_of_other_genes_in_maf_terms(tmp_path):
    summary = FileSummary("vep.vcf")
    got = list(read_gene_records(str(_vep_vcf(tmp_path)), summary))
    assert [(r.gene, r.variant_class, r.protein_change, r.chrom, r.start, r.end, r.build, r.where) for r in got] == [
        ("EGFR", "Missense_Mutation", "p.L858R", "7", 55191822, 55191822, "GRCh38", "vep.vcf record 1"),
        ("EGFR", "In_Frame_Del", "p.E746_A750del", "7", 55174771, 55174786, "GRCh38", "vep.vcf record 2"),
        ("KRAS", "Missense_Mutation", "p.G12C", "12", 25245350, 25245350, "GRCh38", "vep.vcf record 4"),
        ("TP53", "Frame_Shift_Del", "p.R213fs", "17", 7674220, 7674221, "GRCh38", "vep.vcf record 5"),
        ("KRAS", "Nonsense_Mutation", "p.Q61*", "12", 25227344, 25227344, "GRCh38", "vep.vcf record 6"),
    ]
    assert summary.format == "VCF" and summary.records == 7
    assert [r.residue for r in got] == [858, 746, 12, 213, 61]


def test_case_report_flags_the_vep_drivers_in_rule_order(tmp_path):
    report = find_drivers([_vep_vcf(tmp_path)], [])
    assert report.assessed and not report.problems
    assert [(f.driver, f.detail) for f in report.findings] == [
        ("EGFR", "EGFR p.L858R (vep.vcf record 1)"),
        ("EGFR", "EGFR p.E746_A750del (vep.vcf record 2)"),
        ("KRAS", "KRAS p.G12C (vep.vcf record 4)"),          # Q61* is not missense: not the KRAS rule
    ]


def test_a_vcf_without_vep_annotation_gives_no_records(tmp_path):
    path = write_vcf(tmp_path, "plain.vcf", [rec("chr7", 55191822, ".", "T", "G", 50, "PASS", "DP=9")])
    assert list(read_gene_records(str(path), FileSummary("plain.vcf"))) == []


def test_maf_met_exon14_needs_the_stated_build(tmp_path):
    head = "Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tVariant_Classification\tNCBI_Build\tHGVSp_Short\n"
    rows = ["MET\tchr7\t116771847\t116771847\tSplice_Site\tGRCh38\tp.X1010_splice\n",   # exon 14 - 2 (GRCh38)
            "MET\t7\t116771847\t116771847\tSplice_Site\tGRCh37\tp.X1010_splice\n",      # the same number on GRCh37
            "MET\t7\t116771847\t116771847\tSplice_Site\tnot-a-build\t\n",
            "EGFR\t7\tx\t\tIn_Frame_Del\tGRCh38\tp.E746_A750del\n"]                       # coordinates unread: 0
    (tmp_path / "m.maf").write_text(head + "".join(rows))
    got = list(read_gene_records(str(tmp_path / "m.maf"), FileSummary("m.maf")))
    assert [(r.chrom, r.build, r.start) for r in got] == [("7", "GRCh38", 116771847), ("7", "GRCh37", 116771847),
                                                           ("7", None, 116771847), ("7", "GRCh38", 0)]
    report = find_drivers([tmp_path / "m.maf"], [])
    assert [(f.driver, f.detail) for f in report.findings] == [
        ("EGFR", "EGFR p.E746_A750del (m.maf row 4)"), ("MET ex14", "MET p.X1010_splice (m.maf row 1)")]


@pytest.mark.parametrize("text,short", [("ENSP00000275493.2:p.Leu858Arg", "p.L858R"), ("p.(Gly12Cys)", "p.G12C"),
                                        ("ENSP1:p.Glu746_Ala750del", "p.E746_A750del"), ("p.Arg213Ter", "p.R213*"),
                                        ("p.Val600Glu", "p.V600E")])
def test_short_protein(text, short):
    assert short_protein(text) == short
