"""REST API: authorization everywhere, annotate, report, patients, tests, decisions, worklists."""

from __future__ import annotations

import json

import pytest
from web_helpers import EXAMPLE_CSV, YVMA_VCF, bearer, client, web  # noqa: F401  (fixture)


def all_routes():
    """(method, path) of every page and API route (FastAPI 0.16x keeps included routers nested)."""
    from her2scope.web import api, pages, patients

    out = []
    for router, prefix in ((pages.router, ""), (patients.router, ""), (api.router, "/api/v1")):
        for r in router.routes:
            for m in sorted(getattr(r, "methods", None) or ()):
                if m != "HEAD":
                    out.append((m, prefix + r.path))
    return out


PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/healthz"), ("GET", "/favicon.ico")}


def test_anonymous_sees_nothing(web):
    """Every route but login and the health check: 401 (API) or a redirect to the login page."""
    app, _reg, _users = web
    c = client(app)
    seen = 0
    for method, path in all_routes():
        if (method, path) in PUBLIC:
            continue
        url = path.replace("{patient_id}", "EX-001").replace("{key}", "abc").replace(
            "{name}", "advanced_without_ngs")
        r = c.request(method, url, follow_redirects=False)
        seen += 1
        if path.startswith("/api/"):
            assert r.status_code == 401, (method, url, r.status_code)
            assert "EX-001" not in r.text
        else:
            # Pages: login first; form POSTs also fail the CSRF check (403) for an anonymous visitor.
            assert r.status_code in (303, 403), (method, url, r.status_code)
            if r.status_code == 303:
                assert r.headers["location"].startswith("/login")
    assert seen > 30


def test_api_prefix_routes_are_complete(web):
    _app, _reg, _users = web
    paths = {p for _, p in all_routes()}
    for p in ("/api/v1/annotate", "/api/v1/annotate/hgvs", "/api/v1/report", "/api/v1/patients",
              "/api/v1/patients/{patient_id}/tests", "/api/v1/worklists", "/api/v1/worklists/{name}"):
        assert p in paths


def test_invalid_token_is_401(web):
    app, _reg, _users = web
    r = client(app).get("/api/v1/patients", headers={"Authorization": "Bearer h2s_not-a-token"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


def test_cookie_session_does_not_authorize_the_api(web):
    from web_helpers import login

    app, _reg, _users = web
    c = login(app, "admin")
    assert c.get("/api/v1/patients").status_code == 401


def test_openapi_needs_a_token(web):
    app, reg, _users = web
    c = client(app)
    assert c.get("/api/v1/openapi.json").status_code == 401
    r = c.get("/api/v1/openapi.json", headers=bearer(reg, "viewer"))
    assert r.status_code == 200
    spec = r.json()
    assert "/api/v1/annotate" in spec["paths"] and "/api/v1/worklists/{name}" in spec["paths"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert c.get("/docs").status_code in (303, 404) and c.get("/openapi.json").status_code in (303, 404)


def test_annotate_upload_vcf(web):
    app, reg, _users = web
    with open(YVMA_VCF, "rb") as fh:
        r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                             files={"file": ("tumour.vcf", fh, "application/octet-stream")})
    assert r.status_code == 200, r.text
    body = r.json()
    changes = [i.get("protein_change") for i in body["items"]]
    assert "p.Y772_A775dup" in changes
    yvma = body["items"][changes.index("p.Y772_A775dup")]
    assert yvma["oncogenicity"] == "oncogenic" and yvma["hgvs_c"] == "NM_004448.4:c.2313_2324dup"
    assert yvma["input"] == "tumour.vcf"            # the user's name, never the server's temp path
    assert body["summaries"][0]["format"] == "VCF" and body["failed"] == 0


def test_annotate_hgvs_text(web):
    app, reg, _users = web
    r = client(app).post("/api/v1/annotate/hgvs", headers=bearer(reg, "viewer"),
                         json={"expressions": ["ERBB2 p.A775_G776insYVMA", "NM_004448.4:c.929C>T"]})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["protein_change"] for i in items] == ["p.Y772_A775dup", "p.S310F"]


@pytest.mark.parametrize("expr", ["/etc/passwd", "../../README.md", "README.md", "p.\nS310F", ""])
def test_annotate_hgvs_never_reads_server_files(web, expr):
    app, reg, _users = web
    r = client(app).post("/api/v1/annotate/hgvs", headers=bearer(reg, "viewer"), json={"expressions": [expr]})
    assert r.status_code == 422
    assert "root:" not in r.text


def _case(**ngs):
    case = {"case_id": "API-1", "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US",
                                             "prior_lines": 1}}
    if ngs:
        case["ngs"] = [{"sample_type": "tissue", **ngs}]
    return case


