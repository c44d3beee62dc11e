"""The registry a clinic runs every day (issue 13), on SQLite and PostgreSQL: the patient's
clinical data and report input, retraction, re-interpretation, sessions, users, tokens, and
server-side paginated lists. Expectations come from the example CSV read by hand:

    EX-001 IVB  tissue NGS p.Y772_A775dup      -> positive
    EX-002 IVA  plasma NGS, no variant listed  -> not_detected
    EX-003 IIIB no test                        -> not_tested
    EX-004 IV   IHC 3+ only                    -> not_tested
    EX-005 IVB  tissue NGS ordered, no result  -> pending
    EX-006 IIIA tissue NGS c.929C>T (S310F)    -> positive (not advanced)
    EX-007 IVB  ISH only                       -> not_tested
"""

from __future__ import annotations

import datetime as dt

import pytest
import registry_helpers as support
from sqlalchemy import text
from registry_helpers import DEMO, EXAMPLE_CSV, PASSWORD, TODAY

from her2scope.registry import NotFound, PermissionDenied, RegistryError
from her2scope.registry.clinical import check_update

db_url = support.db_url  # shared fixture
registry = support.registry  # shared fixture
users = support.users  # shared fixture
YVMA = DEMO / "patient01_yvma_grch38.vcf"


@pytest.fixture(scope="module")
def data(registry, users):
    registry.import_csv(EXAMPLE_CSV, users["data_manager"], today=TODAY)
    return registry


def _audit(reg, users, pid):
    return [(a.action, a.detail) for a in reg.audit_log(users["admin"], patient_id=pid)]


def test_report_needs_recorded_clinical_data_and_says_what_is_missing(data, users):
    pc = data.patient_case("EX-001", users["viewer"])
    assert pc.case is None and pc.missing == ("region",)       # histology and stage came with the import
    assert pc.detail.clinical["not_stated"] == ["prior_therapies", "brain_metastases"]


def test_clinical_edit_is_audited_and_feeds_the_report(data, users):
    from pathlib import Path

    from her2scope.report.model import report_for

    with pytest.raises(PermissionDenied):
        data.update_clinical("EX-001", check_update(region="US"), users["viewer"])
    changes = data.update_clinical("EX-001", check_update(region="US", prior_therapies=["platinum_chemotherapy"],
                                                         brain_metastases="no"), users["clinician"])
    assert changes == ["region: not recorded -> US", "prior_therapies: not recorded -> platinum_chemotherapy",
                       "brain_metastases: not recorded -> no"]
    assert ("edit_clinical", "; ".join(changes)) in _audit(data, users, "EX-001")
    pc = data.patient_case("EX-001", users["viewer"])
    assert pc.missing == () and pc.case.clinical.region.value == "US"
    rep = report_for(pc.case, Path("."), data.options).as_dict()
    # YVMA duplication, US, after platinum: T-DXd's US label (any activating mutation, >= 1 prior line)
    on_label = {o["drug"] for o in rep["therapy_options"] if o["verdict"] == "on_label"}
    assert "trastuzumab deruxtecan" in on_label
    assert rep["activating_variants"] == ["p.Y772_A775dup"]
    with pytest.raises(RegistryError) as err:
        check_update(region="Mars", brain_metastases="maybe")
    assert "region" in err.value.message and "brain_metastases" in err.value.message


def test_prior_therapies_not_recorded_is_not_read_as_first_line(data, users):
    data.update_clinical("EX-006", check_update(region="EU"), users["clinician"])
    pc = data.patient_case("EX-006", users["viewer"])
    assert pc.case.clinical.prior_therapies is None and pc.case.clinical.pretreated is None


def test_create_patient_pseudonymous_only(data, users):
    with pytest.raises(RegistryError):
        data.create_patient("Jane Doe", users["clinician"])            # a space: not a pseudonym
    with pytest.raises(PermissionDenied):
        data.create_patient("NEW-V", users["viewer"])
    assert data.create_patient("NEW-C1", users["clinician"], histology="adenocarcinoma", stage="IVA",
                               region="JP") == "NEW-C1"
    with pytest.raises(RegistryError):
        data.create_patient("NEW-C1", users["clinician"])
    assert data.patient_case("NEW-C1", users["viewer"]).missing == ()


