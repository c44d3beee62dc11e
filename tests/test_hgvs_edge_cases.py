"""Adversarial HGVS edge cases on NM_004448.4 / NP_004439.2, each judged against the HGVS
nomenclature recommendations (hgvs-nomenclature.org, "varnomen") rather than against the code.

Reference facts used below (from the bundled NM_004448.4):
  start: ...G C A C C | A T G G A G...   (c.-5..c.-1 | c.1..c.6)
  stop:  ...G T G | T G A | A C C A G...  (c.3763..c.3765 = Val1255 | c.3766..c.3768 = Ter1256 | c.*1..)
  exon 19 ends at c.2307 (C); exon 20 starts at c.2308 (G).
Tests marked "synthetic" use a small in-memory provider with a synthetic intron 19 (donor
GTAAGT..., acceptor ...TTCCCAG), N elsewhere.  The real intron 19 is bundled (GRCh38 locus,
GRCh37 by liftover): donor ...TTAGAC|gtaagcccct (c.2307|c.2307+1), acceptor
cccttgtccccag|GAAGCATACGTG (c.2308-1|c.2308).
"""

from __future__ import annotations

import pytest

from her2scope import Build, MalformedRecordError, interpret_allele
from her2scope.annotate import annotate
from her2scope.genome.transcript import erbb2
from her2scope.hgvs.parse import dna_positions, parse_dna
from her2scope.variant import GenomicAllele

from helpers_engine import expression

DONOR19 = "GTAAGTTTTTTCCAGG"       # synthetic c.2307+1..+16
ACCEPTOR19 = "CTTTCTCCCTTCCCAG"    # synthetic c.2308-16..-1


class _SyntheticIntron19:
    """Bundled exons plus a synthetic intron 19 flank on each side; N everywhere else."""

    name = "synthetic intron 19"

    def __init__(self, build: Build) -> None:
        tx = erbb2()
        self.build = build
        exons = {e.number: e for e in tx.exons[build]}
        lo, hi = tx.span(build)
        self.lo = lo - 1000
        seq = bytearray(b"N" * (hi - lo + 2000))
        for e in tx.exons[build]:
            seq[e.g_start - self.lo:e.g_end - self.lo] = tx.mrna[e.tx_start:e.tx_end].encode()
        e19, e20 = exons[19], exons[20]
        seq[e19.g_end - self.lo:e19.g_end - self.lo + len(DONOR19)] = DONOR19.encode()
        seq[e20.g_start - self.lo - len(ACCEPTOR19):e20.g_start - self.lo] = ACCEPTOR19.encode()
        self.seq = seq.decode()

    def sequence(self, build, start, end):
        if build is not self.build:
            return None
        return "" if end <= start else self.seq[start - self.lo:end - self.lo]


def _with_intron(text: str, build: Build):
    """Annotate a c. expression on ``build`` with the synthetic intron-19 reference."""
    ref = _SyntheticIntron19(build)
    expr = parse_dna("NM_004448.4", text, chromosome_build=None)
    a, b = dna_positions(expr, build)
    seq = ref.sequence(build, a, b + 1)
    if expr.kind == "sub":
        allele = GenomicAllele(build, a, expr.ref, expr.alt)
    elif expr.kind == "ins":
        allele = GenomicAllele(build, b, "", expr.alt)
    elif expr.kind == "del":
        allele = GenomicAllele(build, a, seq, "")
    elif expr.kind == "dup":
        allele = GenomicAllele(build, b + 1, "", seq)
    else:
        allele = GenomicAllele(build, a, seq, expr.alt)
    return annotate(allele, ref)


BOTH = pytest.mark.parametrize("build", [Build.GRCh37, Build.GRCh38])


