"""The web flow a clinic uses every day (issue 13): the patient page is the patient's report,
clinical data edited on it, an Upload report attached to a patient, retraction, POST-redirect-GET,
people and tokens, paginated lists and the worklist export."""

from __future__ import annotations

import re

from web_helpers import YVMA_VCF, client, csrf_of, login, web  # noqa: F401  (fixture)


def _post(c, url, page_url, **data):
    return c.post(url, data={**data, "csrf_token": csrf_of(c.get(page_url).text)}, follow_redirects=False)


def test_patient_page_says_what_is_missing_then_shows_the_report(web):
    app, reg, users = web
    c = login(app, "clinician")
    page = c.get("/patients/EX-001")
    assert page.status_code == 200 and 'id="no-report"' in page.text and "region" in page.text
    assert c.get("/patients/EX-001/report/report.json").status_code == 409
    r = _post(c, "/patients/EX-001/clinical", "/patients/EX-001", histology="adenocarcinoma", stage="IVB",
              diagnosis_date="2026-08-03", region="US", prior_therapies="platinum_chemotherapy", brain_metastases="no")
    assert r.status_code == 303 and r.headers["location"] == "/patients/EX-001?done=clinical"
    page = c.get(r.headers["location"])
    assert "clinical data saved" in page.text and 'id="summary"' in page.text
    options = page.text.split('class="options"')[1].split("</table>")[0]
    assert "trastuzumab deruxtecan" in options and "on label" in options
    data = c.get("/patients/EX-001/report/report.json").json()
    assert data["case_id"] == "EX-001" and data["clinical"]["region"] == "US"
    assert data["activating_variants"] == ["p.Y772_A775dup"]
    assert c.get("/patients/EX-001/report/report.fhir.json").json()["resourceType"] == "Bundle"
    doc = c.get("/patients/EX-001/report/document")
    assert "p.Y772_A775dup" in doc.text and "frame-ancestors 'self'" in doc.headers["content-security-policy"]
    assert "attachment" in c.get("/patients/EX-001/report/report.html").headers["content-disposition"]
    audit = reg.audit_log(users["admin"], patient_id="EX-001")
    assert any(a.action == "edit_clinical" and "region: not recorded -> US" in a.detail for a in audit)


def test_viewer_cannot_edit_clinical_data(web):
    app, _reg, _users = web
    v = login(app, "viewer")
    assert 'action="/patients/EX-002/clinical"' not in v.get("/patients/EX-002").text
    assert _post(v, "/patients/EX-002/clinical", "/patients/EX-002", region="EU").status_code == 403


def test_upload_report_attached_to_a_new_patient_then_retracted(web):
    app, reg, users = web
    c = login(app, "clinician")
    with open(YVMA_VCF, "rb") as fh:
        r = c.post("/upload", data={"histology": "adenocarcinoma", "stage": "IVA", "region": "EU", "prior_lines": "0",
                                    "csrf_token": csrf_of(c.get("/upload").text)},
                   files={"file": (YVMA_VCF.name, fh, "text/plain")}, follow_redirects=False)
    view = r.headers["location"]
    key = view.split("/")[2]
    page = c.get(view)
    assert f'action="/reports/{key}/attach"' in page.text
    missing = _post(c, f"/reports/{key}/attach", view, patient_id="FLOW-404")
    assert missing.status_code == 404 and "create a new patient" in missing.text
    r = _post(c, f"/reports/{key}/attach", view, patient_id="FLOW-1", create="1")
    assert r.status_code == 303 and r.headers["location"].startswith("/patients/FLOW-1?attached=")
    page = c.get(r.headers["location"])
    assert "result attached from patient01_yvma_grch38.vcf" in page.text and 'id="summary"' in page.text
    test_id = int(r.headers["location"].rsplit("=", 1)[1])
    r = _post(c, f"/patients/FLOW-1/tests/{test_id}/retract", "/patients/FLOW-1", reason="wrong patient")
    assert r.status_code == 303
    page = c.get(r.headers["location"])
    assert "result retracted" in page.text and 'class="retracted"' in page.text and "wrong patient" in page.text
    assert reg.patient_detail("FLOW-1", users["viewer"]).her2_mutation == "not_tested"


