"""FHIR R4 bundle shaped by the HL7 Genomics Reporting IG (GRIG).

Three separate kinds of observation keep the three HER2 alterations apart: ERBB2 ``Variant``
observations (LOINC 69548-6, HGVS components), a HER2 IHC ``molecular-biomarker`` observation,
and copy number / ISH as biomarker observations; ``therapeutic-implication`` observations link
on-label options to the finding they rest on. Everything is pseudonymous (case id only).
"""

from __future__ import annotations

import uuid
from typing import Any

from ..vocabulary import Status, TestState, Verdict
from .model import Report

GRIG = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/"
TBD = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs"
LOINC = "http://loinc.org"
HGVS = "http://varnomen.hgvs.org"
REFSEQ = "http://www.ncbi.nlm.nih.gov/refseq"
ASSEMBLY = {"GRCh37": ("LA14029-5", "GRCh37"), "GRCh38": ("LA26806-2", "GRCh38")}
_NS = uuid.UUID("6f1c1f3e-2b8f-4a57-9d56-3c1e2f6b9a10")
UCUM = "http://unitsofmeasure.org"

# LOINC codings for the HER2 biomarker observations, each checked against a published page (2026-12-01):
# - 18474-7 "HER2 Ag [Presence] in Tissue by Immune stain": the code of the HL7 Genomics Reporting IG
#   (v3.0.0) example Observation HER2byImmuneStainExample (molecular-biomarker profile), which also carries
#   48018-6 "Gene studied [ID]" = HGNC:3430 ERBB2.
# - 31150-6 "ERBB2 gene duplication [Presence] in Tissue by FISH" (older display "HER2 [Presence] in Tissue
#   by FISH"): HL7 Breast Cancer Data IG value set HER2byFISHVSInterpretationTestsVS; HL7 Lithuania lab IG example.
# - 49683-6 "ERBB2 gene copy number/Chromosome 17 copy number in Tissue by FISH" (HER2/CEP17 ratio) and
#   74860-8 "ERBB2 gene copy number/nucleus in Tissue by FISH" (mean HER2 signals per nucleus): MII
#   Molecular Tumour Board IG example ISH HER2 observation (49683-6 seen as its code); 74860-8 as described on
#   LOINC lookup pages (findacode, healthassure: secondary), the MII example shows the same display.
# These FISH terms are used for any ISH result: the case schema does not record whether ISH was FISH or a
# bright-field method, and observation.method says "in situ hybridisation" only.
IHC_CODE = ("18474-7", "HER2 Ag [Presence] in Tissue by Immune stain")
ISH_CODE = ("31150-6", "ERBB2 gene duplication [Presence] in Tissue by FISH")
ISH_RATIO = ("49683-6", "ERBB2 gene copy number/Chromosome 17 copy number in Tissue by FISH")
ISH_COPIES = ("74860-8", "ERBB2 gene copy number/nucleus in Tissue by FISH")
GENE_STUDIED = ("48018-6", "Gene studied [ID]")
# The code text of the case's ERBB2 mutation status (no LOINC code); the registry's FHIR import
# reads it back (registry/fhir_import.py).
MUTATION_STATUS_TEXT = "ERBB2 mutation status (DNA sequencing)"


def _id(*parts) -> str:
    return str(uuid.uuid5(_NS, "/".join(str(p) for p in parts)))


def _cc(system, code, display=None):
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _component(code, display, value):
    out = {"code": _cc(LOINC, code, display)}
    out.update(value)
    return out


_LAB = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}]