# ------------------------------------------------------------------------ stop codon
@BOTH
def test_frameshift_in_stop_codon_is_an_extension_not_fs(build):
    # HGVS Extension: "only variants that directly affect the normal translation termination
    # codon are described as protein extensions"; prioritisation "(1) extension, (2) frameshift".
    # c.3766del: GTG|TGA|ACC -> GTG GAA CCA ... the stop codon itself now reads Glu.
    # ext count as HGVS/ClinVar (HBA2 p.Ter143GlnextTer31): new stop position minus old.
    d = expression("NM_004448.4:c.3766del", build)
    assert d["hgvs_p"] == "NP_004439.2:p.(Ter1256GluextTer45)"
    assert d["protein_change"] == "p.*1256Eext*45"
    assert "stop_lost" in d["consequence"].split("&")
    assert d["alteration_class"] != "truncating"


@BOTH
def test_two_base_deletion_in_stop_codon_is_an_extension(build):
    # Same rule; c.3764_3765del is 3'-shifted to c.3766_3767del (TG repeat, HGVS 3' rule).
    d = expression("NM_004448.4:c.3764_3765del", build)
    assert d["hgvs_c"] == "NM_004448.4:c.3766_3767del"
    assert d["hgvs_p"] == "NP_004439.2:p.(Ter1256AsnextTer19)"
    assert "stop_lost" in d["consequence"].split("&")


@BOTH
def test_deletion_through_stop_into_3utr_without_new_stop_is_ext_ter_unknown(build):
    # HGVS Extension example p.Ter327ArgextTer? : no new stop before the transcript ends.
    d = expression("NM_004448.4:c.3767_*600del", build)
    assert d["hgvs_p"] == "NP_004439.2:p.(Ter1256LeuextTer?)"
    assert "stop_lost" in d["consequence"].split("&")


@BOTH
def test_frameshift_upstream_of_stop_running_off_the_transcript_stays_fs_ter_unknown(build):
    # HGVS Extension note: variants upstream of the stop that extend the protein are frame
    # shifts; with no stop in the new frame: fsTer? (HGVS Frameshift, "p.(Arg97ValfsTer?)"-style).
    d = expression("NM_004448.4:c.3760_*610del", build)
    assert d["hgvs_p"] == "NP_004439.2:p.(Pro1254AsnfsTer?)"
    assert "frameshift_variant" in d["consequence"].split("&")


@BOTH
def test_frameshift_deletion_that_keeps_the_stop_is_stop_retained(build):
    # c.3767del: TGA A -> TAA: the protein is unchanged, p.(Ter1256=) (HGVS: unchanged
    # residues are "=", SVD-WG001).  SO/VEP: stop_retained_variant, not frameshift_variant.
    d = expression("NM_004448.4:c.3767del", build)
    assert d["hgvs_p"] == "NP_004439.2:p.(Ter1256=)"
    assert d["consequence"] == "stop_retained_variant"


@BOTH
def test_frameshift_insertion_in_stop_codon_that_makes_a_new_stop_is_stop_retained(build):
    # c.3766_3767insA: T A GA -> TAG: stop retained, protein unchanged.
    d = expression("NM_004448.4:c.3766_3767insA", build)
    assert d["hgvs_p"] == "NP_004439.2:p.(Ter1256=)"
    assert d["consequence"] == "stop_retained_variant"


@BOTH
def test_stop_lost_substitution_extension_count(build):
    # HGVS Extension: p.Ter110GlnextTer17.  TGA -> TCA: Ser, next in-frame stop 10 codons on.
    d = expression("NM_004448.4:c.3767G>C", build)
    assert d["hgvs_p"] == "NP_004439.2:p.(Ter1256SerextTer10)"
    assert d["consequence"] == "stop_lost"


@BOTH
def test_stop_retained_substitution(build):
    # TGA -> TAA; HGVS "=" for an unchanged residue.
    d = expression("NM_004448.4:c.3767G>A", build)
    assert (d["hgvs_p"], d["consequence"]) == ("NP_004439.2:p.(Ter1256=)", "stop_retained_variant")


@BOTH
def test_inframe_deletion_of_the_stop_codon(build):
    # c.3766_3768del removes TGA: translation continues to the next in-frame stop.
    d = expression("NM_004448.4:c.3766_3768del", build)
    assert d["hgvs_p"] == "NP_004439.2:p.(Ter1256ThrextTer9)"
    assert d["consequence"] == "stop_lost"