def test_every_patient_form_redirects_after_post(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    r = _post(c, "/patients/EX-002/decisions", "/patients/EX-002", kind="other", detail="PRG check")
    assert r.status_code == 303
    with open(YVMA_VCF, "rb") as fh:
        r = c.post("/patients/EX-002/results", data={"sample_type": "tissue",
                                                     "csrf_token": csrf_of(c.get("/patients/EX-002").text)},
                   files={"file": ("prg.vcf", fh, "text/plain")}, follow_redirects=False)
    assert r.status_code == 303
    assert _post(c, "/patients/EX-002/reinterpret", "/patients/EX-002").status_code == 303
    d = login(app, "data_manager")
    csv = b"patient_id,histology,stage,diagnosis_date\nPRG-1,adenocarcinoma,IVB,2026-10-01\n"
    r = d.post("/patients/import", data={"csrf_token": csrf_of(d.get("/patients").text)},
               files={"file": ("prg.csv", csv, "text/csv")}, follow_redirects=False)
    assert r.status_code == 303 and "import=" in r.headers["location"]
    assert "1 of 1 rows imported" in d.get(r.headers["location"]).text


def test_deactivated_users_open_session_fails_at_once(web):
    app, reg, users = web
    reg.create_user("leaver", "a-long-leaver-password", "clinician")
    them = login(app, "leaver", "a-long-leaver-password")
    assert them.get("/patients", follow_redirects=False).status_code == 200
    admin = login(app, "admin")
    listed = admin.get("/admin/users")
    assert listed.status_code == 200 and 'id="user-leaver"' in listed.text
    r = _post(admin, "/admin/users/leaver/active", "/admin/users", active="0")
    assert r.status_code == 303
    assert them.get("/patients", follow_redirects=False).status_code == 303
    assert login(app, "clinician").get("/admin/users").status_code == 403


def test_admin_creates_user_and_resets_password(web):
    app, _reg, _users = web
    admin = login(app, "admin")
    r = _post(admin, "/admin/users", "/admin/users", username="newbie", role="viewer", password="first-password")
    assert r.status_code == 303
    newbie = login(app, "newbie", "first-password")
    r = _post(admin, "/admin/users/newbie/password", "/admin/users", password="second-password")
    assert r.status_code == 303
    assert newbie.get("/patients", follow_redirects=False).status_code == 303      # session ended
    login(app, "newbie", "second-password")


def test_user_changes_own_password(web):
    app, reg, _users = web
    reg.create_user("changer", "old-long-password", "viewer")
    c = login(app, "changer", "old-long-password")
    other = login(app, "changer", "old-long-password")
    bad = _post(c, "/account/password", "/account", current="wrong-password", new="new-long-password",
                confirm="new-long-password")
    assert bad.status_code == 422 and "current password" in bad.text
    r = _post(c, "/account/password", "/account", current="old-long-password", new="new-long-password",
              confirm="new-long-password")
    assert r.status_code == 303
    assert c.get("/account", follow_redirects=False).status_code == 200         # this session stays
    assert other.get("/account", follow_redirects=False).status_code == 303     # the other one ended
    login(app, "changer", "new-long-password")


def test_token_named_listed_revoked_api_401_at_once(web):
    app, _reg, _users = web
    c = login(app, "viewer")
    r = c.post("/account/token", data={"name": "nightly export", "expires_days": "30",
                                       "csrf_token": csrf_of(c.get("/account").text)})
    token = re.search(r'id="token">(h2s_[\w-]+)<', r.text).group(1)
    assert "nightly export" in r.text
    assert "h2s_" not in c.get("/account").text                                  # shown once only
    api = client(app)
    h = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/patients", headers=h).status_code == 200            # (now cached)
    tid = re.search(r'action="/account/tokens/(\d+)/revoke"', c.get("/account").text).group(1)
    assert _post(c, f"/account/tokens/{tid}/revoke", "/account").status_code == 303
    assert api.get("/api/v1/patients", headers=h).status_code == 401


def test_patients_page_paginates_searches_filters(web):
    app, _reg, _users = web
    c = login(app, "viewer")
    r = c.get("/patients?per_page=25&q=EX-00&advanced=no")
    rows = r.text.split('id="patients"')[1].split("</table>")[0]
    assert "EX-006" in rows and "EX-001" not in rows
    r = c.get("/patients?per_page=25&sort=patient&dir=desc&q=EX-00")
    rows = r.text.split('id="patients"')[1].split("</table>")[0]
    assert rows.index("EX-007") < rows.index("EX-001")
    assert c.get("/patients?sort=bogus&status=bogus&page=-3").status_code == 200   # ignored, not a 500


def test_worklist_page_and_csv_export(web):
    app, reg, users = web
    c = login(app, "viewer")
    page = c.get("/worklists/advanced_without_ngs")
    assert page.status_code == 200 and 'id="export"' in page.text
    r = c.get("/worklists/advanced_without_ngs.csv")
    assert r.status_code == 200 and r.text.startswith("patient_id,reason,since,days,test_id")
    assert "attachment" in r.headers["content-disposition"]
    assert any(a.action == "export_worklist" and a.actor == "viewer" for a in reg.audit_log(users["admin"]))
    assert c.get("/worklists/no_such_list").status_code == 404


def test_pages_have_a_skip_link_first(web):
    app, _reg, _users = web
    c = login(app, "viewer")
    for url in ("/patients", "/worklists", "/patients/EX-001", "/account"):
        html = c.get(url).text
        body = html.split("<body>", 1)[1]
        assert body.lstrip().startswith('<a class="skip" href="#main">'), url
        assert '<main id="main"' in html