def test_report_from_case_json(web):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "clinician")
    r = c.post("/api/v1/report", headers=h, json=_case(variants=["NM_004448.4:c.2313_2324dup"]))
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["schema"] == "her2scope-report/1" and rep["activating_variants"] == ["p.Y772_A775dup"]
    assert rep["her2"]["mutation"]["status"] == "positive"
    fhir = c.post("/api/v1/report?format=fhir", headers=h, json=_case(variants=["ERBB2 p.S310F"])).json()
    assert fhir["resourceType"] == "Bundle"
    html = c.post("/api/v1/report?format=html", headers=h, json=_case(variants=["ERBB2 p.S310F"]))
    assert html.headers["content-type"].startswith("text/html") and "p.S310F" in html.text
    assert "default-src 'none'" in html.headers["content-security-policy"]


@pytest.mark.parametrize("ngs", [{"files": ["/etc/passwd"]}, {"files": ["../patient01_yvma_grch38.vcf"]},
                                 {"variants": ["/etc/hostname"]},
                                 {"copy_number": {"segment_file": "/etc/passwd"}}])
def test_report_refuses_server_file_names(web, ngs):
    app, reg, _users = web
    r = client(app).post("/api/v1/report", headers=bearer(reg, "clinician"), json=_case(**ngs))
    assert r.status_code == 422
    assert "root" not in r.text


def test_report_invalid_case_names_the_field(web):
    app, reg, _users = web
    bad = _case()
    bad["clinical"]["stage"] = "V"
    r = client(app).post("/api/v1/report", headers=bearer(reg, "clinician"), json=bad)
    assert r.status_code == 422
    assert any(d["loc"][-1] == "stage" for d in r.json()["detail"])
    assert '"V"' not in r.text   # submitted values are not echoed


def test_patients_tests_and_audit(web):
    app, reg, users = web
    c, h = client(app), bearer(reg, "viewer")
    ids = [p["patient_id"] for p in c.get("/api/v1/patients", headers=h).json()]
    assert "EX-001" in ids
    detail = c.get("/api/v1/patients/EX-001", headers=h).json()
    assert detail["patient_id"] == "EX-001" and detail["timeline"]
    tests = c.get("/api/v1/patients/EX-001/tests", headers=h).json()
    assert tests and tests[0]["test_type"] == "ngs_tissue"
    assert c.get("/api/v1/patients/NOPE-1", headers=h).status_code == 404
    audit = reg.audit_log(users["admin"], patient_id="EX-001")
    assert sum(a.action == "view_patient" and a.actor == "viewer" for a in audit) >= 2


def test_viewer_cannot_import_or_decide(web):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "viewer")
    with open(EXAMPLE_CSV, "rb") as fh:
        r = c.post("/api/v1/patients/import", headers=h, files={"file": ("x.csv", fh, "text/csv")})
    assert r.status_code == 403
    assert c.post("/api/v1/patients/import/fhir", headers=h,
                  json={"resourceType": "Bundle", "type": "collection", "entry": []}).status_code == 403
    r = c.post("/api/v1/patients/EX-001/decisions", headers=h, json={"kind": "other", "detail": "x"})
    assert r.status_code == 403
    with open(YVMA_VCF, "rb") as fh:
        r = c.post("/api/v1/patients/EX-003/tests", headers=h, files={"file": ("t.vcf", fh, "text/plain")})
    assert r.status_code == 403


