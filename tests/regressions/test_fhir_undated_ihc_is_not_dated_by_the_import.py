"""An IHC (or ISH) Observation without a date was stored as resulted on the day of the import: a
made-up date that moves turnaround and 'pending too long'. Now it takes the date of the
DiagnosticReport that lists it; one that no dated report lists is rejected with the reason. The
report's own FHIR export writes the IHC's date when the case gives one, so the round trip keeps it."""

from __future__ import annotations

import datetime as dt

from registry_helpers import DEMO, TODAY, fhir_bundle

from her2scope.case.schema import load_case
from her2scope.registry import Registry, Role
from her2scope.registry.fhir_import import IHC_LOINC
from her2scope.report.fhir import render_fhir
from her2scope.report.model import report_for

LATER = TODAY + dt.timedelta(days=40)          # the import runs weeks after the report was issued


def _import(tmp_path, bundle):
    reg = Registry.open(f"sqlite:///{tmp_path / 'registry.db'}")
    reg.create_user("dm", "a-long-manager-password", Role.data_manager)
    dm = reg.authenticate("dm", "a-long-manager-password")
    rep = reg.import_fhir(bundle, dm, today=LATER)
    tests = {t.test_type: t for t in reg.patient_detail("DEMO-01", dm).tests}
    reg.close()
    return rep, tests


def _ihc_entry(bundle) -> dict:
    return next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
                and IHC_LOINC in str(e["resource"].get("code")))


def test_undated_ihc_takes_the_date_of_the_report_that_lists_it(tmp_path):
    bundle = fhir_bundle()                      # demo case 1: its IHC has no date; the report was issued TODAY
    assert "effectiveDateTime" not in _ihc_entry(bundle)["resource"]
    rep, tests = _import(tmp_path, bundle)
    assert tests["ihc"].resulted == TODAY and tests["ihc"].resulted != LATER
    assert not [r for r in rep.rejected if "IHC" in r.reason]


def test_undated_ihc_that_no_report_lists_is_rejected_not_dated_today(tmp_path):
    bundle = fhir_bundle()
    ihc = _ihc_entry(bundle)
    report = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DiagnosticReport")
    report["result"] = [r for r in report["result"] if r["reference"] != ihc["fullUrl"]]
    rep, tests = _import(tmp_path, bundle)
    assert "ihc" not in tests
    assert any("IHC Observation without effectiveDateTime or issued date" in r.reason for r in rep.rejected)


def test_ihc_date_of_the_case_goes_out_and_comes_back(tmp_path):
    case, base = load_case(DEMO / "cases" / "case01_yvma_after_one_line.yaml")
    done = dt.date(2026, 10, 2)
    dated = case.model_copy(update={"ihc": case.ihc.model_copy(update={"date": done})})
    bundle = render_fhir(report_for(dated, base, today=TODAY))
    assert _ihc_entry(bundle)["resource"]["effectiveDateTime"] == "2026-10-02"
    _, tests = _import(tmp_path, bundle)
    assert tests["ihc"].resulted == done
