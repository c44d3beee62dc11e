"""CSV and FHIR imports: valid rows imported, invalid rows reported with their reason,
the same file twice creates nothing new, a later file updates tests by natural key."""

from __future__ import annotations

import copy

import pytest
import registry_helpers as support
from registry_helpers import EXAMPLE_CSV, TODAY, fhir_bundle, write_csv

from her2scope.registry import InvalidImport

db_url = support.db_url  # shared fixture
registry = support.registry  # shared fixture
users = support.users  # shared fixture


def test_example_csv_imports_completely(registry, users):
    rep = registry.import_csv(EXAMPLE_CSV, users["data_manager"], today=TODAY)
    assert rep.ok and not rep.already_imported
    assert rep.rows_total == rep.rows_imported == 7
    assert rep.patients_created == 7 and rep.tests_created == 6 and rep.results_stored == 5
    detail = registry.patient_detail("EX-001", users["viewer"])
    assert detail.her2_mutation == "positive"
    assert detail.diagnoses[0].stage == "IVB" and detail.diagnoses[0].advanced
    (test,) = detail.tests
    assert test.status == "resulted" and test.external_id == "LAB-1001"
    assert [v.protein_change for v in test.result.variants] == ["p.Y772_A775dup"]
    assert test.result.variants[0].oncogenicity == "oncogenic"
    assert test.result.knowledge_version
    assert registry.patient_detail("EX-006", users["viewer"]).tests[0].result.variants[0].protein_change == "p.S310F"
    assert registry.patient_detail("EX-004", users["viewer"]).tests[0].result.value == "3+"
    assert registry.patient_detail("EX-005", users["viewer"]).tests[0].status == "received"


def test_same_file_twice_creates_no_duplicates(registry, users):
    before = registry.counts()
    rep = registry.import_csv(EXAMPLE_CSV, users["data_manager"], today=TODAY)
    assert rep.already_imported and rep.rows_imported == 7
    after = registry.counts()
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}


def test_overlapping_file_updates_by_natural_key(registry, users, tmp_path):
    before = registry.counts()
    # EX-005's pending tissue test now resulted; EX-001 repeated unchanged (same natural key).
    path = write_csv(tmp_path / "update.csv",
                     "EX-005,adenocarcinoma,IVB,2026-09-10,ngs_tissue,LAB-1005,FoundationOne CDx,2026-09-12,2026-09-14,"
                     "2026-09-30,,,p.G776delinsVC,",
                     "EX-001,adenocarcinoma,IVB,2026-08-03,ngs_tissue,LAB-1001,Oncomine Dx Target Test,2026-08-05,"
                     "2026-08-07,2026-08-19,,,p.Y772_A775dup,")
    rep = registry.import_csv(path, users["data_manager"], today=TODAY)
    assert rep.ok and rep.tests_created == 0 and rep.tests_updated == 1 and rep.results_stored == 1
    after = registry.counts()
    assert after["patients"] == before["patients"] and after["tests"] == before["tests"]
    assert after["results"] == before["results"] + 1
    t = registry.patient_detail("EX-005", users["viewer"]).tests[0]
    assert t.status == "resulted" and t.result.her2_status == "positive"
    assert t.result.variants[0].protein_change == "p.G776delinsVC"


def test_invalid_rows_are_reported_and_the_rest_imported(registry, users, tmp_path):
    path = write_csv(
        tmp_path / "mixed.csv",
        "BAD-OK1,adenocarcinoma,IVA,2026-07-01,ngs_tissue,L-1,panel,2026-07-02,,2026-07-15,,,,",
        "John Smith,adenocarcinoma,IVA,2026-07-01,,,,,,,,,,",                                 # row 2: not pseudonymous
        "BAD-2,adenocarcinoma,IVZ,2026-07-01,,,,,,,,,,",                                      # row 3: stage
        "BAD-3,adenocarcinoma,IV,2026-07-01,ihc,L-3,4B5,2026-07-02,,2026-07-03,,4+,,",        # row 4: IHC score
        "BAD-4,adenocarcinoma,IV,2026-07-01,ngs_tissue,L-4,panel,2026-07-10,,2026-07-05,,,,",  # row 5: dates
        "BAD-5,adenocarcinoma,IV,2026-07-01,ngs_tissue,L-5,panel,2026-07-02,,2026-07-20,,,NM_004448.2:c.2313_2324dup,",
        "BAD-6,adenocarcinoma,IV,2099-01-01,,,,,,,,,,",                                       # row 7: future
        "BAD-7,adenocarcinoma,IV,2026-07-01,pcr,L-7,,2026-07-02,,,,,,",                       # row 8: test type
        "BAD-OK2,squamous,IIIB,2026-07-03,,,,,,,,,,",
        "BAD-8,adenocarcinoma,IV",                                                            # row 10: short
    )
    rep = registry.import_csv(path, users["data_manager"], today=TODAY)
    reasons = {r.row: r.reason for r in rep.rejected}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 10]
    assert "pseudonymous" in reasons[2]
    assert "stage" in reasons[3]
    assert "IHC score" in reasons[4]
    assert "before ordered" in reasons[5]
    assert "NM_004448.2" in reasons[6] or "transcript" in reasons[6].lower()
    assert "future" in reasons[7]
    assert "test_type" in reasons[8]
    assert "fields" in reasons[10]
    assert rep.rows_imported == 2
    names = {p.patient_id for p in registry.list_patients(users["viewer"])}
    assert {"BAD-OK1", "BAD-OK2"} <= names and not names & {"BAD-2", "BAD-3", "BAD-4", "BAD-5", "BAD-6"}


def test_unusable_file_is_refused_whole(registry, users, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("patient,stage\nX,IV\n", encoding="utf-8")
    with pytest.raises(InvalidImport) as err:
        registry.import_csv(bad, users["data_manager"], today=TODAY)
    assert "patient_id" in err.value.message


def test_fhir_bundle_import(registry, users):
    bundle = fhir_bundle()
    rep = registry.import_fhir(bundle, users["data_manager"], today=TODAY)
    assert [r.reason for r in rep.rejected if "identifying" in r.reason], rep.rejected
    assert len(rep.rejected) == 1
    d = registry.patient_detail("DEMO-01", users["viewer"])
    assert d.diagnoses[0].histology == "adenocarcinoma" and d.diagnoses[0].stage == "IVB"
    types = sorted(t.test_type for t in d.tests)
    assert types == ["ihc", "ngs_tissue"]
    ngs = next(t for t in d.tests if t.test_type == "ngs_tissue")
    assert [v.protein_change for v in ngs.result.variants] == ["p.Y772_A775dup"]
    assert d.her2_mutation == "positive"
    assert next(t for t in d.tests if t.test_type == "ihc").result.value == "1+"
    assert "NAMED-1" not in {p.patient_id for p in registry.list_patients(users["viewer"])}
    # the same bundle again: nothing new; a re-serialised copy (same content) is recognised too
    before = registry.counts()
    again = registry.import_fhir(copy.deepcopy(bundle), users["data_manager"], today=TODAY)
    assert again.already_imported
    assert registry.counts()["tests"] == before["tests"]


def test_fhir_not_a_bundle(registry, users):
    with pytest.raises(InvalidImport):
        registry.import_fhir({"resourceType": "Patient"}, users["data_manager"])
