"""A FHIR genomic report was always taken as a broad panel: a report whose regions studied
(genomics-reporting IG Observation LOINC 53041-0 with 'gene studied' components LOINC 48018-6)
leave out ERBB2 gave an ERBB2 negative when it listed no ERBB2 variant. The import now reads the
genes studied: without ERBB2 (HGNC:3430) the test is 'not assessed' and the patient stays on the
'without NGS' worklist; a report without a region studied is still a broad panel."""

from __future__ import annotations

from registry_helpers import TODAY, sqlite_manager  # noqa: F401 (a fixture)

LOINC, HGNC = "http://loinc.org", "http://www.genenames.org/geneId"
DAY = "2026-10-01"


def _gene(hgnc: str, symbol: str | None) -> dict:
    coding = {"system": HGNC, "code": hgnc}
    if symbol:
        coding["display"] = symbol
    return {"code": {"coding": [{"system": LOINC, "code": "48018-6"}]}, "valueCodeableConcept": {"coding": [coding]}}


NEGATIVE_OVERALL = {"code": {"coding": [{"system": LOINC, "code": "51968-6"}]},
                    "valueCodeableConcept": {"coding": [{"system": LOINC, "code": "LA6577-6", "display": "Negative"}]}}


def _bundle(pid: str, genes: list[tuple[str, str | None]] | None, overall: dict | None = None) -> dict:
    subject = {"reference": f"urn:uuid:{pid}-p"}
    entries = [
        {"resourceType": "Patient", "id": f"{pid}-p", "identifier": [{"system": "urn:her2scope:case-id", "value": pid}]},
        {"resourceType": "Condition", "id": f"{pid}-c", "subject": subject, "code": {"text": "lung adenocarcinoma"},
         "stage": [{"summary": {"text": "IVB"}}], "onsetDateTime": DAY}]
    results = []
    if genes is not None:
        entries.append({"resourceType": "Observation", "id": f"{pid}-r", "status": "final", "subject": subject,
                        "code": {"coding": [{"system": LOINC, "code": "53041-0",
                                             "display": "DNA region of interest panel"}]},
                        "component": [_gene(code, symbol) for code, symbol in genes]})
        results.append({"reference": f"urn:uuid:{pid}-r"})
    if overall is not None:
        entries.append({"resourceType": "Observation", "id": f"{pid}-o", "status": "final", "subject": subject,
                        **overall})
        results.append({"reference": f"urn:uuid:{pid}-o"})
    entries.append({"resourceType": "DiagnosticReport", "id": f"{pid}-d", "status": "final", "subject": subject,
                    "code": {"coding": [{"system": LOINC, "code": "51969-4"}]}, "issued": f"{DAY}T00:00:00Z",
                    "result": results})
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:{e['id']}", "resource": e} for e in entries]}


def _status(r, user, pid: str) -> str:
    return next(t for t in r.patient_detail(pid, user).tests if t.test_type == "ngs_tissue").result.her2_status


def test_genes_studied_without_erbb2_are_not_a_negative(sqlite_manager):
    r, dm = sqlite_manager
    cases = {"FH-SMALL": [("HGNC:3236", "EGFR"), ("HGNC:6407", "KRAS")],
             "FH-ID-ONLY": [("HGNC:3236", "EGFR"), ("HGNC:3430", None)],     # ERBB2 by its HGNC id alone
             "FH-NO-REGION": None}
    for pid, genes in cases.items():
        rep = r.import_fhir(_bundle(pid, genes, NEGATIVE_OVERALL if genes is None else None), dm, today=TODAY)
        assert not rep.rejected, rep.rejected
    assert _status(r, dm, "FH-SMALL") == "not_assessed"
    assert _status(r, dm, "FH-ID-ONLY") == "negative"
    assert _status(r, dm, "FH-NO-REGION") == "negative"       # no region studied: a broad panel
    worklist = [w.patient_id for w in r.worklists(dm, today=TODAY)["advanced_without_ngs"]]
    assert worklist == ["FH-SMALL"]


def test_a_gene_studied_without_a_name_is_rejected(sqlite_manager):
    r, dm = sqlite_manager
    bundle = _bundle("FH-BAD", [("HGNC:3236", "EGFR")])
    region = bundle["entry"][2]["resource"]
    region["component"].append({"code": {"coding": [{"system": LOINC, "code": "48018-6"}]},
                                "valueCodeableConcept": {}})
    rep = r.import_fhir(bundle, dm, today=TODAY)
    assert any("a gene studied without a symbol or HGNC id" in x.reason for x in rep.rejected), rep.rejected
