"""Known ERBB2 vectors, each from a public source named in shared/data/erbb2/SOURCES.md."""

from her2scope.genome.builds import Build

from helpers_engine import expression, vcf


def test_yvma_vep_vector_grch38():
    # Ensembl VEP (quoted by LIA-Genomics/vareffect): chr17:39724730 C>CATACGTGATGGC.
    a = vcf(Build.GRCh38, 39724730, "C", "CATACGTGATGGC")
    assert a.hgvs_c == "NM_004448.4:c.2313_2324dup"
    assert a.hgvs_p == "NP_004439.2:p.(Tyr772_Ala775dup)"
    assert a.protein_change == "p.Y772_A775dup"
    assert a.hgvs_g == "NC_000017.11:g.39724731_39724742dup"
    assert a.consequence == "inframe_insertion"
    assert a.exon == 20
    # VCF side is left-aligned: the same insertion placed at its 5'-most position.
    n = a.normalized
    assert (n.vcf_pos, n.vcf_ref, n.vcf_alt) == (39724728, "A", "AGCATACGTGATG")


def test_yvma_tcga_grch37_maf_coordinates_are_the_left_aligned_form():
    # TCGA LUAD: chr17 37880981-37880982 -/GCATACGTGATG (p.771_771A>AYVMA).
    a = vcf(Build.GRCh37, 37880981, "A", "AGCATACGTGATG")
    assert a.hgvs_c == "NM_004448.4:c.2313_2324dup"
    assert a.hgvs_g == "NC_000017.10:g.37880984_37880995dup"
    # GRCh38 = GRCh37 + 1,843,747 across the locus.
    assert a.normalized.vcf_pos + 1_843_747 == vcf(Build.GRCh38, 39724730, "C", "CATACGTGATGGC").normalized.vcf_pos


def test_s310f_both_builds():
    # SMART/TSO500 annotation doc (GRCh38) and TCGA-44-2656 (GRCh37).
    for build, pos in ((Build.GRCh38, 39711955), (Build.GRCh37, 37868208)):
        a = vcf(build, pos, "C", "T")
        assert a.hgvs_c == "NM_004448.4:c.929C>T"
        assert a.hgvs_p == "NP_004439.2:p.(Ser310Phe)"
        assert a.protein_change == "p.S310F"
        assert a.exon == 8


def test_l755s():
    # MSK hotspot string: hg19 chr17:37880220 T>C; NCI-MATCH report: c.2264T>C.
    a = vcf(Build.GRCh37, 37880220, "T", "C")
    assert (a.hgvs_c, a.protein_change, a.exon) == ("NM_004448.4:c.2264T>C", "p.L755S", 19)


def test_frameshift_vector_from_biocommons_hgvs_issue_829():
    # biocommons/hgvs tests/issues/test_829.py: NM_004448.4:c.2339dup -> p.(Tyr781IlefsTer93).
    d = expression("NM_004448.4:c.2339dup")
    assert d["hgvs_p"] == "NP_004439.2:p.(Tyr781IlefsTer93)"
    assert d["protein_change"] == "p.Y781Ifs*93"
    assert d["consequence"] == "frameshift_variant"
    assert d["alteration_class"] == "truncating"


def test_cool_seq_tool_reference_allele():
    # cool-seq-tool tests: the reference allele of c.2264_2278 is TGAGGGAAAACACAT.
    d = expression("NM_004448.4:c.2264_2278delTGAGGGAAAACACAT")
    assert d["hgvs_c"] == "NM_004448.4:c.2264_2278del"
    assert d["protein_change"] == "p.L755_T759del"
    bad = expression("NM_004448.4:c.2264_2278delTGAGGGAAAACACAA")
    assert bad["error"] == "ref_mismatch"
