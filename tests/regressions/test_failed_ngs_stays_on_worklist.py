"""Issue 8 item 2 (worklists): a failed or not-assessed NGS result is not "NGS done".

A resulted test whose ERBB2 answer is ``failed`` (here: a VCF whose only ERBB2 record does not
match the reference, so nothing about ERBB2 can be said) used to take the patient off
"advanced without NGS", off "IHC without NGS" and off "plasma not detected without tissue", and
counted in the HER2 yield's denominator. Every worklist now counts an NGS test as done only when
its result assessed ERBB2 (positive, negative, not detected, equivocal).
"""

from __future__ import annotations

import datetime as dt

from conftest import rec, vcf_text
from test_web_support import bearer, client, web  # noqa: F401  (fixture)

# GRCh38 chr17:39724730 is C (the base before c.2313, as in demo file patient01); REF T there is a
# ref_mismatch, so the file's only ERBB2 record cannot be interpreted and ERBB2 is not assessed.
KRAS = rec("chr12", 25245351, ".", "C", "A", 60, "PASS", "DP=512", "GT:AD:DP", "0/1:400,112:512")
BAD_ERBB2 = rec("chr17", 39724730, ".", "T", "A", 60, "PASS", "DP=420", "GT:AD:DP", "0/1:290,130:420")
FAILED_VCF = vcf_text([KRAS, BAD_ERBB2], samples=("TUMOR",)).encode()
NEGATIVE_VCF = vcf_text([KRAS], samples=("TUMOR",)).encode()     # read to its end, no ERBB2 variant
CSV = ("patient_id,histology,stage,diagnosis_date,test_type,test_id,assay,ordered,received,resulted,failed,"
       "result,erbb2_variants,scoring_system\n"
       "WL-FAIL,adenocarcinoma,IVB,2026-09-01,,,,,,,,,,\n"
       "WL-IHC,adenocarcinoma,IVB,2026-09-01,ihc,WL-IHC-1,4B5,2026-09-02,,2026-09-04,,3+,,gastric (Hofmann 2008)\n"
       "WL-PLASMA,adenocarcinoma,IVB,2026-09-01,,,,,,,,,,\n"
       "WL-CONTROL,adenocarcinoma,IVB,2026-09-01,,,,,,,,,,\n")


def _attach(c, h, patient, content, sample_type="tissue"):
    r = c.post(f"/api/v1/patients/{patient}/tests", headers=h, data={"sample_type": sample_type},
               files={"file": (f"{patient}-{sample_type}.vcf", content, "text/plain")})
    assert r.status_code == 200, r.text
    return r.json()


def _lists(c, h) -> dict[str, dict[str, str]]:
    return {name: {row["patient_id"]: row["reason"] for row in rows}
            for name, rows in c.get("/api/v1/worklists", headers=h).json().items()}


def test_failed_ngs_keeps_the_patient_on_every_untested_worklist(web):
    app, reg, _users = web
    c = client(app)
    r = c.post("/api/v1/patients/import", headers=bearer(reg, "data_manager"),
               files={"file": ("wl.csv", CSV.encode(), "text/csv")})
    assert r.status_code == 200 and r.json()["rows_imported"] == 4, r.text
    h = bearer(reg, "clinician")
    tested_before = c.get("/api/v1/stats/her2-yield", headers=h).json()["tested"]

    failed = _attach(c, h, "WL-FAIL", FAILED_VCF)
    assert failed["her2_status"] == "failed"
    assert [e["error"] for e in failed["picture"]["errors"]] == ["ref_mismatch"]
    _attach(c, h, "WL-IHC", FAILED_VCF)
    assert _attach(c, h, "WL-PLASMA", NEGATIVE_VCF, "plasma")["her2_status"] == "not_detected"
    _attach(c, h, "WL-PLASMA", FAILED_VCF, "tissue")
    assert _attach(c, h, "WL-CONTROL", NEGATIVE_VCF)["her2_status"] == "negative"

    lists = _lists(c, h)
    untested = lists["advanced_without_ngs"]
    assert {"WL-FAIL", "WL-IHC"} <= set(untested)
    assert "failed" in untested["WL-FAIL"] and "repeat" in untested["WL-FAIL"]
    assert "WL-IHC" in lists["ihc_without_ngs"]
    assert "WL-PLASMA" in lists["plasma_not_detected_without_tissue"]
    assert "WL-PLASMA" not in untested                 # plasma not detected is an NGS answer
    # the control: a negative tissue result that was read in full is NGS done
    assert "WL-CONTROL" not in untested
    # the yield counts patients whose NGS assessed ERBB2: WL-PLASMA and WL-CONTROL, not the failures
    assert c.get("/api/v1/stats/her2-yield", headers=h).json()["tested"] == tested_before + 2
    # the patient's overall status says failed, not negative
    assert c.get("/api/v1/patients/WL-FAIL", headers=h).json()["her2_mutation"] == "failed"