def test_retracted_result_is_kept_and_no_longer_counted(data, users):
    data.create_patient("RET-1", users["clinician"], histology="adenocarcinoma", stage="IVB", region="US")
    res = data.attach_ngs_result("RET-1", YVMA, users["clinician"])
    assert data.patient_detail("RET-1", users["viewer"]).her2_mutation == "positive"
    with pytest.raises(RegistryError):
        data.retract_test("RET-1", res.test_id, "  ", users["clinician"])      # a reason is required
    with pytest.raises(PermissionDenied):
        data.retract_test("RET-1", res.test_id, "wrong patient", users["viewer"])
    with pytest.raises(NotFound):
        data.retract_test("EX-001", res.test_id, "wrong patient", users["clinician"])   # not EX-001's test
    data.retract_test("RET-1", res.test_id, "wrong patient", users["clinician"])
    d = data.patient_detail("RET-1", users["viewer"])
    assert d.her2_mutation == "not_tested" and d.results == ()
    kept = d.tests[0]
    assert kept.status == "retracted" and kept.result.her2_status == "positive"
    assert kept.retracted_by == "u-clinician" and kept.retraction_reason == "wrong patient"
    wl = data.worklists(users["viewer"], today=TODAY)
    assert "RET-1" in [r.patient_id for r in wl["advanced_without_ngs"]]
    assert "RET-1" not in [r.patient_id for r in wl["her2_mutant_without_decision"]]
    assert any(a == "retract_result" for a, _ in _audit(data, users, "RET-1"))
    with pytest.raises(RegistryError):
        data.retract_test("RET-1", res.test_id, "again", users["clinician"])
    again = data.attach_ngs_result("RET-1", YVMA, users["clinician"])        # the same file again: a new test
    assert again.test_id != res.test_id
    assert data.patient_detail("RET-1", users["viewer"]).her2_mutation == "positive"


def test_retracting_a_result_that_completed_an_order_reopens_it(data, users):
    res = data.attach_ngs_result("EX-005", YVMA, users["clinician"], resulted=TODAY)   # completes LAB-1005
    data.retract_test("EX-005", res.test_id, "sample swap", users["clinician"])
    tests = data.patient_detail("EX-005", users["viewer"]).tests
    assert sorted(t.status for t in tests) == ["received", "retracted"]
    assert all(t.external_id == "LAB-1005" for t in tests)
    assert "EX-005" in [r.patient_id for r in data.worklists(users["viewer"], today=TODAY)["pending_too_long"]]


def test_reinterpret_after_a_knowledge_update(data, users, registry):
    res = data.attach_ngs_result("EX-003", YVMA, users["clinician"])
    with registry.engine.begin() as conn:   # as if made with an older knowledge base
        conn.execute(text("UPDATE results SET knowledge_version = '0.0.1-old' WHERE id = :i"), {"i": res.result_id})
    pc = data.patient_case("EX-003", users["viewer"])
    assert pc.outdated == (res.test_id,)
    changes = data.reinterpret("EX-003", users["clinician"])
    assert len(changes) == 1 and "0.0.1-old" in changes[0] and "positive" in changes[0]
    assert data.patient_case("EX-003", users["viewer"]).outdated == ()
    assert any(a == "reinterpret" for a, _ in _audit(data, users, "EX-003"))


def test_sessions_end_on_logout_deactivation_and_password_reset(data, users):
    data.create_user("sess-user", PASSWORD, "viewer")
    who = data.authenticate("sess-user", PASSWORD)
    s1, s2 = data.start_session(who, 3600), data.start_session(who, 3600)
    assert data.user_for_session(s1) == who and data.user_for_session("nope") is None
    data.end_session(s1)
    assert data.user_for_session(s1) is None and data.user_for_session(s2) == who
    data.reset_password("sess-user", "another-long-password", actor=users["admin"])
    assert data.user_for_session(s2) is None
    s3 = data.start_session(who, 3600)
    data.set_user_active("sess-user", False, actor=users["admin"])
    assert data.user_for_session(s3) is None and data.authenticate("sess-user", "another-long-password") is None
    data.set_user_active("sess-user", True, actor=users["admin"])
    assert data.user_for_session(s3) is None                                # an ended session stays ended
    assert data.authenticate("sess-user", "another-long-password") == who
    expired = data.start_session(who, -1)
    assert data.user_for_session(expired) is None


def test_change_own_password_keeps_this_session_only(data, users):
    data.create_user("pw-user", PASSWORD, "viewer")
    who = data.authenticate("pw-user", PASSWORD)
    here, there = data.start_session(who, 3600), data.start_session(who, 3600)
    with pytest.raises(PermissionDenied):
        data.change_password(who, "wrong-current-pw", "a-new-long-password")
    with pytest.raises(RegistryError):
        data.change_password(who, PASSWORD, "short")
    data.change_password(who, PASSWORD, "a-new-long-password", keep_session=here)
    assert data.user_for_session(here) == who and data.user_for_session(there) is None
    assert data.authenticate("pw-user", PASSWORD) is None
    assert data.authenticate("pw-user", "a-new-long-password") == who