def _variant(v, subject, oid) -> dict:
    comps = [_component("48018-6", "Gene studied [ID]",
                        {"valueCodeableConcept": _cc("http://www.genenames.org/geneId", "HGNC:3430", "ERBB2")})]
    if v.hgvs_c:
        comps.append(_component("51958-7", "Transcript reference sequence [ID]",
                                {"valueCodeableConcept": _cc(REFSEQ, v.hgvs_c.split(":")[0])}))
        comps.append(_component("48004-6", "DNA change (c.HGVS)", {"valueCodeableConcept": _cc(HGVS, v.hgvs_c)}))
    if v.hgvs_g:
        comps.append(_component("81290-9", "Genomic DNA change (gHGVS)", {"valueCodeableConcept": _cc(HGVS, v.hgvs_g)}))
        comps.append(_component("48013-7", "Genomic reference sequence [ID]",
                                {"valueCodeableConcept": _cc(REFSEQ, v.hgvs_g.split(":")[0])}))
    if v.build in ASSEMBLY:
        code, display = ASSEMBLY[v.build]
        comps.append(_component("62374-4", "Human reference sequence assembly version",
                                {"valueCodeableConcept": _cc(LOINC, code, display)}))
    if v.hgvs_p:
        comps.append(_component("48005-3", "Amino acid change (pHGVS)", {"valueCodeableConcept": _cc(HGVS, v.hgvs_p)}))
    if v.vaf is not None:
        comps.append(_component("81258-6", "Sample variant allelic frequency [NFr]",
                                {"valueQuantity": {"value": v.vaf, "system": "http://unitsofmeasure.org", "code": "1"}}))
    c = v.classification
    note = [{"text": f"oncogenicity {c.oncogenicity} ({c.rule}); class {c.alteration_class}; knowledge v{c.knowledge_version}"}] if c else []
    return {"resourceType": "Observation", "id": oid, "meta": {"profile": [GRIG + "variant"]},
            "status": "final", "category": _LAB, "code": _cc(LOINC, "69548-6", "Genetic variant assessment"),
            "subject": subject, "valueCodeableConcept": _cc(LOINC, "LA9633-4", "Present"),
            "component": comps, "note": note}


def _gene_studied() -> dict:
    return _component(*GENE_STUDIED, {"valueCodeableConcept": _cc("http://www.genenames.org/geneId", "HGNC:3430",
                                                                  "ERBB2")})


def _biomarker(oid, subject, text, value, method=None, note=None, loinc=None, components=()) -> dict:
    code = {"text": text}
    if loinc:
        code = {"coding": [{"system": LOINC, "code": loinc[0], "display": loinc[1]}], "text": text}
    out = {"resourceType": "Observation", "id": oid, "meta": {"profile": [GRIG + "molecular-biomarker"]},
           "status": "final", "category": _LAB, "code": code, "subject": subject,
           "valueCodeableConcept": {"text": value}}
    if components:
        out["component"] = list(components)
    if method:
        out["method"] = {"text": method}
    if note:
        out["note"] = [{"text": note}]
    return out


def _dimension_note(dim) -> str | None:
    """The summary, and for not_assessed / failed the reason: a receiving system must not read
    an absent answer as a negative one."""
    return dim.summary + (f" Reason: {dim.reason}" if dim.reason and dim.reason not in dim.summary else "")


def _amplification_coding(report: Report) -> dict:
    """The ISH LOINC term when ISH is the only amplification evidence (an NGS copy-number call has no
    single LOINC term here: the observation keeps its text), plus the ISH numbers as coded components."""
    ish = report.case.ish
    comps = [_gene_studied()]
    if ish is not None and ish.status != TestState.failed:
        if ish.her2_cep17_ratio is not None:
            comps.append(_component(*ISH_RATIO, {"valueQuantity": {
                "value": ish.her2_cep17_ratio, "system": UCUM, "code": "{ratio}", "unit": "ratio"}}))
        if ish.mean_her2_copies is not None:
            comps.append(_component(*ISH_COPIES, {"valueQuantity": {
                "value": ish.mean_her2_copies, "system": UCUM, "code": "{copies}/{nucleus}", "unit": "copies per nucleus"}}))
    ngs_copy_number = any(t.copy_number for t in report.case.ngs)
    return {"loinc": ISH_CODE if ish is not None and not ngs_copy_number else None, "components": tuple(comps)}


