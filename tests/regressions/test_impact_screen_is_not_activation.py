"""ERBB2 S418T was curated likely oncogenic (so on the T-DXd label) from one expression-signature
screen (Berger 2016 eVIP) that calls a variant "impactful" when it changes expression — not a shown
gain of function. An impact screen alone must leave a variant uncertain, never on a label."""

from __future__ import annotations

from her2scope.knowledge.loader import load_knowledge
from her2scope.pipeline import Options, annotate_inputs


def test_s418t_is_uncertain_and_scores_no_functional_points():
    [result] = list(annotate_inputs([], Options(), expressions=["ERBB2 p.S418T"]))
    assert result.classification.oncogenicity == "uncertain_significance"
    assert not any(code.startswith("OS2") for code in result.classification.vicc_codes)


def test_no_curated_activating_call_rests_on_impact_only_evidence():
    kb = load_knowledge()
    checked = 0
    for variant in kb.variants.values():
        if variant.oncogenicity in ("oncogenic", "likely_oncogenic"):
            directions = {str(e.direction) for e in variant.evidence if getattr(e, "direction", None)}
            assert "oncogenic" in directions, variant.protein_change
            checked += 1
    assert checked, "no activating curated variant was checked"   # the filter must not skip them all
