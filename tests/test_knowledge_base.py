"""The knowledge base is versioned, dated, cited, and consistent with the reference protein."""

import pytest
import yaml

from her2scope.errors import KnowledgeBaseError
from her2scope.genome.transcript import erbb2
from her2scope.hgvs.parse import canonical_protein_change
from her2scope.knowledge import load_knowledge
from her2scope.knowledge.loader import ONCOGENICITY_CLASSES

KB = load_knowledge()
V1 = load_knowledge("v1")      # the single-file generation, kept loadable for history and diffs


def test_version_and_date():
    assert KB.version and KB.released
    assert KB.raw["transcript"] == "NM_004448.4" and KB.raw["protein"] == "NP_004439.2"


def test_every_evidence_item_cites_a_defined_source_with_a_check_date():
    items = [e for v in KB.variants.values() for e in v.evidence]
    items += [c.evidence for c in KB.classes.values()]
    assert items
    for e in items:
        assert e.statement and e.citations
        for cite in e.citations:
            assert cite in KB.sources
    for key, source in KB.sources.items():
        assert source.get("citation"), key
        assert source.get("checked"), key


def test_curated_variants_are_canonical_and_match_the_reference_protein():
    protein = erbb2().protein
    for key, v in KB.variants.items():
        assert canonical_protein_change(key) == key
        assert v.oncogenicity in ONCOGENICITY_CLASSES
        assert all(KB.code_points(code) != 0 for code in v.vicc_codes)      # OS2_moderate = 2 points
        # the reference residue named in the key is the residue of NP_004439.2
        residue = int("".join(ch for ch in key[3:].split("_")[0] if ch.isdigit()))
        assert protein[residue - 1] == key[2]


def test_domains_are_ordered_and_inside_the_protein():
    length = len(erbb2().protein)
    for d in KB.domains:
        assert 1 <= d.start <= d.end <= length
        assert d.citations
    assert KB.domain_at(310).id.startswith("extracellular")
    assert KB.domain_at(755).id == "kinase"


def test_a_knowledge_base_citing_an_undefined_source_is_refused(tmp_path):
    raw = yaml.safe_load(open(V1.path))
    raw["curated_variants"][0]["evidence"][0]["citations"] = ["PMID:00000000"]
    path = tmp_path / "kb.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(KnowledgeBaseError, match="not defined"):
        load_knowledge(str(path))


def test_a_non_canonical_key_is_refused(tmp_path):
    raw = yaml.safe_load(open(V1.path))
    raw["curated_variants"][0]["protein_change"] = "p.A775_G776insYVMA"
    path = tmp_path / "kb.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(KnowledgeBaseError, match="canonical"):
        load_knowledge(str(path))