@BOTH
def test_inframe_deletion_across_last_codon_and_stop_is_stop_lost(build):
    # c.3764_3766del: GTG TGA -> G GA..: Val1255 and the stop codon are both destroyed and the
    # protein runs on (SO stop_lost: "at least one base of the terminator codon is changed,
    # resulting in an elongated transcript").
    d = expression("NM_004448.4:c.3764_3766del", build)
    assert "stop_lost" in d["consequence"].split("&")


@BOTH
def test_deletion_of_stop_codon_base_shifted_into_3utr(build):
    # c.3768del (A) next to c.*1 (A): the HGVS 3' rule gives c.*1del; TGA is intact -> 3' UTR.
    d = expression("NM_004448.4:c.3768del", build)
    assert d["hgvs_c"] == "NM_004448.4:c.*1del"
    assert d["hgvs_p"] is None and d["consequence"] == "3_prime_UTR_variant"


# ------------------------------------------------------------------------ start codon
@BOTH
def test_insertion_before_atg_shifted_into_start_codon_is_not_a_frameshift(build):
    # c.-1_1insA = c.1dup by the 3' rule (HGVS Duplication).  A change touching Met1 is
    # described as p.(Met1?) or p.0 (HGVS Substitution, "start codon"); it is never a
    # frameshift "p.(Met1AsnfsTer109)" starting at the initiator methionine.
    d = expression("NM_004448.4:c.-1_1insA", build)
    assert d["hgvs_c"] == "NM_004448.4:c.1dup"
    assert "fs" not in (d["hgvs_p"] or "")
    assert d["hgvs_p"] == "NP_004439.2:p.(Met1?)"
    assert d["consequence"] == "start_lost"
    assert d["alteration_class"] != "truncating"


@BOTH
def test_single_base_insertion_inside_start_codon_is_met1_unknown(build):
    # c.1_2insT = c.2dup: ATG -> ATTG.  HGVS: p.(Met1?), not p.(Met1IlefsTer109).
    d = expression("NM_004448.4:c.1_2insT", build)
    assert d["hgvs_c"] == "NM_004448.4:c.2dup"
    assert d["hgvs_p"] == "NP_004439.2:p.(Met1?)"
    assert d["consequence"] == "start_lost"


@BOTH
def test_start_codon_substitution_and_deletion(build):
    # HGVS: Met1 changed, consequence unclear -> p.(Met1?).
    for text in ("NM_004448.4:c.2T>C", "NM_004448.4:c.1A>G", "NM_004448.4:c.3G>A",
                 "NM_004448.4:c.1_3del", "NM_004448.4:c.-1_2del", "NM_004448.4:c.2_3insTGA"):
        d = expression(text, build)
        assert (d["hgvs_p"], d["consequence"]) == ("NP_004439.2:p.(Met1?)", "start_lost"), text


@BOTH
def test_utr5_indel_before_atg_is_utr(build):
    # c.-1_1insCCC: inserted between c.-1 and c.1 (no repeat of c.-3_-1 = ACC): 5' UTR, no p.
    d = expression("NM_004448.4:c.-1_1insCCC", build)
    assert d["hgvs_c"] == "NM_004448.4:c.-1_1insCCC"
    assert (d["hgvs_p"], d["consequence"]) == (None, "5_prime_UTR_variant")


@BOTH
def test_inserted_atg_after_the_start_codon_is_a_met_duplication(build):
    # c.3_4insATG: ATGATG -> the 3' rule names it c.1_3dup; protein MMEL... = p.(Met1dup).
    d = expression("NM_004448.4:c.3_4insATG", build)
    assert d["hgvs_c"] == "NM_004448.4:c.1_3dup"
    assert d["hgvs_p"] == "NP_004439.2:p.(Met1dup)"


# ------------------------------------------------------------------------ no change, N, case
@BOTH
def test_delins_identical_to_reference_is_not_named_as_a_dup(build):
    # c.1_3delinsATG replaces ATG by ATG: no change (HGVS "=" means no change).  It must not
    # come out as the impossible "c.1_-1dup".
    d = expression("NM_004448.4:c.1_3delinsATG", build)
    assert "dup" not in (d.get("hgvs_c") or "")
    assert d.get("error") == "malformed_record"


