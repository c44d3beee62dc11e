"""Issue 9: published activating ERBB2 variants were called uncertain (v1), so a patient with, e.g.,
p.G776V after one line got no on-label option. With knowledge v2 each comes out activating from its
curated functional evidence (or the exon 20 insertion-region rule), whatever spelling the input uses,
and reaches the US labels for HER2-mutant NSCLC; a common polymorphism does not.

Evidence behind each expectation (read in the curator fragments, not restated here): G776V and G778dup
in Nagano 2018 (PMID 29967253, transformation screen); L755P and T862A in Kancha 2011 (PMID 22046346,
soft-agar colonies above wild type); G776delinsLC by the exon 20 insertion-region rule (net gain of one
residue at G776; Arcila 2012, Shigematsu 2005, Bose 2013 and trial class evidence).
"""

from __future__ import annotations

import pytest

import her2scope
from her2scope.knowledge import load_knowledge
from her2scope.report.model import report_for

from report_helpers import CASES, case

SPELLINGS = {
    "p.G776V": ["p.G776V", "NP_004439.2:p.(Gly776Val)", "ERBB2 p.G776V", "NM_004448.4:c.2327G>T"],
    "p.L755P": ["p.L755P", "p.(Leu755Pro)"],
    "p.G778dup": ["p.G778dup", "p.V777_G778insG", "p.(Gly778dup)"],
    "p.G776delinsLC": ["p.G776delinsLC", "p.(Gly776delinsLeuCys)"],
    "p.T862A": ["p.T862A", "ERBB2:p.(Thr862Ala)"],
}


@pytest.mark.parametrize("expected,text", [(k, t) for k, ts in SPELLINGS.items() for t in ts])
def test_activating_whatever_the_spelling(expected, text):
    (item,) = list(her2scope.annotate_inputs(expressions=[text]))
    assert item.protein_change == expected
    c = item.classification
    assert c.activating, (text, c.oncogenicity, c.rule)
    assert c.rule in (f"curated_variant:{expected}", "class_rule:exon20_insertion_region")
    assert c.vicc_codes and c.evidence                   # the call shows its codes and evidence


def test_the_split_l755p_demo_file_is_activating():
    demo = CASES.parent / "patient03_split_l755p_grch38.vcf"
    items = [i for i in her2scope.annotate_inputs([str(demo)]) if getattr(i, "sample", None) == "P003_TUMOR"]
    assert [i.protein_change for i in items] == ["p.L755P"]
    assert items[0].classification.activating
    # the same file under v1: uncertain, as the issue reported
    v1 = [i for i in her2scope.annotate_inputs([str(demo)], her2scope.Options(knowledge="v1"))
          if getattr(i, "sample", None) == "P003_TUMOR"]
    assert v1[0].classification.oncogenicity == "uncertain_significance"


@pytest.mark.parametrize("variant", sorted(SPELLINGS))
def test_reaches_the_us_labels_after_one_line(tmp_path, variant):
    text = tmp_path / "result.txt"
    text.write_text(variant + "\n")
    rep = report_for(case(prior_lines=1, files=(str(text),)), CASES)
    assert rep.picture.mutation.status == "positive"
    on_label = {o.drug for o in rep.steps.options if o.verdict == "on_label"}
    assert any(d.startswith("trastuzumab deruxtecan") for d in on_label), (variant, on_label)
    # kinase-domain variants: the TKD-restricted TKI labels too
    assert len(on_label) >= 2, (variant, on_label)


def test_a_polymorphism_reaches_no_label(tmp_path):
    text = tmp_path / "result.txt"
    text.write_text("p.I655V\n")
    rep = report_for(case(prior_lines=1, files=(str(text),)), CASES)
    assert not [o for o in rep.steps.options if o.verdict == "on_label"]
    assert rep.picture.variants[0].classification.oncogenicity == "benign"


@pytest.mark.xfail(strict=True, reason="no curated activation evidence for V777M was found by the curators "
                                       "(issue 9 lists it); V777M differs from V777L less (Grantham 21 vs 32), "
                                       "so the residue rule does not reach it either")
def test_v777m():
    (item,) = list(her2scope.annotate_inputs(expressions=["p.V777M"]))
    assert item.classification.activating


def test_v1_called_them_uncertain():
    v1 = load_knowledge("v1")
    from her2scope.classify import classify
    from her2scope.hgvs.parse import parse_protein

    for name in SPELLINGS:
        c = classify(parse_protein(None, name).change, frozenset(), v1)
        assert c.oncogenicity == "uncertain_significance", name
