"""Knowledge v2: main file + curator fragments, merged and typed; every mistake named, never a traceback."""

from __future__ import annotations

import pytest
import yaml
from kb_helpers import V1, V2_MAIN, add_variant, copy_v2, edit, fragment_with, fragments, set_call

from her2scope.errors import KnowledgeBaseError
from her2scope.genome.transcript import erbb2
from her2scope.hgvs.parse import canonical_protein_change
from her2scope.knowledge import load_knowledge
from her2scope.knowledge.loader import derived_codes
from her2scope.vocabulary import Oncogenicity, SourceKind

KB = load_knowledge("v2")


def test_v2_is_the_default_and_v1_still_loads():
    assert load_knowledge().version == KB.version == "2.0.0" and KB.generation == 2
    v1 = load_knowledge("v1")
    assert v1.version == "1.0.0" and len(v1.variants) == 20     # history: knowledge diff needs it
    assert load_knowledge(str(V1)).version == "1.0.0"


def test_every_fragment_is_merged_and_every_citation_resolves():
    assert len(KB.fragments) >= 5
    assert len(KB.variants) >= 25
    raw_entries = sum(len(yaml.safe_load(f.read_text()).get("variants") or ()) for f in fragments(V2_MAIN))
    assert sum(len(v.origins) for v in KB.variants.values()) == raw_entries   # nothing dropped
    for v in KB.variants.values():
        assert v.evidence and all(e.citations for e in v.evidence)
        for e in v.evidence:
            for key in e.citations:
                source = KB.sources[key]
                assert source["title"] and source["checked"] and SourceKind(source["kind"])
                assert source["citation"]                 # a one-line citation for reports
        # acceptance: at least one primary (not secondary) source behind every curated entry
        assert any(KB.sources[c]["kind"] != "secondary" for e in v.evidence for c in e.citations), v.protein_change


def test_curated_keys_are_canonical_with_the_reference_residue_of_np_004439_2():
    protein = erbb2().protein
    for key, v in KB.variants.items():
        assert canonical_protein_change(key) == key
        assert isinstance(v.oncogenicity, Oncogenicity)
        residue = int("".join(ch for ch in key[3:].split("_")[0] if ch.isdigit()))
        assert protein[residue - 1] == key[2], key


def test_a_variant_in_two_fragments_merges_its_evidence():
    shared = [v for v in KB.variants.values() if len(v.origins) > 1]
    assert shared
    v = shared[0]
    count = 0
    for f in v.origins:
        raw = yaml.safe_load(open(f))
        count += sum(len(x["evidence"]) for x in raw["variants"] if x["protein_change"] == v.protein_change)
    assert len(v.evidence) == count
    assert {e.origin for e in v.evidence} == set(v.origins)


def test_os2_follows_the_strength_of_the_functional_evidence():
    # an entry whose strongest activating functional item is moderate -> OS2 at moderate strength, 2 points
    for v in KB.variants.values():
        strengths = {e.strength for e in v.evidence if e.type == "functional" and e.direction == "oncogenic"}
        expected = ("OS2" if "strong" in strengths else "OS2_moderate" if "moderate" in strengths
                    else "OS2_supporting" if strengths else None)
        assert (v.vicc_codes[0] if v.vicc_codes and v.vicc_codes[0].startswith("OS2") else None) == expected
    assert any(v.vicc_codes[:1] == ("OS2_moderate",) for v in KB.variants.values())
    assert KB.code_points("OS2_moderate") == 2
    assert KB.code_points("OS2") == 4 and KB.code_points("SBVS1") == -8
    assert derived_codes(KB.variants["p.I655V"].evidence) == ("SBVS1",)