def test_vcf_ref_equal_to_alt_is_rejected_not_named():
    # REF == ALT is no variant; "c.929_928dup" (end before start) is not a valid HGVS range.
    with pytest.raises(MalformedRecordError):
        interpret_allele(Build.GRCh38, 39711955, "C", "C")


@BOTH
def test_lower_case_vcf_bases_are_named_in_upper_case(build):
    # HGVS nucleotides are upper case (A, C, G, T).
    pos = {Build.GRCh38: 39711955, Build.GRCh37: 37868208}[build]
    d = interpret_allele(build, pos, "c", "t").as_dict()
    assert d["hgvs_c"] == "NM_004448.4:c.929C>T" and d["protein_change"] == "p.S310F"


def test_alt_n_is_not_reported_as_a_confident_missense():
    # HGVS: X was the (now withdrawn) symbol for a stop codon; one-letter "p.S310X" reads as
    # a nonsense change.  An unknown base cannot establish a missense change.
    d = interpret_allele(Build.GRCh38, 39711955, "C", "N").as_dict()
    assert d["protein_change"] == "p.?" and d["hgvs_p"] == "NP_004439.2:p.?"
    assert d["consequence"] == "coding_sequence_variant"
    assert d["alteration_class"] == "other"
    assert d["oncogenicity"] == "uncertain_significance"


# ------------------------------------------------------------------------ frameshift
@BOTH
def test_frameshift_with_immediate_stop_is_nonsense_and_stop_gained(build):
    # HGVS Substitution: "not p.Tyr4TerfsTer1, but p.Tyr4Ter".  c.2303_2307del creates TAG
    # at codon 768 straight away; SO/VEP then report stop_gained alongside frameshift_variant.
    # (It ends at the last base of exon 19, so the 3' rule needs intronic bases: synthetic.)
    a = _with_intron("c.2303_2307del", build)
    assert a.hgvs_p == "NP_004439.2:p.(Leu768Ter)"
    terms = a.consequence.split("&")
    assert "stop_gained" in terms and "frameshift_variant" in terms
    # With the bundled intron 19 (c.2307+1 is g, not the first deleted base T) the 3' rule
    # leaves it in place: named without --reference.
    d = expression("NM_004448.4:c.2303_2307del", build)
    assert (d["hgvs_c"], d["hgvs_p"]) == ("NM_004448.4:c.2303_2307del", "NP_004439.2:p.(Leu768Ter)")


# ------------------------------------------------------------------------ repeats, delins, MNV
@BOTH
def test_deleting_one_of_two_identical_residues_names_the_3prime_one(build):
    # HGVS 3' rule (protein): LL at 785-786, deleting one Leu -> p.(Leu786del); c. 3'-shifted.
    d = expression("NM_004448.4:c.2353_2355del", build)
    assert d["hgvs_c"] == "NM_004448.4:c.2355_2357del"
    assert d["hgvs_p"] == "NP_004439.2:p.(Leu786del)"
    # AA at 847-848 the same way, from either spelling.
    for text in ("NM_004448.4:c.2539_2541del", "NM_004448.4:c.2540_2542del"):
        assert expression(text, build)["hgvs_p"] == "NP_004439.2:p.(Ala848del)"


@BOTH
def test_delins_reducing_to_a_substitution(build):
    # HGVS Deletion-insertion: a delins that changes one nucleotide is a substitution.
    d = expression("NM_004448.4:c.2264_2265delinsCG", build)
    assert (d["hgvs_c"], d["hgvs_p"]) == ("NM_004448.4:c.2264T>C", "NP_004439.2:p.(Leu755Ser)")


@BOTH
def test_mnv_across_two_codons_is_a_protein_delins(build):
    # HGVS Substitution note: changes of two or more consecutive residues are a delins, not
    # p.[Leu755Ser;Arg756Gly].
    d = expression("NM_004448.4:c.2264_2266delinsCAG", build)
    assert d["hgvs_c"] == "NM_004448.4:c.2264_2266delinsCAG"
    assert d["hgvs_p"] == "NP_004439.2:p.(Leu755_Arg756delinsSerGly)"


