"""FHIR: the HER2 IHC and ERBB2 amplification observations carry LOINC codings a receiving system can
match by code. Codes as published (checked 2026-12-01): 18474-7 HER2 Ag by immune stain and 48018-6 gene
studied (HL7 Genomics Reporting IG v3.0.0 example HER2byImmuneStainExample); 31150-6, 49683-6, 74860-8
(ERBB2 by FISH: presence, HER2/CEP17 ratio, copies per nucleus; HL7 Breast Cancer IG value set, MII IG
example)."""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle

from her2scope.report.fhir import render_fhir

from report_helpers import report


def _biomarkers(rep) -> dict[str, dict]:
    bundle = render_fhir(rep)
    Bundle.model_validate(bundle)                         # still a valid R4 bundle
    return {o["code"]["text"]: o for o in (e["resource"] for e in bundle["entry"])
            if o["resourceType"] == "Observation" and o["meta"]["profile"][0].endswith("molecular-biomarker")}


def _codes(obs) -> dict[str, dict]:
    return {c["code"]["coding"][0]["code"]: c for c in obs.get("component", [])}


def test_ihc_observation_is_coded_18474_7_with_erbb2_as_gene_studied():
    obs = _biomarkers(report(ihc="3+"))["HER2 protein expression by immunohistochemistry (tumour)"]
    assert obs["code"]["coding"] == [{"system": "http://loinc.org", "code": "18474-7",
                                      "display": "HER2 Ag [Presence] in Tissue by Immune stain"}]
    gene = _codes(obs)["48018-6"]["valueCodeableConcept"]["coding"][0]
    assert (gene["code"], gene["display"]) == ("HGNC:3430", "ERBB2")
    assert obs["valueCodeableConcept"]["text"] == "IHC 3+"


def test_ish_amplification_carries_ratio_and_copies_with_their_codes():
    rep = report(files=None, ish={"her2_cep17_ratio": 2.5, "mean_her2_copies": 6.1})
    obs = _biomarkers(rep)["ERBB2 amplification (NGS copy number / ISH)"]
    assert obs["code"]["coding"][0]["code"] == "31150-6"
    comps = _codes(obs)
    assert comps["49683-6"]["valueQuantity"]["value"] == 2.5
    assert comps["74860-8"]["valueQuantity"]["value"] == 6.1
    assert "48018-6" in comps


def test_ngs_copy_number_is_not_given_the_fish_code():
    rep = report(copy_number={"copy_number": 12})
    obs = _biomarkers(rep)["ERBB2 amplification (NGS copy number / ISH)"]
    assert "coding" not in obs["code"]                   # no single LOINC term for an NGS amplification call
    assert set(_codes(obs)) == {"48018-6"}
