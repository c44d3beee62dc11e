"""A FHIR genomic DiagnosticReport was imported as a result whatever its status: a
"preliminary" or "partial" report (variants may still be added) or one "entered-in-error" was
stored as resulted, so a report still missing its variants read as a negative. Only a final
(amended, corrected, appended) or cancelled report is imported; others are rejected with the
status named. The variant Observations of a rejected report are rejected with it: they are not
imported on their own as a test holding part of the report."""

from __future__ import annotations

import pytest
from registry_helpers import TODAY, fhir_bundle

from her2scope.registry import Registry, Role
from her2scope.registry.fhir_import import GENOMIC_REPORT


def _import(tmp_path, status: str):
    bundle = fhir_bundle()
    report = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DiagnosticReport"
                  and GENOMIC_REPORT in str(e["resource"].get("code")))
    report["status"] = status
    reg = Registry.open(f"sqlite:///{tmp_path / 'registry.db'}")
    try:
        reg.create_user("dm", "a-long-manager-password", Role.data_manager)
        dm = reg.authenticate("dm", "a-long-manager-password")
        rep = reg.import_fhir(bundle, dm, today=TODAY)
        return rep, reg.patient_detail("DEMO-01", dm)
    finally:
        reg.close()


@pytest.mark.parametrize("status", ["preliminary", "partial", "registered", "entered-in-error"])
def test_incomplete_report_and_its_variants_are_not_imported(tmp_path, status):
    rep, detail = _import(tmp_path, status)
    assert any(f"status {status!r}" in r.reason for r in rep.rejected)
    assert [t.test_type for t in detail.tests] == ["ihc"]      # neither the report nor its variant alone
    assert detail.her2_mutation == "not_tested"


@pytest.mark.parametrize("status", ["final", "amended", "corrected"])
def test_complete_report_is_imported(tmp_path, status):
    _rep, detail = _import(tmp_path, status)
    ngs = next(t for t in detail.tests if t.test_type == "ngs_tissue")
    assert [v.protein_change for v in ngs.result.variants] == ["p.Y772_A775dup"]
    assert detail.her2_mutation == "positive"
