"""her2scope's own FHIR export writes one genomic DiagnosticReport (LOINC 51969-4) for every case,
also for a case that was never sequenced (IHC only). The registry's FHIR import took every genomic
report as an NGS test and a report without variants as "no ERBB2 variant found": the export of an
IHC-only case came back as an ERBB2 *negative* and took the patient off the 'without NGS'
worklist. A genomic report is now an NGS result only when it states one (a variant Observation,
present or absent; a region studied; a negative overall interpretation, LOINC 51968-6 = LA6577-6;
or the ERBB2 mutation status her2scope's export writes); otherwise the import says so in a note.

Expected values by hand from each case: IHC 3+ only -> no NGS test, mutation not tested;
tissue VCF without ERBB2 records -> negative; plasma VCF without ERBB2 -> not detected (plasma);
a failed assay -> a failed test; a panel without ERBB2 -> not stored, with the reason."""

from __future__ import annotations

import pytest
from registry_helpers import TODAY, sqlite_manager  # noqa: F401 (a fixture)
from report_helpers import CASES

from her2scope.case.schema import parse_case
from her2scope.report.fhir import render_fhir
from her2scope.report.model import report_for

CLINICAL = {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"}


def _export(pid: str, **parts) -> dict:
    case = parse_case({"case_id": pid, "clinical": CLINICAL, **parts})
    return render_fhir(report_for(case, CASES, today=TODAY))


def test_an_ihc_only_case_comes_back_without_an_ngs_test(sqlite_manager, tmp_path):
    r, dm = sqlite_manager
    (tmp_path / "dx.csv").write_text("patient_id,histology,stage\nRT-IHC,adenocarcinoma,IVB\n")
    assert r.import_csv(tmp_path / "dx.csv", dm, today=TODAY).rows_imported == 1
    rep = r.import_fhir(_export("RT-IHC", ihc={"score": "3+", "scoring_system": "gastric", "date": "2026-11-20"}),
                        dm, today=TODAY)
    tests = {t.test_type: t for t in r.patient_detail("RT-IHC", dm).tests}
    assert set(tests) == {"ihc"} and not rep.rejected
    assert any("states no sequencing result" in n for n in rep.notes)
    assert r.patient_detail("RT-IHC", dm).her2_mutation == "not_tested"
    assert "RT-IHC" in [w.patient_id for w in r.worklists(dm, today=TODAY)["advanced_without_ngs"]]


@pytest.mark.parametrize("pid,ngs,test_type,status", [
    ("RT-NEG", {"sample_type": "tissue", "files": ["tissue_no_erbb2_grch37.vcf"]}, "ngs_tissue", "negative"),
    ("RT-PLASMA", {"sample_type": "plasma", "files": ["plasma_no_erbb2_grch37.vcf"]}, "ngs_plasma", "not_detected"),
])
def test_a_sequenced_case_comes_back_with_its_result(sqlite_manager, pid, ngs, test_type, status):
    r, dm = sqlite_manager
    rep = r.import_fhir(_export(pid, ngs=[ngs]), dm, today=TODAY)
    assert not rep.rejected, rep.rejected
    [test] = [t for t in r.patient_detail(pid, dm).tests if t.test_type.startswith("ngs_")]
    assert (test.test_type, test.result.her2_status) == (test_type, status)


def test_a_failed_assay_comes_back_failed(sqlite_manager):
    r, dm = sqlite_manager
    r.import_fhir(_export("RT-FAIL", ngs=[{"sample_type": "tissue", "status": "failed"}]), dm, today=TODAY)
    [test] = r.patient_detail("RT-FAIL", dm).tests
    assert (test.test_type, test.status) == ("ngs_tissue", "failed")


def test_an_uncovered_panel_comes_back_as_no_result_with_the_reason(sqlite_manager):
    r, dm = sqlite_manager
    ngs = {"sample_type": "tissue", "files": ["tissue_no_erbb2_grch37.vcf"], "genes_covered": ["EGFR", "KRAS"]}
    rep = r.import_fhir(_export("RT-PANEL", ngs=[ngs]), dm, today=TODAY)
    assert any("not assessed" in x.reason for x in rep.rejected), rep.rejected
    assert r.patient_detail("RT-PANEL", dm).tests == ()


def test_a_lab_report_with_only_a_positive_overall_interpretation_is_no_ngs_negative(sqlite_manager):
    """A positive overall interpretation without a variant Observation names no ERBB2 finding."""
    r, dm = sqlite_manager
    loinc = "http://loinc.org"
    subject = {"reference": "urn:uuid:lab-p"}
    entries = [
        {"resourceType": "Patient", "id": "lab-p", "identifier": [{"system": "urn:her2scope:case-id", "value": "RT-LAB"}]},
        {"resourceType": "Observation", "id": "lab-o", "status": "final", "subject": subject,
         "code": {"coding": [{"system": loinc, "code": "51968-6"}]},
         "valueCodeableConcept": {"coding": [{"system": loinc, "code": "LA6576-8", "display": "Positive"}]}},
        {"resourceType": "DiagnosticReport", "id": "lab-d", "status": "final", "subject": subject,
         "code": {"coding": [{"system": loinc, "code": "51969-4"}]}, "issued": "2026-10-01T00:00:00Z",
         "result": [{"reference": "urn:uuid:lab-o"}]}]
    rep = r.import_fhir({"resourceType": "Bundle", "type": "collection",
                         "entry": [{"fullUrl": f"urn:uuid:{e['id']}", "resource": e} for e in entries]},
                        dm, today=TODAY)
    assert r.patient_detail("RT-LAB", dm).tests == ()
    assert any("states no sequencing result" in n for n in rep.notes)

