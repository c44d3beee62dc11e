"""Issue 13: a result attached to the wrong patient could not be taken back. Now it is
retracted with a reason: kept and shown (never deleted), audited, and no longer counted in the
patient's status or the worklists."""

from __future__ import annotations

from web_helpers import YVMA_VCF, csrf_of, login, web  # noqa: F401  (fixture)


def test_retract_keeps_the_result_and_stops_counting_it(web):
    app, reg, users = web
    c = login(app, "clinician")
    reg.create_patient("WRONG-1", users["clinician"], histology="adenocarcinoma", stage="IVB", region="EU")
    res = reg.attach_ngs_result("WRONG-1", YVMA_VCF, users["clinician"])
    r = c.post(f"/patients/WRONG-1/tests/{res.test_id}/retract",
               data={"reason": "belongs to another patient", "csrf_token": csrf_of(c.get("/patients/WRONG-1").text)},
               follow_redirects=False)
    assert r.status_code == 303
    detail = reg.patient_detail("WRONG-1", users["viewer"])
    assert detail.her2_mutation == "not_tested" and detail.tests[0].status == "retracted"
    assert detail.tests[0].result.summary == res.summary                       # kept
    assert any(a.action == "retract_result" for a in reg.audit_log(users["admin"], patient_id="WRONG-1"))
    lists = reg.worklists(users["viewer"])
    assert "WRONG-1" in [x.patient_id for x in lists["advanced_without_ngs"]]
    assert "WRONG-1" not in [x.patient_id for x in lists["her2_mutant_without_decision"]]
