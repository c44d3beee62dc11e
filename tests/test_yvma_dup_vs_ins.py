"""Every spelling of an exon 20 insertion meets one canonical form (dup over ins, 3' rule)."""

import pytest

from her2scope.genome.builds import Build
from her2scope.hgvs.parse import canonical_protein_change

from helpers_engine import expression, vcf

YVMA_SPELLINGS = [
    "p.Y772_A775dup", "p.Tyr772_Ala775dup", "p.(Tyr772_Ala775dup)", "p.A775_G776insYVMA",
    "p.E770_A771insAYVM", "p.M774_A775insAYVM", "p.A771_Y772insYVMA", "p.Y772_A775dupYVMA",
    "p.771_771A>AYVMA", "ERBB2:p.Y772_A775dup", "ERBB2 p.Tyr772_Ala775dup",
    "NP_004439.2:p.(Tyr772_Ala775dup)",
]


@pytest.mark.parametrize("text", YVMA_SPELLINGS)
def test_yvma_spellings(text):
    assert canonical_protein_change(text) == "p.Y772_A775dup"


@pytest.mark.parametrize("text", ["p.G778_P780dup", "p.P780_Y781insGSP", "p.V777_G778insGSP",
                                  "p.Gly778_Pro780dup", "p.S779_P780insPGS"])
def test_gsp_spellings(text):
    assert canonical_protein_change(text) == "p.G778_P780dup"


@pytest.mark.parametrize("text", ["p.G776delinsVC", "p.G776>VC", "G776VC", "p.G776VinsC",
                                  "p.776_776G>VC", "p.Gly776delinsValCys"])
def test_g776vc_spellings(text):
    assert canonical_protein_change(text) == "p.G776delinsVC"


@pytest.mark.parametrize("text", [
    "NM_004448.4:c.2313_2324dup",
    "NM_004448.4:c.2324_2325insATACGTGATGGC",       # the inserted copy after the repeat
    "NM_004448.4:c.2312_2313insATACGTGATGGC",       # VEP's unshifted name
    "NM_004448.4:c.2310_2311insGCATACGTGATG",       # the left-aligned insertion point
    "NC_000017.10:g.37880981_37880982insGCATACGTGATG",
    "NC_000017.11:g.39724730_39724731insATACGTGATGGC",
])
def test_dna_spellings_of_yvma_meet(text):
    d = expression(text)
    assert d["hgvs_c"] == "NM_004448.4:c.2313_2324dup"
    assert d["protein_change"] == "p.Y772_A775dup"


def test_gsp_dna_dup_and_a_synonymous_codon_insertion_name_the_same_protein():
    # A pure 9-bp duplication, and an insertion of GGT TCC CCA (other codons for G, S, P).
    dup = expression("NM_004448.4:c.2332_2340dup")
    other = expression("NM_004448.4:c.2340_2341insGGTTCCCCA")
    assert dup["hgvs_c"] == "NM_004448.4:c.2332_2340dup"
    assert other["hgvs_c"] == "NM_004448.4:c.2340_2341insGGTTCCCCA"
    assert dup["protein_change"] == other["protein_change"] == "p.G778_P780dup"


@pytest.mark.parametrize("text", ["NM_004448.4:c.2339_2340insC", "NM_004448.4:c.2338_2339insC",
                                  "NM_004448.4:c.2337_2338insC", "NM_004448.4:c.2338dup"])
def test_single_base_insertion_in_a_run_shifts_3prime_and_becomes_a_dup(text):
    # P780 is CCA (c.2338-2340) after S779 TCC: c.2337-2339 is a run of three C.
    # c.2339dup is the biocommons/hgvs #829 vector.
    a = expression(text)
    assert a["hgvs_c"] == "NM_004448.4:c.2339dup"
    assert a["hgvs_p"] == "NP_004439.2:p.(Tyr781IlefsTer93)"


def test_g776vc_tcga_dna_variants():
    assert vcf(Build.GRCh37, 37880997, "G", "GTAT").hgvs_c == "NM_004448.4:c.2326_2327insTAT"
    assert vcf(Build.GRCh37, 37880997, "G", "GTCT").protein_change == "p.G776delinsVC"