def test_calls_that_disagree_between_fragments_refuse_to_load(tmp_path):
    main = copy_v2(tmp_path)
    shared = next(v for v in KB.variants.values() if len(v.origins) > 1)
    first = [f for f in fragments(main) if f.name == shared.origins[0].split("/")[-1]][0]
    other = "uncertain_significance" if shared.oncogenicity != "uncertain_significance" else "likely_oncogenic"
    edit(first, lambda raw: [v.update(oncogenicity=other) for v in raw["variants"]
                             if v["protein_change"] == shared.protein_change])
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge(str(main))
    msg = err.value.message
    assert shared.protein_change in msg and "curated differently" in msg
    assert first.name in msg and shared.origins[1].split("/")[-1] in msg     # both fragments named


def test_a_source_key_defined_twice_must_name_the_same_paper(tmp_path):
    main = copy_v2(tmp_path)
    frag = fragment_with(main, "p.L755S")
    edit(frag, lambda raw: raw["sources"]["PMID:23220880"].update(title="Another paper entirely"))
    with pytest.raises(KnowledgeBaseError, match=r"source PMID:23220880 is defined differently.*field title"):
        load_knowledge(str(main))


# --- typos and malformed files: KnowledgeBaseError naming file, entry and field ---------------------

def _first_variant_edit(tmp_path, change):
    main = copy_v2(tmp_path)
    frag = fragments(main)[1]
    name = yaml.safe_load(frag.read_text())["variants"][0]["protein_change"]
    edit(frag, lambda raw: change(raw["variants"][0]))
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge(str(main))
    return frag, name, err.value.message


def test_unknown_key_in_a_variant(tmp_path):
    frag, name, msg = _first_variant_edit(tmp_path, lambda v: v.update(oncogenicty="oncogenic"))
    assert str(frag) in msg and f"variant {name}" in msg and "field oncogenicty" in msg and "unknown key" in msg


def test_unknown_oncogenicity_value(tmp_path):
    frag, name, msg = _first_variant_edit(tmp_path, lambda v: v.update(oncogenicity="likely_oncogenc"))
    assert str(frag) in msg and f"variant {name}" in msg and "field oncogenicity" in msg
    assert "likely_oncogenc" in msg


@pytest.mark.parametrize("field,typo", [("direction", "oncogenc"), ("strength", "strnog"), ("type", "functionl")])
def test_evidence_value_typos(tmp_path, field, typo):
    frag, name, msg = _first_variant_edit(tmp_path, lambda v: v["evidence"][0].update({field: typo}))
    assert str(frag) in msg and f"variant {name}" in msg and f"field evidence[0].{field}" in msg and typo in msg


def test_class_rule_kind_typo_in_the_main_file(tmp_path):
    # the `line: after_prior_sytemic` kind of typo, in this file's own vocabulary
    main = copy_v2(tmp_path)
    edit(main, lambda raw: raw["class_rules"][0].update(kind="inframe_gain_in_regoin"))
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge(str(main))
    assert str(main) in err.value.message and "class_rule exon20_insertion_region" in err.value.message
    assert "field kind" in err.value.message and "inframe_gain_in_regoin" in err.value.message


def test_a_citation_that_does_not_resolve(tmp_path):
    frag, name, msg = _first_variant_edit(tmp_path, lambda v: v["evidence"][0].update(citations=["PMID:1"]))
    assert str(frag) in msg and f"variant {name}" in msg and "evidence[0].citations" in msg
    assert "PMID:1" in msg and "not defined" in msg


def test_a_wrong_reference_residue(tmp_path):
    main = copy_v2(tmp_path)
    add_variant(main, {"protein_change": "p.A776V", "hgvs_p": "p.(Ala776Val)", "oncogenicity": "likely_oncogenic",
                       "checked": "2026-12-01", "evidence": [
                           {"type": "functional", "direction": "oncogenic", "strength": "strong",
                            "statement": "typo test", "citations": ["PMID:35101336"]}]})
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge(str(main))
    msg = err.value.message
    assert "variant p.A776V" in msg and "field protein_change" in msg and "residue 776" in msg and "Gly" in msg


