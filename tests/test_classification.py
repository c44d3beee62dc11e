"""Alteration classes and oncogenicity: curated entries, VICC points, and no confident default."""

import csv
from importlib import resources

import pytest

from her2scope.genome.builds import Build
from her2scope.hgvs.parse import parse_protein
from her2scope.classify import classify
from her2scope.consequence import Consequence
from her2scope.knowledge import load_knowledge

from helpers_engine import classification, expression, vcf

KB = load_knowledge()


def _protein(text):
    return parse_protein(None, text).change


def _classify(text, terms=frozenset({Consequence.MISSENSE})):
    return classify(_protein(text), terms, KB)


def test_yvma_is_curated_oncogenic_with_cited_evidence():
    c = classification(vcf(Build.GRCh38, 39724730, "C", "CATACGTGATGGC"))
    assert c.alteration_class == "exon20_insertion_yvma"
    assert c.oncogenicity == "oncogenic"
    assert c.rule == "curated_variant:p.Y772_A775dup"
    assert c.knowledge_version == KB.version
    assert c.evidence and all(e.citations for e in c.evidence)
    assert all(cite in KB.sources for e in c.evidence for cite in e.citations)


@pytest.mark.parametrize("text,cls", [
    ("p.G776delinsVC", "exon20_insertion_other"),
    ("p.G778_P780dup", "exon20_insertion_other"),
    ("p.M774dup", "exon20_insertion_other"),
    ("p.L755S", "kinase_domain_missense"),
    ("p.V777L", "kinase_domain_missense"),
    ("p.D769Y", "kinase_domain_missense"),
    ("p.V842I", "kinase_domain_missense"),
    ("p.S310F", "extracellular_missense"),
    ("p.V659E", "transmembrane_juxtamembrane_missense"),
    ("p.G660D", "transmembrane_juxtamembrane_missense"),
    ("p.R678Q", "transmembrane_juxtamembrane_missense"),
    ("p.L755_T759del", "kinase_domain_inframe_deletion"),
    ("p.R1230*", "truncating"),
    ("p.S310=", "synonymous"),
])
def test_alteration_classes(text, cls):
    assert _classify(text).alteration_class == cls


def test_truncating_is_not_called_activating():
    d = expression("NM_004448.4:c.2339dup")
    assert d["alteration_class"] == "truncating"
    assert d["oncogenicity"] == "uncertain_significance"
    assert KB.classes["truncating"].activating is False


def test_no_evidence_is_uncertain_never_a_confident_default():
    # A kinase-domain missense that is neither curated nor a hotspot nor at a curated residue.
    c = _classify("p.A830T")
    assert c.alteration_class == "kinase_domain_missense"
    assert c.oncogenicity == "uncertain_significance"
    assert c.rule == "no_evidence" and c.vicc_points == 0


def test_synonymous_outside_splice_region_is_likely_benign_by_sbp2():
    c = classify(_protein("p.S310="), frozenset({Consequence.SYNONYMOUS}), KB)
    assert c.vicc_codes == ("SBP2",) and c.oncogenicity == "likely_benign"
    near_splice = classify(_protein("p.L215="), frozenset({Consequence.SYNONYMOUS,
                                                          Consequence.SPLICE_REGION}), KB)
    assert near_splice.oncogenicity == "uncertain_significance"


def test_common_germline_polymorphism_is_benign():
    assert _classify("p.I655V").oncogenicity == "benign"


def _hotspot_rows():
    path = resources.files("her2scope.knowledge") / "data" / "erbb2_hotspots_cancerhotspots_v2.tsv"
    with path.open() as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_hotspot_codes_follow_the_sop_thresholds_from_the_bundled_table():
    # Recompute OS3/OM3/OP3 for every uncurated ERBB2 missense hotspot independently.
    checked = 0
    for row in _hotspot_rows():
        change = row["hgvsp"]
        if row["vartype"] != "snv" or change in KB.variants or change.endswith(row["reference_amino_acid"]):
            continue
        site = sum(int(p.split("|")[1]) for p in row["MUTATION_HOTSPOT_CANCERTYPE"].split(","))
        same = sum(int(p.split("|")[2]) for p in row["MUTATION_HOTSPOT_CANCERTYPE"].split(","))
        expected = "OP3" if same < 10 else ("OS3" if site >= 50 else "OM3")
        c = _classify(change)
        assert expected in c.vicc_codes, (change, site, same, c.vicc_codes)
        checked += 1
    assert checked >= 20


def test_om4_for_a_different_missense_at_a_curated_oncogenic_residue(tmp_path):
    import yaml

    # v1 curates no missense as oncogenic, so promote S310F in a copy to exercise OM4.
    v1 = load_knowledge("v1")
    raw = yaml.safe_load(open(v1.path))
    for v in raw["curated_variants"]:
        if v["protein_change"] == "p.S310F":
            v["oncogenicity"] = "oncogenic"
    path = tmp_path / "kb.yaml"
    path.write_text(yaml.safe_dump(raw))
    kb = load_knowledge(str(path))
    # OM4 needs an amino-acid difference at least about as large as the oncogenic one's. Grantham's
    # published table (Science 1974): Ser-Phe 155, Ser-Trp 177, Ser-Cys 112.
    wider = classify(_protein("p.S310W"), frozenset({Consequence.MISSENSE}), kb)
    assert "OM4" in wider.vicc_codes
    milder = classify(_protein("p.S310C"), frozenset({Consequence.MISSENSE}), kb)
    assert "OM4" not in milder.vicc_codes
    assert any("OM4 not applied" in n for n in milder.notes)
    assert "OM4" not in classify(_protein("p.S310W"), frozenset({Consequence.MISSENSE}), v1).vicc_codes


def test_exon20_boundaries_come_from_the_transcript():
    from her2scope.classify import exon_residues

    assert exon_residues(20) == (770, 831)
    assert exon_residues(19)[1] == 769     # D769 is in exon 19
    assert exon_residues(8)[0] <= 310 <= exon_residues(8)[1]