def test_a_readable_tissue_result_then_takes_them_off(web):
    """Same patients, after a tissue result that assessed ERBB2 arrives (order matters: module fixture)."""
    app, reg, _users = web
    c, h = client(app), bearer(reg, "clinician")
    _attach(c, h, "WL-IHC", NEGATIVE_VCF)
    _attach(c, h, "WL-PLASMA", NEGATIVE_VCF)
    lists = _lists(c, h)
    assert "WL-IHC" not in lists["ihc_without_ngs"] and "WL-IHC" not in lists["advanced_without_ngs"]
    assert "WL-PLASMA" not in lists["plasma_not_detected_without_tissue"]
    assert "WL-FAIL" in lists["advanced_without_ngs"]


def _row(pid, *tests, stage_advanced=True):
    from her2scope.registry.snapshot import PatientRow

    p = PatientRow(pid, f"P-{pid}")
    p.diagnoses.append(("adenocarcinoma", "IVB", dt.date(2026, 9, 1), stage_advanced))
    p.tests.extend(tests)
    return p


def _test(tid, test_type, status, her2_status, value=None):
    from her2scope.registry.snapshot import TestRow

    day = dt.date(2026, 9, 10)
    return TestRow(tid, test_type, status, "panel", dt.date(2026, 9, 2), None,
                   day if status == "resulted" else None, day if status == "failed" else None,
                   tid if status == "resulted" else None, her2_status, value, "1.0.0")


def test_not_assessed_counts_as_untested_on_every_list():
    """``not_assessed`` (a panel without ERBB2, a result without sequence data) and any status the
    worklists do not know: never "NGS done"."""
    from her2scope.registry import worklists as wl
    from her2scope.registry.stats import her2_yield
    from her2scope.registry.views import mutation_status

    today = dt.date(2026, 11, 20)
    for status in ("not_assessed", "failed", "some_future_status"):
        tissue = _test(1, "ngs_tissue", "resulted", status)
        ihc = _row(1, _test(2, "ihc", "resulted", "positive", "3+"), tissue)
        plasma = _row(2, _test(3, "ngs_plasma", "resulted", "not_detected"), tissue)
        alone = _row(3, tissue)
        patients = [ihc, plasma, alone]
        assert {r.patient_id for r in wl.advanced_without_ngs(patients, today)} == {"P-1", "P-3"}, status
        assert {r.patient_id for r in wl.ihc_without_ngs(patients, today)} == {"P-1"}, status
        assert {r.patient_id for r in wl.plasma_not_detected_without_tissue(patients, today)} == {"P-2"}, status
        assert her2_yield(patients)["tested"] == 1, status          # only the plasma answer counts
    assert mutation_status([("ngs_tissue", "resulted", "not_assessed")]) == "not_assessed"
    assert mutation_status([("ngs_tissue", "resulted", "negative"),
                            ("ngs_tissue", "resulted", "not_assessed")]) == "negative"