def test_clinician_records_a_decision(web):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "clinician")
    r = c.post("/api/v1/patients/EX-001/decisions", headers=h,
               json={"kind": "brain_mri_done", "detail": "MRI brain: no metastases"})
    assert r.status_code == 201, r.text
    decisions = c.get("/api/v1/patients/EX-001", headers=h).json()["decisions"]
    assert any(d["kind"] == "brain_mri_done" and d["actor"] == "clinician" for d in decisions)
    bad = c.post("/api/v1/patients/EX-001/decisions", headers=h, json={"kind": "surgery", "detail": ""})
    assert bad.status_code == 422


def test_data_manager_imports_idempotently(web):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "data_manager")
    text = ("patient_id,histology,stage,diagnosis_date\nAPI-NEW-1,adenocarcinoma,IVB,2026-10-01\n"
            "API-NEW-2,adenocarcinoma,stage nine,2026-10-01\n")
    first = c.post("/api/v1/patients/import", headers=h, files={"file": ("new.csv", text.encode(), "text/csv")})
    assert first.status_code == 200, first.text
    rep = first.json()
    assert rep["rows_imported"] == 1 and len(rep["rejected"]) == 1 and rep["source"] == "new.csv"
    again = c.post("/api/v1/patients/import", headers=h, files={"file": ("new.csv", text.encode(), "text/csv")})
    assert again.json()["already_imported"] is True
    ids = [p["patient_id"] for p in c.get("/api/v1/patients", headers=h).json()]
    assert ids.count("API-NEW-1") == 1


def test_import_type_is_checked_by_content(web):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "data_manager")
    r = c.post("/api/v1/patients/import", headers=h, files={"file": ("x.csv", b"%PDF-1.7\n...", "text/csv")})
    assert r.status_code == 415
    r = c.post("/api/v1/patients/import", headers=h, files={"file": ("x.json", b'{"a": 1}', "application/json")})
    assert r.status_code == 415


def test_attach_result_moves_patient_off_the_no_ngs_worklist(web):
    app, reg, _users = web
    c = client(app)
    h = bearer(reg, "clinician")
    before = c.get("/api/v1/worklists/advanced_without_ngs", headers=h).json()
    assert "EX-005" in {r["patient_id"] for r in before}
    with open(YVMA_VCF, "rb") as fh:
        r = c.post("/api/v1/patients/EX-005/tests", headers=h, data={"sample_type": "tissue"},
                   files={"file": ("ex005.vcf", fh, "text/plain")})
    assert r.status_code == 200, r.text
    assert r.json()["her2_status"] == "positive"
    after = c.get("/api/v1/worklists/advanced_without_ngs", headers=h).json()
    assert "EX-005" not in {r["patient_id"] for r in after}
    all_lists = c.get("/api/v1/worklists", headers=h).json()
    assert set(all_lists) >= {"advanced_without_ngs", "her2_mutant_without_decision"}
    assert c.get("/api/v1/worklists/nope", headers=h).status_code == 422


def test_statistics_and_knowledge(web):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "viewer")
    assert c.get("/api/v1/stats/turnaround", headers=h).status_code == 200
    y = c.get("/api/v1/stats/her2-yield", headers=h).json()
    assert "tested" in y
    kb = c.get("/api/v1/knowledge/variants", headers=h).json()
    yvma = next(v for v in kb["variants"] if v["protein_change"] == "p.Y772_A775dup")
    cited = {k for e in yvma["evidence"] for k in e["citations"]}
    assert cited and cited <= set(kb["sources"])
    assert json.dumps(kb)   # serialisable
