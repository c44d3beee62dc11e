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
from web_helpers import bearer, client, web  # noqa: F401  (fixture)

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


def _patient(s, pseudonym: str, *tests: tuple[str, str, str | None]) -> None:
    """An advanced patient with tests (test_type, test status, her2_status), written straight into
    the registry's tables (the states an import cannot make, e.g. a future status value)."""
    from her2scope.registry import models

    day = dt.date(2026, 9, 10)
    p = models.Patient(pseudonym=pseudonym, source="manual")
    s.add(p)
    s.flush()
    s.add(models.Diagnosis(patient_id=p.id, natural_key=f"{pseudonym}|dx", histology="adenocarcinoma",
                           stage="IVB", advanced=True, diagnosis_date=dt.date(2026, 9, 1)))
    for k, (test_type, status, her2_status) in enumerate(tests):
        t = models.Test(patient_id=p.id, natural_key=f"{pseudonym}|{k}", test_type=test_type, status=status,
                        assay="panel", ordered=dt.date(2026, 9, 2), received=None,
                        resulted=day if status == "resulted" else None, failed=None)
        s.add(t)
        s.flush()
        s.add(models.Result(test_id=t.id, summary="test", knowledge_version="2.0.0", her2_status=her2_status,
                            value="3+" if test_type == "ihc" else None))


def test_not_assessed_counts_as_untested_on_every_list(tmp_path):
    """``not_assessed`` (a panel without ERBB2, a result without sequence data), ``failed`` and any
    status the worklists do not know: never "NGS done" — checked on the worklists as the registry
    selects them (SQL), the HER2 yield and the patient's overall status."""
    from her2scope.registry import Registry, Role, snapshot
    from her2scope.registry.stats import her2_yield
    from her2scope.registry.views import mutation_status

    reg = Registry.open(f"sqlite:///{tmp_path / 'wl.db'}")
    viewer = reg.create_user("u-viewer", "a-long-test-password", Role.viewer)
    today = dt.date(2026, 11, 20)
    for status in ("not_assessed", "failed", "some_future_status"):
        with reg._tx() as s:
            _patient(s, f"{status}-IHC", ("ihc", "resulted", "positive"), ("ngs_tissue", "resulted", status))
            _patient(s, f"{status}-PLASMA", ("ngs_plasma", "resulted", "not_detected"),
                     ("ngs_tissue", "resulted", status))
            _patient(s, f"{status}-ALONE", ("ngs_tissue", "resulted", status))
    lists = {name: {r.patient_id for r in rows}
             for name, rows in reg.worklists(viewer, today=today).items()}
    for status in ("not_assessed", "failed", "some_future_status"):
        assert {f"{status}-IHC", f"{status}-ALONE"} <= lists["advanced_without_ngs"], status
        assert f"{status}-PLASMA" not in lists["advanced_without_ngs"], status     # plasma answered
        assert f"{status}-IHC" in lists["ihc_without_ngs"], status
        assert f"{status}-PLASMA" in lists["plasma_not_detected_without_tissue"], status
    with reg._tx() as s:
        patients = list(snapshot.load(s).values())
    assert her2_yield(patients)["tested"] == 3          # only the three plasma answers count
    assert mutation_status([("ngs_tissue", "resulted", "not_assessed")]) == "not_assessed"
    assert mutation_status([("ngs_tissue", "resulted", "negative"),
                            ("ngs_tissue", "resulted", "not_assessed")]) == "negative"


def test_registry_and_report_combine_test_statuses_in_one_order():
    """The patient's overall status in the registry is the HER2 picture's own combination of its
    tests (issue 11: the registry no longer keeps a second priority order)."""
    import itertools

    from her2scope.case.picture import combined_mutation_status
    from her2scope.registry.views import mutation_status

    statuses = ("positive", "equivocal", "negative", "not_detected", "failed", "not_assessed")
    for pair in itertools.permutations(statuses, 2):
        tests = [("ngs_tissue", "resulted", s) for s in pair]
        assert mutation_status(tests) == combined_mutation_status(pair).value, pair
    # hand-checked examples of the order: found > trustworthy answer > why there is none
    assert combined_mutation_status(["negative", "positive"]) == "positive"
    assert combined_mutation_status(["not_detected", "negative"]) == "negative"
    assert combined_mutation_status(["failed", "not_detected"]) == "not_detected"
    assert combined_mutation_status(["not_assessed", "failed"]) == "failed"
    assert combined_mutation_status(["some_future_status"]) is None