def test_a_non_canonical_spelling(tmp_path):
    main = copy_v2(tmp_path)
    add_variant(main, {"protein_change": "p.A775_G776insYVMA", "hgvs_p": "p.(Ala775_Gly776insTyrValMetAla)",
                       "oncogenicity": "oncogenic", "checked": "2026-12-01", "evidence": [
                           {"type": "functional", "direction": "oncogenic", "strength": "strong",
                            "statement": "typo test", "citations": ["PMID:35101336"]}]})
    with pytest.raises(KnowledgeBaseError, match=r"canonical form \(expected 'p.Y772_A775dup'\)"):
        load_knowledge(str(main))


def test_a_code_the_evidence_cannot_carry(tmp_path):
    frag, name, msg = _first_variant_edit(
        tmp_path, lambda v: v["evidence"][0].update(type="clinical", code="OS2"))
    assert f"variant {name}" in msg and "code OS2 does not fit" in msg


def test_class_rule_evidence_for_an_unknown_rule(tmp_path):
    main = copy_v2(tmp_path)
    frag = fragments(main)[0]
    edit(frag, lambda raw: raw.setdefault("class_rule_evidence", []).append(
        {"rule": "exon20_insertion_regoin", "statement": "x", "citations": ["PMID:35101336"]}))
    with pytest.raises(KnowledgeBaseError, match="unknown class rule 'exon20_insertion_regoin'"):
        load_knowledge(str(main))


@pytest.mark.parametrize("text,expect", [
    ("knowledge_version: '2.0.0'\nsources: {a: [1, 2\n", "not valid YAML (line"),          # malformed YAML
    ("- just\n- a list\n", "must be a YAML mapping"),                                 # wrong top-level type
    ("", "got an empty file"),
    ("released: '2026-12-01'\n", "field knowledge_version: required key is missing"),   # missing keys
    ("knowledge_version: '7.0.0'\n", "not a knowledge-base generation"),
])
def test_malformed_main_file(tmp_path, text, expect):
    path = tmp_path / "kb.yaml"
    path.write_text(text)
    with pytest.raises(KnowledgeBaseError, match=expect.replace("(", r"\(")) as err:
        load_knowledge(str(path))
    assert str(path) in err.value.message


def test_missing_keys_of_a_v2_main_file_are_all_named(tmp_path):
    main = copy_v2(tmp_path)
    edit(main, lambda raw: (raw.pop("vicc_sop"), raw.pop("class_rules")))
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge(str(main))
    assert "field vicc_sop: required key is missing" in err.value.message


def test_malformed_fragment_and_missing_fragment(tmp_path):
    main = copy_v2(tmp_path)
    frag = fragments(main)[2]
    frag.write_text("fragment: x\nvariants: [\n")
    with pytest.raises(KnowledgeBaseError, match="not valid YAML") as err:
        load_knowledge(str(main))
    assert str(frag) in err.value.message
    frag.unlink()
    with pytest.raises(KnowledgeBaseError, match="not found next to the main file"):
        load_knowledge(str(main.parent / "erbb2_kb_v2.yaml").replace("kb/", "kb/./"))


def test_v1_typos_are_named_too(tmp_path):
    raw = yaml.safe_load(V1.read_text())
    raw["curated_variants"][0]["oncogenicity"] = "oncogenc"
    path = tmp_path / "kb_v1.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge(str(path))
    assert "variant p.Y772_A775dup" in err.value.message and "field oncogenicity" in err.value.message


def test_set_call_helper_changes_only_the_named_variant(tmp_path):
    # the helpers other tests rely on
    main = copy_v2(tmp_path)
    set_call(main, "p.G776delinsVC", "uncertain_significance")
    kb = load_knowledge(str(main))
    assert kb.variants["p.G776delinsVC"].oncogenicity == "uncertain_significance"
    assert kb.variants["p.Y772_A775dup"].oncogenicity == KB.variants["p.Y772_A775dup"].oncogenicity
