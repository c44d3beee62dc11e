"""The registry stored an ISH result as its HER2/CEP17 ratio only, so a ratio below 2 could never
be called (the ASCO/CAP 2018 dual-probe groups 3-5 need the mean HER2 copies per cell too) and
showed amplification 'not assessed'; the FHIR import also ignored the ratio and copies that
her2scope's own export writes as components (LOINC 49683-6, 74860-8) and rejected that ISH.

Expected values from the ASCO/CAP 2018 HER2 ISH algorithm (Wolff et al., J Clin Oncol 2018;
group 5: ratio < 2.0 with < 4.0 HER2 signals per cell is ISH negative)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from registry_helpers import TODAY, sqlite_manager  # noqa: F401 (a fixture)

from her2scope.case.schema import parse_case
from her2scope.registry.clinical import check_update
from her2scope.report.fhir import render_fhir
from her2scope.report.model import report_for

DAY = (TODAY - dt.timedelta(days=3)).isoformat()


@pytest.fixture
def reg(sqlite_manager):
    return sqlite_manager


def _csv(tmp_path, *rows: str):
    path = tmp_path / "ish.csv"
    path.write_text("patient_id,test_type,test_id,resulted,result,ish_copies\n" + "\n".join(rows) + "\n")
    return path


def _ish(r, user, patient):
    return next(t for t in r.patient_detail(patient, user).tests if t.test_type == "ish")


def test_csv_ratio_with_copies_is_called_and_ratio_alone_is_not(reg, tmp_path):
    r, dm = reg
    rep = r.import_csv(_csv(tmp_path, f"ISH-A,ish,A1,{DAY},1.5,3.0", f"ISH-B,ish,B1,{DAY},1.5,"), dm, today=TODAY)
    assert rep.rows_imported == 2, rep.rejected
    with_copies, ratio_only = _ish(r, dm, "ISH-A"), _ish(r, dm, "ISH-B")
    assert with_copies.result.her2_status == "negative"          # group 5
    assert with_copies.result.value == "1.5" and with_copies.result.picture["ish_copies"] == 3.0
    assert ratio_only.result.her2_status == "not_assessed"       # groups 3-5 need the copies


@pytest.mark.parametrize("row,reason", [
    (f"X-1,ihc,X1,{DAY},2+,3.0", "ish_copies given for a ihc test"),
    (f"X-2,ish,X2,{DAY},1.5,abc", "ish_copies (mean HER2 signals per cell) must be a positive number"),
    (f"X-3,ish,X3,{DAY},1.5,-1", "ish_copies (mean HER2 signals per cell) must be a positive number"),
    (f"X-4,ish,X4,{DAY},nan,3", "ISH result (HER2/CEP17 ratio) must be a positive number"),
])
def test_csv_bad_copies_are_rejected_with_the_reason(reg, tmp_path, row, reason):
    r, dm = reg
    rep = r.import_csv(_csv(tmp_path, row), dm, today=TODAY)
    assert rep.rows_imported == 0 and any(reason in x.reason for x in rep.rejected), rep.rejected


def test_fhir_export_of_an_ish_result_imports_with_ratio_and_copies(reg):
    r, dm = reg
    case = parse_case({"case_id": "ISH-F", "ish": {"her2_cep17_ratio": 1.5, "mean_her2_copies": 3.0, "date": DAY},
                       "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"}})
    bundle = render_fhir(report_for(case, Path("."), today=TODAY))
    rep = r.import_fhir(bundle, dm, today=TODAY)
    assert not [x for x in rep.rejected if "ISH" in x.reason], rep.rejected
    ish = _ish(r, dm, "ISH-F")
    assert ish.result.value == "1.5" and ish.result.picture["ish_copies"] == 3.0
    assert ish.result.her2_status == "negative"


def test_the_patients_report_case_gets_the_copies_back(reg, tmp_path):
    r, dm = reg
    path = tmp_path / "dx.csv"
    path.write_text("patient_id,histology,stage,diagnosis_date,test_type,test_id,resulted,result,ish_copies\n"
                    f"ISH-C,adenocarcinoma,IVB,2026-09-01,ish,C1,{DAY},1.5,3.0\n")
    assert r.import_csv(path, dm, today=TODAY).rows_imported == 1
    r.update_clinical("ISH-C", check_update(region="US"), dm)
    case = r.patient_case("ISH-C", dm).case
    assert case is not None and case.ish is not None
    assert (case.ish.her2_cep17_ratio, case.ish.mean_her2_copies) == (1.5, 3.0)