# ------------------------------------------------------------------------ exon/intron edges
@BOTH
def test_exonic_indel_at_exon_edge_is_named_with_the_bundled_intron(build):
    # Whether the 3' rule moves an indel at an exon edge into the intron depends on intronic
    # bases; the bundled ERBB2 locus has them (issue 8 item 10), so no --reference is needed.
    # Exon 19 ends ...TTAGAC|gtaagc; exon 20 starts cccag|GAAGCA; exon 2 is c.74_225,
    # ...ccag|TGTG...CAG|gtgagg.  Expected names follow from those bases by hand:
    expected = {
        "NM_004448.4:c.2307del": "NM_004448.4:c.2307del",              # C then g: no shift
        "NM_004448.4:c.2308dup": "NM_004448.4:c.2308dup",              # G then A: no shift
        "NM_004448.4:c.2307_2307+1insT": "NM_004448.4:c.2307_2307+1insT",  # C|T|g: stays
        "NM_004448.4:c.2306_2307+2del": "NM_004448.4:c.2307_2307+3del",    # ACgt|a -> CGTA
        "NM_004448.4:c.74_225del": "NM_004448.4:c.74_225del",          # T... then g: stays
    }
    for text, name in expected.items():
        d = expression(text, build)
        assert d.get("hgvs_c") == name, (text, d)
        assert (build is Build.GRCh37) == any("derived from GRCh38" in n for n in d["notes"]), d


@BOTH
def test_deletion_spanning_exon_intron_boundary_is_donor_and_p_unknown(build):
    # HGVS: a deletion over the exon/intron border is named with intronic offsets, 3'-shifted
    # on the genomic sequence (c.2306_2307+2del -> c.2307_2307+3del here: ACGT|A).  Protein
    # prediction is p.? (splicing); VEP: splice_donor_variant.
    a = _with_intron("c.2306_2307+2del", build)
    assert a.hgvs_c == "NM_004448.4:c.2307_2307+3del"
    assert a.hgvs_p == "NP_004439.2:p.?"
    assert "splice_donor_variant" in a.consequence.split("&")


@BOTH
def test_insertion_exactly_at_exon_end(build):
    # c.2307_2307+1insA: between the last exonic base and the intron.  The donor GT and the
    # whole intron stay intact right after the new base, so it joins exon 19: ...GAC A|GAA GCA
    # reads Asp769 then AGA (Arg) in place of Glu770, a frameshift (issue 8: the translation of
    # the edited CDS), plus splice_region_variant for the changed exon edge.
    a = _with_intron("c.2307_2307+1insA", build)
    assert a.hgvs_c == "NM_004448.4:c.2307_2307+1insA"
    assert a.hgvs_p == "NP_004439.2:p.(Glu770ArgfsTer104)"
    assert set(a.consequence.split("&")) == {"frameshift_variant", "splice_region_variant"}


@BOTH
def test_insertion_between_donor_bases_is_splice_donor(build):
    a = _with_intron("c.2307+1_2307+2insA", build)
    assert (a.hgvs_p, a.consequence) == ("NP_004439.2:p.?", "splice_donor_variant")


@BOTH
def test_duplication_of_first_exon_base_next_to_identical_intron_base(build):
    # Synthetic acceptor ...CAG|GAAG: c.2308-1 and c.2308 are both G; the 3' rule (HGVS
    # Duplication) names the most 3' copy, c.2308dup, whichever was given.
    for text in ("c.2308dup", "c.2308-1dup"):
        a = _with_intron(text, build)
        assert a.hgvs_c == "NM_004448.4:c.2308dup", text
        assert a.hgvs_p == "NP_004439.2:p.(Glu770GlyfsTer104)"


@BOTH
def test_deletion_of_an_entire_exon_coding_part(build):
    # Exon 20 is c.2308_2493 (186 nt): removing exactly its bases is an in-frame deletion of
    # Glu770..Lys831 at the mRNA level; near the exon edges: splice_region_variant too.
    a = _with_intron("c.2308_2493del", build)
    assert a.hgvs_c == "NM_004448.4:c.2308_2493del"
    assert a.hgvs_p == "NP_004439.2:p.(Glu770_Lys831del)"