def _ihc(ihc, oid: str, subject: dict) -> dict:
    out = _biomarker(oid, subject, "HER2 protein expression by immunohistochemistry (tumour)",
                     "failed" if ihc.status == TestState.failed else f"IHC {ihc.score}",
                     f"scoring system: {ihc.scoring_system}", loinc=IHC_CODE, components=(_gene_studied(),))
    if ihc.date is not None:       # when the IHC was done (a receiving registry dates the result by it)
        out["effectiveDateTime"] = ihc.date.isoformat()
    return out


def render_fhir(report: Report) -> dict:
    case_id = report.case.case_id
    pid = _id(case_id, "patient")
    subject = {"reference": f"urn:uuid:{pid}"}
    entries: list[dict[str, Any]] = [{"resourceType": "Patient", "id": pid,
                "identifier": [{"system": "urn:her2scope:case-id", "value": case_id}]}]
    results = []
    variant_refs: dict[str, str] = {}
    for i, v in enumerate(report.picture.variants):
        oid = _id(case_id, "variant", i, v.hgvs_c or v.protein_change)
        entries.append(_variant(v, subject, oid))
        results.append({"reference": f"urn:uuid:{oid}"})
        if v.protein_change:
            variant_refs[v.protein_change] = oid
    pic = report.picture
    ihc_id = None
    if report.case.ihc is not None:
        ihc_id = _id(case_id, "ihc")
        entries.append(_ihc(report.case.ihc, ihc_id, subject))
        results.append({"reference": f"urn:uuid:{ihc_id}"})
    if pic.amplification.status is not Status.not_tested:
        amp_id = _id(case_id, "amplification")
        entries.append(_biomarker(amp_id, subject, "ERBB2 amplification (NGS copy number / ISH)",
                                  pic.amplification.status.value, "; ".join(pic.amplification.evidence),
                                  _dimension_note(pic.amplification), **_amplification_coding(report)))
        results.append({"reference": f"urn:uuid:{amp_id}"})
    if pic.mutation.status is not Status.not_tested:
        mut_id = _id(case_id, "mutation-status")
        entries.append(_biomarker(mut_id, subject, MUTATION_STATUS_TEXT,
                                  pic.mutation.status.value, pic.mutation.assay, _dimension_note(pic.mutation)))
        results.append({"reference": f"urn:uuid:{mut_id}"})
    for o in report.steps.options:
        if o.verdict is not Verdict.on_label:
            continue
        tid = _id(case_id, "implication", o.label_id)
        basis = [variant_refs[v.protein_change] for v in pic.activating if v.protein_change in variant_refs]
        if o.label_id.endswith(("ihc3_solid", "her2pos_solid")) and ihc_id:
            basis = [ihc_id]
        entries.append({
            "resourceType": "Observation", "id": tid, "meta": {"profile": [GRIG + "therapeutic-implication"]},
            "status": "final", "category": _LAB, "code": _cc(TBD, "therapeutic-implication", "Therapeutic Implication"),
            "subject": subject, "derivedFrom": [{"reference": f"urn:uuid:{b}"} for b in basis],
            "component": [_component("51963-7", "Medication assessed [ID]", {"valueCodeableConcept": {"text": o.drug}})],
            "note": [{"text": f"{o.region} label {o.status} {o.date}: on label for this case. " + "; ".join(o.reasons)}]})
        results.append({"reference": f"urn:uuid:{tid}"})
    rid = _id(case_id, "report", report.generated)
    entries.insert(1, {
        "resourceType": "DiagnosticReport", "id": rid, "meta": {"profile": [GRIG + "genomic-report"]},
        "status": "final",
        "category": [_cc("http://terminology.hl7.org/CodeSystem/v2-0074", "GE", "Genetics")],
        "code": _cc(LOINC, "51969-4", "Genetic analysis report"), "subject": subject,
        "issued": f"{report.generated}T00:00:00Z", "result": results, "conclusion": report.headline()})
    return {"resourceType": "Bundle", "id": _id(case_id, "bundle", report.generated), "type": "collection",
            "timestamp": f"{report.generated}T00:00:00Z",
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in entries]}