def test_the_last_admin_cannot_be_deactivated(data, users):
    with pytest.raises(PermissionDenied):
        data.set_user_active("u-viewer", False, actor=users["clinician"])
    with pytest.raises(RegistryError):
        data.set_user_active("u-admin", False, actor=users["admin"])
    listed = {u.username: u for u in data.list_users(users["admin"])}
    assert listed["u-admin"].active and listed["u-admin"].role.value == "admin"
    with pytest.raises(PermissionDenied):
        data.list_users(users["viewer"])


def test_tokens_named_expiring_listed_revocable(data, users):
    me = users["clinician"]
    tok = data.issue_api_token("u-clinician", actor=me, name="lab script", expires_days=30)
    mine = data.list_api_tokens(me)
    t = next(x for x in mine if x.name == "lab script")
    assert t.state == "active" and (t.expires_at - t.created_at) == dt.timedelta(days=30)
    assert data.user_for_token(tok) == me
    with pytest.raises(RegistryError):
        data.issue_api_token("u-clinician", actor=me, expires_days=366)
    with pytest.raises(PermissionDenied):
        data.list_api_tokens(me, everyone=True)
    other = data.issue_api_token("u-viewer", actor=users["viewer"], name="viewer's")
    vid = next(x.id for x in data.list_api_tokens(users["viewer"]) if x.name == "viewer's")
    with pytest.raises(PermissionDenied):
        data.revoke_api_token(vid, me)                                       # not the clinician's token
    assert data.revoke_api_token(t.id, me).state == "revoked"
    assert data.user_for_token(tok) is None
    data.revoke_api_token(vid, users["admin"])                               # an admin revokes anyone's
    assert data.user_for_token(other) is None
    with pytest.raises(NotFound):
        data.revoke_api_token(999999, users["admin"])


def test_expired_token_is_refused(data, users, registry):
    tok = data.issue_api_token("u-viewer", actor=users["viewer"], name="short", expires_days=1)
    with registry.engine.begin() as conn:
        conn.execute(text("UPDATE api_tokens SET expires_at = :t WHERE name = 'short'"),
                     {"t": dt.datetime(2020, 1, 1)})
    assert data.user_for_token(tok) is None


def test_patients_page_search_sort_filter_paginate(data, users):
    v = users["viewer"]
    page = data.patients_page(v, q="ex-00", per_page=3)
    assert page.total == 7 and page.pages == 3 and [p.patient_id for p in page.items] == ["EX-001", "EX-002",
                                                                                         "EX-003"]
    assert [p.patient_id for p in data.patients_page(v, q="EX-00", per_page=3, page=3).items] == ["EX-007"]
    assert {p.patient_id for p in data.patients_page(v, q="ex-00", advanced=False).items} == {"EX-006"}
    # statuses here as the table in the module docstring, after the tests above changed EX-001/3/5
    detail = {p.patient_id: p.her2_mutation for p in data.list_patients(v)}
    by_status = data.patients_page(v, q="ex-00", status="not_tested").items
    assert {p.patient_id for p in by_status} == {k for k, s in detail.items() if s == "not_tested" and k.startswith("EX")}
    assert data.patients_page(v, q="EX-002").items[0].her2_mutation == "not_detected"
    desc = [p.patient_id for p in data.patients_page(v, q="ex-00", sort="diagnosed", descending=True).items]
    assert desc[0] == "EX-007" and desc[-1] == "EX-001"                      # 2026-10-01 ... 2026-08-03
    assert data.patients_page(v, q="%").total == 0 and data.patients_page(v, q="_").total == 0   # no wildcards
    with pytest.raises(RegistryError):
        data.patients_page(v, sort="name; DROP TABLE patients")


def test_patients_page_status_matches_the_patient_detail(data, users):
    v = users["viewer"]
    listed = {p.patient_id: p.her2_mutation for p in data.patients_page(v, per_page=500).items}
    assert listed == {p.patient_id: p.her2_mutation for p in data.list_patients(v)}


def test_worklist_page_and_audited_export(data, users):
    v = users["viewer"]
    full = data.worklists(v, today=TODAY)["advanced_without_ngs"]
    page = data.worklist_page("advanced_without_ngs", v, per_page=1, page=2, sort="patient", today=TODAY)
    assert page.total == len(full) and page.items[0].patient_id == sorted(r.patient_id for r in full)[1]
    rows = data.export_worklist("advanced_without_ngs", v, q="EX-00", today=TODAY)
    assert [r.patient_id for r in rows] == sorted(r.patient_id for r in full if "EX-00" in r.patient_id)
    assert any(a.action == "export_worklist" and a.actor == "u-viewer" for a in data.audit_log(users["admin"]))
