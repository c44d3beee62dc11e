"""Server-rendered pages: upload -> annotation + report, case form, patients, timeline,
decisions, worklists, knowledge base, about page, account tokens."""

from __future__ import annotations

import re

from web_helpers import YVMA_VCF, client, csrf_of, login, web  # noqa: F401  (fixture)

UPLOAD_FORM = {"histology": "adenocarcinoma", "stage": "IVB", "region": "US", "prior_lines": "1"}


def _upload(c, path=YVMA_VCF, **extra):
    with open(path, "rb") as fh:
        return c.post("/upload", data={**UPLOAD_FORM, **extra, "csrf_token": csrf_of(c.get("/upload").text)},
                      files={"file": (path.name, fh, "application/octet-stream")})


def test_login_page_and_wrong_password(web):
    app, _reg, _users = web
    c = client(app)
    page = c.get("/login")
    assert page.status_code == 200 and 'name="password"' in page.text
    r = c.post("/login", data={"username": "viewer", "password": "nope-nope-nope", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 401 and "wrong password" in r.text


def test_login_returns_to_the_page_asked_for(web):
    app, _reg, _users = web
    c = client(app)
    r = c.get("/worklists", follow_redirects=False)
    assert r.headers["location"] == "/login?next=/worklists"
    page = c.get(r.headers["location"])
    r = c.post("/login", data={"username": "viewer", "password": "a-long-web-test-password", "next": "/worklists",
                               "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.headers["location"] == "/worklists"
    r = c.post("/login", data={"username": "viewer", "password": "a-long-web-test-password",
                               "next": "//evil.example/x", "csrf_token": csrf_of(c.get("/login").text)},
               follow_redirects=False)
    assert r.headers["location"] == "/"


def test_upload_shows_annotation_and_report(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    r = _upload(c)
    assert r.status_code == 200, r.text
    assert "p.Y772_A775dup" in r.text and "NM_004448.4:c.2313_2324dup" in r.text
    assert "patient01_yvma_grch38.vcf" in r.text and "/tmp/" not in r.text
    key = re.search(r"/reports/([\w-]+)/document", r.text).group(1)
    doc = c.get(f"/reports/{key}/document")
    assert doc.status_code == 200 and "p.Y772_A775dup" in doc.text
    assert "frame-ancestors 'self'" in doc.headers["content-security-policy"]
    assert "script-src" not in doc.headers["content-security-policy"]       # default-src 'none' covers it
    assert doc.headers["x-frame-options"] == "SAMEORIGIN"
    data = c.get(f"/reports/{key}/report.json").json()
    assert data["activating_variants"] == ["p.Y772_A775dup"]
    assert c.get(f"/reports/{key}/report.fhir.json").json()["resourceType"] == "Bundle"
    assert "attachment" in c.get(f"/reports/{key}/report.html").headers["content-disposition"]


def test_upload_with_a_missing_field_says_which(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    r = _upload(c, stage="stage nine")
    assert r.status_code == 422 and "stage" in r.text


def test_upload_maf_and_hgvs_text(web, tmp_path):
    from web_helpers import DEMO

    app, _reg, _users = web
    c = login(app, "viewer")
    r = _upload(c, DEMO / "patient04_tcga_luad_erbb2.maf")
    assert r.status_code == 200 and "MAF" in r.text
    hgvs = tmp_path / "lab_report.txt"
    hgvs.write_text("NM_004448.4:c.929C>T\n")
    r = _upload(c, hgvs)
    assert r.status_code == 200 and "p.S310F" in r.text


def test_case_form_makes_a_report(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    form = {"case_id": "FORM-1", "histology": "adenocarcinoma", "stage": "IVA", "region": "EU", "prior_lines": "0",
            "ngs_done": "on", "sample_type": "tissue", "variants": "ERBB2 p.S310F\n", "ihc_score": "2+",
            "ihc_system": "gastric (Hofmann 2008)", "brain_metastases": "no", "brain_mri_done": "yes",
            "csrf_token": csrf_of(c.get("/case").text)}
    r = c.post("/case", data=form)
    assert r.status_code == 200, r.text
    assert "FORM-1" in r.text and "p.S310F" in r.text
    bad = c.post("/case", data={**form, "variants": "/etc/passwd", "csrf_token": csrf_of(c.get("/case").text)})
    assert bad.status_code == 422 and "not an HGVS expression" in bad.text
    bad = c.post("/case", data={**form, "ihc_score": "4+", "csrf_token": csrf_of(c.get("/case").text)})
    assert bad.status_code == 422


def test_patients_page_and_timeline(web):
    app, reg, users = web
    c = login(app, "viewer")
    r = c.get("/patients")
    assert r.status_code == 200 and "EX-001" in r.text
    assert "/patients/import" not in r.text          # a viewer is not offered the import form
    p = c.get("/patients/EX-001")
    assert p.status_code == 200 and 'id="timeline"' in p.text and "p.Y772_A775dup" in p.text
    assert 'action="/patients/EX-001/decisions"' not in p.text
    assert c.get("/patients/NOPE-9").status_code == 404
    audit = reg.audit_log(users["admin"], patient_id="EX-001")
    assert any(a.action == "view_patient" and a.actor == "viewer" for a in audit)


def test_clinician_records_decision_viewer_cannot(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    page = c.get("/patients/EX-001")
    assert 'action="/patients/EX-001/decisions"' in page.text
    r = c.post("/patients/EX-001/decisions", data={"kind": "trial_referral", "detail": "referred to TRIAL-X",
                                                   "csrf_token": csrf_of(page.text)})
    assert r.status_code == 200 and "referred to TRIAL-X" in r.text
    v = login(app, "viewer")
    r = v.post("/patients/EX-001/decisions", data={"kind": "other", "detail": "x",
                                                   "csrf_token": csrf_of(v.get("/patients/EX-001").text)})
    assert r.status_code == 403


def test_viewer_cannot_import_data_manager_can(web):
    app, _reg, _users = web
    csv = b"patient_id,histology,stage,diagnosis_date\nPAGE-NEW-1,adenocarcinoma,IVB,2026-10-01\n"
    v = login(app, "viewer")
    r = v.post("/patients/import", data={"csrf_token": csrf_of(v.get("/patients").text)},
               files={"file": ("new.csv", csv, "text/csv")})
    assert r.status_code == 403
    d = login(app, "data_manager")
    page = d.get("/patients")
    assert 'action="/patients/import"' in page.text
    r = d.post("/patients/import", data={"csrf_token": csrf_of(page.text)}, files={"file": ("new.csv", csv, "text/csv")})
    assert r.status_code == 200 and "1 of 1 rows imported" in r.text and "PAGE-NEW-1" in r.text


def test_patient_leaves_no_ngs_worklist_after_attaching(web):
    app, _reg, _users = web
    d = login(app, "data_manager")
    csv = b"patient_id,histology,stage,diagnosis_date\nPAGE-WL-1,adenocarcinoma,IVB,2026-10-01\n"
    d.post("/patients/import", data={"csrf_token": csrf_of(d.get("/patients").text)},
           files={"file": ("wl.csv", csv, "text/csv")})
    c = login(app, "clinician")
    wl = c.get("/worklists").text
    section = wl.split('id="advanced_without_ngs"')[1].split("</section>")[0]
    assert "PAGE-WL-1" in section
    page = c.get("/patients/PAGE-WL-1")
    with open(YVMA_VCF, "rb") as fh:
        r = c.post("/patients/PAGE-WL-1/results", data={"sample_type": "tissue", "csrf_token": csrf_of(page.text)},
                   files={"file": ("wl1.vcf", fh, "text/plain")})
    assert r.status_code == 200 and "result attached" in r.text and "p.Y772_A775dup" in r.text
    section = c.get("/worklists").text.split('id="advanced_without_ngs"')[1].split("</section>")[0]
    assert "PAGE-WL-1" not in section


def test_worklists_page_lists_every_worklist(web):
    from her2scope.registry import WORKLISTS

    app, _reg, _users = web
    c = login(app, "viewer")
    r = c.get("/worklists")
    assert r.status_code == 200
    for name in WORKLISTS:
        assert f'id="{name}"' in r.text
    assert "HER2-mutation yield" in r.text
    home = c.get("/")
    assert all(f"/worklists#{n}" in home.text for n in WORKLISTS)


def test_knowledge_browser_shows_every_curated_variant_with_citations(web):
    from her2scope import load_knowledge

    app, _reg, _users = web
    html = login(app, "viewer").get("/knowledge").text
    kb = load_knowledge()
    for v in kb.variants.values():
        assert v.protein_change in html
        for e in v.evidence:
            for key in e.citations:
                assert f'id="src-{key}"' in html
    assert "trastuzumab deruxtecan" in html and "NCT03505710" in html


def test_about_page_with_burden_and_spectrum(web):
    app, _reg, _users = web
    c = login(app, "viewer")
    figs = app.state.h2s.figures.get(wait=120)
    assert figs is not None and not figs.errors
    html = c.get("/about").text
    assert "GLOBOCAN 2022" in html and "/about/figures/burden.png" in html
    assert "/about/figures/cohort-lollipop.png" in html and "profiled samples" in html
    png = c.get("/about/figures/burden.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert c.get("/about/figures/cohort-spectrum.png").content.startswith(b"\x89PNG")
    assert c.get("/about/figures/../../etc/passwd").status_code == 404
    rep = c.get("/about/cohort-report")
    assert rep.status_code == 200 and "data:image/png" in rep.text
    assert "img-src data:" in rep.headers["content-security-policy"]


def test_account_issues_an_api_token(web):
    app, _reg, _users = web
    c = login(app, "viewer")
    r = c.post("/account/token", data={"csrf_token": csrf_of(c.get("/account").text)})
    token = re.search(r'id="token">(h2s_[\w-]+)<', r.text).group(1)
    assert client(app).get("/api/v1/patients", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_audit_page_for_admins_only(web):
    app, _reg, _users = web
    assert login(app, "admin").get("/audit").status_code == 200
    assert login(app, "clinician").get("/audit").status_code == 403