@BOTH
def test_deletion_removing_both_splice_sites_of_an_intron_lists_both(build):
    # A deletion from c.2307+1 to c.2308-1 (whole intron 19) hits the donor and the acceptor
    # dinucleotides: VEP reports splice_acceptor_variant and splice_donor_variant.
    a = _with_intron("c.2307+1_2308-1del", build)
    terms = a.consequence.split("&")
    assert "splice_donor_variant" in terms and "splice_acceptor_variant" in terms


@BOTH
def test_synonymous_change_in_last_three_exonic_bases_is_splice_region(build):
    # VEP splice_region_variant: 1-3 bases into the exon; HGVS p.(Asp769=).
    d = expression("NM_004448.4:c.2307C>T", build)
    assert d["hgvs_p"] == "NP_004439.2:p.(Asp769=)"
    assert d["consequence"] == "splice_region_variant&synonymous_variant"


@BOTH
def test_intronic_snv_is_checked_against_the_bundled_intron(build):
    # c.2307+5 is the g of gtaaGc: checked now that intron 19 is bundled; a wrong base is caught.
    d = expression("NM_004448.4:c.2307+5G>A", build)
    assert d["hgvs_c"] == "NM_004448.4:c.2307+5G>A" and d["reference_checked"] is True
    assert d["consequence"] == "splice_region_variant&intron_variant"
    assert expression("NM_004448.4:c.2307+5C>A", build)["error"] == "ref_mismatch"


# ------------------------------------------------------------------------ long insertion
@BOTH
def test_very_long_inframe_insertion(build):
    # A 60-nt in-frame insertion in exon 20 (no stop in it) is an in-frame insertion of 20
    # residues, named with its full sequence (HGVS Insertion).
    # Exon 20 starts at c.2308, so the 60 nt before the insertion reach into intron 19; the
    # known exonic bases (c.2308_2313 GAAGCA) already differ from the inserted copy, so it is
    # provably not a duplication (HGVS Duplication/Insertion) and needs no intronic bases.
    ins = "GGT" * 20
    d = expression(f"NM_004448.4:c.2313_2314ins{ins}", build)
    assert d["hgvs_c"] == f"NM_004448.4:c.2313_2314ins{ins}"
    assert d["consequence"] == "inframe_insertion"
    assert d["hgvs_p"] == "NP_004439.2:p.(Ala771_Tyr772ins" + "Gly" * 20 + ")"


@BOTH
def test_exon20_twelve_nt_insertion_near_exon_start_is_named(build):
    # The commonest ERBB2 event class: a 12-nt exon 20 insertion 3 nt into the exon.
    d = expression("NM_004448.4:c.2310_2311insGGCATTCGTGAT", build)
    assert "error" not in d, d
    assert d["consequence"] == "inframe_insertion"


@BOTH
def test_insertion_copying_intronic_bases_is_a_dup_with_the_bundled_intron(build):
    # c.2308_2309insCAGG: the four bases before it are c.2308-3_2308 = cag|G, the same as the
    # inserted copy, so HGVS names it a duplication; the exon gains 4 nt -> frameshift.
    d = expression("NM_004448.4:c.2308_2309insCAGG", build)
    assert d["hgvs_c"] == "NM_004448.4:c.2308-3_2308dup", d
    assert "frameshift_variant" in d["consequence"].split("&")


@pytest.mark.parametrize("text", ["ERBB2 p.Ter1256SerextTer10", "ERBB2 p.*1256Sext*10",
                                  "NP_004439.2:p.(Ter1256SerextTer10)"])
def test_extension_spellings_are_read_back(text):
    # HGVS Extension syntax p.Ter110GlnextTer17 / p.*110Glnext*17: her2scope's own
    # protein_change for c.3767G>C must be accepted as input and come out the same.
    d = expression(text)
    assert d["protein_change"] == "p.*1256Sext*10", d
    assert d["hgvs_p"] == "NP_004439.2:p.(Ter1256SerextTer10)"
    assert d["consequence"] == "stop_lost"
