"""REST API shapes (issue 11 item 5): every answer is what the registry or the library produced,
key for key (the response models add, rename and drop nothing), and the OpenAPI description
states the real fields; the paged patient search, the patient's HER2 report and the caller's
API tokens, each checked against expectations worked out from the registry's example CSV."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from web_helpers import YVMA_VCF, bearer, client, login, web  # noqa: F401  (fixture)


def _plain(obj):
    """What the producer's as_dict() says, as JSON would carry it."""
    return json.loads(json.dumps(obj, default=str))


def test_answers_are_the_registry_dtos_key_for_key(web):
    app, reg, users = web
    c, h, admin = client(app), bearer(reg, "admin"), users["admin"]
    assert c.get("/api/v1/patients", headers=h).json() == _plain([p.as_dict() for p in reg.list_patients(admin)])
    for pid in ("EX-001", "EX-004", "EX-007"):     # NGS with a variant, IHC 3+, ISH 2.6
        detail = reg.patient_detail(pid, admin)
        assert c.get(f"/api/v1/patients/{pid}", headers=h).json() == _plain(detail.as_dict())
        assert c.get(f"/api/v1/patients/{pid}/tests", headers=h).json() == _plain([t.as_dict() for t in detail.tests])
    today = "2026-11-01"
    lists = reg.worklists(admin, today=dt.date(2026, 11, 1), pending_days=3)
    got = c.get(f"/api/v1/worklists?today={today}&pending_days=3", headers=h).json()
    assert got == _plain({k: [r.as_dict() for r in v] for k, v in lists.items()})
    assert c.get(f"/api/v1/worklists/pending_too_long?today={today}&pending_days=3", headers=h).json() == \
        _plain([r.as_dict() for r in lists["pending_too_long"]])
    assert c.get("/api/v1/stats/turnaround", headers=h).json() == _plain(reg.turnaround(admin))
    assert c.get("/api/v1/stats/her2-yield", headers=h).json() == _plain(reg.her2_yield(admin))


def test_annotation_answer_is_the_output_contract(web):
    """Items carry exactly the README's contract keys (plus the extra keys), in the engine's order."""
    from her2scope.result import CONTRACT_KEYS, ERROR_KEYS, EXTRA_KEYS

    app, reg, _users = web
    r = client(app).post("/api/v1/annotate/hgvs", headers=bearer(reg, "viewer"),
                         json={"expressions": ["ERBB2 p.S310F", "NM_004448.4:c.2264T>C"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body["items"][0]) == list(CONTRACT_KEYS + EXTRA_KEYS)
    evidence = [e for i in body["items"] for e in i["evidence"]]
    assert evidence and all(v is not None for e in evidence for v in e.values())   # only keys filled in
    with open(YVMA_VCF, "rb") as fh:        # a file cut short: an error item, not a variant
        cut = fh.read()[:-40]
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": ("cut.vcf", cut, "text/plain")})
    errors = [i for i in r.json()["items"] if "error" in i]
    assert errors and all(list(e) == list(ERROR_KEYS) for e in errors)


def test_openapi_states_the_real_shapes(web):
    from her2scope.case.picture import Status
    from her2scope.registry import WORKLISTS
    from her2scope.result import CONTRACT_KEYS, EXTRA_KEYS

    app, reg, _users = web
    spec = client(app).get("/api/v1/openapi.json", headers=bearer(reg, "viewer")).json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["VariantItem"]["required"]) == set(CONTRACT_KEYS + EXTRA_KEYS)
    assert schemas["VariantItem"]["additionalProperties"] is False
    assert schemas["Status"]["enum"] == [s.value for s in Status]
    dim = schemas["DimensionItem"]["properties"]
    assert dim["status"] == {"$ref": "#/components/schemas/Status"} and {"reason", "reason_code"} <= set(dim)
    assert "#/components/schemas/Status" in json.dumps(schemas["ResultItem"]["properties"]["her2_status"])
    assert "OS2_moderate" not in schemas["Oncogenicity"]["enum"]
    assert set(schemas["Worklists"]["required"]) == set(WORKLISTS)
    assert "yield" in schemas["YieldResponse"]["properties"]


def test_report_json_of_every_demo_case_matches_its_model():
    """The report model is checked on real reports: every demo case file, JSON and FHIR."""
    from her2scope.report.fhir import render_fhir
    from her2scope.report.model import make_report
    from her2scope.web.schemas import FhirBundle, ReportDocument, ReportJson
    from web_helpers import DEMO

    cases = sorted((DEMO / "cases").glob("*.yaml"))
    assert len(cases) >= 3
    for path in cases:
        rep = make_report(path)
        data = _plain(rep.as_dict())
        assert isinstance(ReportDocument.model_validate(data).root, ReportJson), path
        assert isinstance(ReportDocument.model_validate(_plain(render_fhir(rep))).root, FhirBundle), path
        broken = {**data, "her2": {**data["her2"], "mutation": {**data["her2"]["mutation"], "status": "present"}}}
        with pytest.raises(ValueError):
            ReportJson.model_validate(broken)


# ---- the paged patient search ------------------------------------------------------------------

def _ids(r):
    assert r.status_code == 200, r.text
    return [p["patient_id"] for p in r.json()["items"]]


def test_search_patients_pages_sorts_and_filters(web):
    """Expectations from the example CSV (registry/data/import_example.csv): diagnosis dates
    EX-001 08-03 < EX-002 08-10 < EX-003 09-01 < EX-004 09-02 < EX-005 09-10 < EX-006 09-15 <
    EX-007 10-01; HER2 mutation positive: EX-001 (p.Y772_A775dup) and EX-006 (S310F); not
    advanced: EX-006 only (IIIA; IIIB counts as advanced)."""
    app, reg, _users = web
    c, h = client(app), bearer(reg, "viewer")
    base = "/api/v1/search/patients"
    r = c.get(f"{base}?sort=diagnosed&dir=desc&per_page=3", headers=h)
    assert _ids(r) == ["EX-007", "EX-006", "EX-005"]
    assert {k: r.json()[k] for k in ("total", "page", "per_page", "pages")} == \
        {"total": 7, "page": 1, "per_page": 3, "pages": 3}
    assert _ids(c.get(f"{base}?sort=diagnosed&dir=desc&per_page=3&page=3", headers=h)) == ["EX-001"]
    assert _ids(c.get(f"{base}?status=positive", headers=h)) == ["EX-001", "EX-006"]
    assert _ids(c.get(f"{base}?advanced=false", headers=h)) == ["EX-006"]
    assert _ids(c.get(f"{base}?q=x-00", headers=h)) == [f"EX-00{i}" for i in range(1, 8)]
    assert _ids(c.get(f"{base}?q=ex-004", headers=h)) == ["EX-004"]
    assert _ids(c.get(f"{base}?q=nobody", headers=h)) == []
    assert _ids(c.get(f"{base}?sort=tests", headers=h))[0] == "EX-003"      # the only one without a test
    first = c.get(f"{base}?q=EX-001", headers=h).json()["items"][0]
    assert first == next(p for p in c.get("/api/v1/patients", headers=h).json() if p["patient_id"] == "EX-001")
    for bad in ("status=present", "sort=name", "per_page=0", "page=0", "dir=up"):
        assert c.get(f"{base}?{bad}", headers=h).status_code == 422, bad


# ---- the patient's HER2 report -----------------------------------------------------------------

def test_patient_report_is_the_pages_report(web):
    from her2scope.registry.clinical import check_update

    app, reg, users = web
    c, h = client(app), bearer(reg, "viewer")
    r = c.get("/api/v1/patients/EX-002/report", headers=h)       # no region recorded: no report yet
    assert r.status_code == 409 and "region" in r.json()["detail"]
    assert c.get("/api/v1/patients/NOPE-9/report", headers=h).status_code == 404
    reg.update_clinical("EX-001", check_update(region="US"), users["clinician"])
    rep = c.get("/api/v1/patients/EX-001/report", headers=h)
    assert rep.status_code == 200, rep.text
    data = rep.json()
    assert data["schema"] == "her2scope-report/1" and data["case_id"] == "EX-001"
    assert data["her2"]["mutation"]["status"] == "positive" and data["activating_variants"] == ["p.Y772_A775dup"]
    page = login(app, "viewer").get("/patients/EX-001/report/report.json").json()
    assert {k: v for k, v in data.items() if k != "generated"} == {k: v for k, v in page.items() if k != "generated"}
    fhir = c.get("/api/v1/patients/EX-001/report?format=fhir", headers=h).json()
    assert fhir["resourceType"] == "Bundle"
    html = c.get("/api/v1/patients/EX-001/report?format=html", headers=h)
    assert html.headers["content-type"].startswith("text/html") and "p.Y772_A775dup" in html.text


# ---- the caller's API tokens -------------------------------------------------------------------

def test_tokens_lists_own_and_revokes_at_once(web):
    app, reg, _users = web
    c = client(app)
    kept = reg.issue_api_token("clinician", name="kept")
    doomed = reg.issue_api_token("clinician", name="doomed")
    other = reg.issue_api_token("data_manager", name="not yours")
    h = {"Authorization": f"Bearer {kept}"}
    listed = c.get("/api/v1/tokens", headers=h)
    assert listed.status_code == 200, listed.text
    mine = listed.json()
    assert {t["username"] for t in mine} == {"clinician"} and {"kept", "doomed"} <= {t["name"] for t in mine}
    assert all(t["state"] == "active" for t in mine)
    assert kept not in listed.text and doomed not in listed.text      # never the token itself
    doomed_id = next(t["id"] for t in mine if t["name"] == "doomed")
    assert c.get("/api/v1/tokens", headers={"Authorization": f"Bearer {doomed}"}).status_code == 200   # cached
    r = c.post(f"/api/v1/tokens/{doomed_id}/revoke", headers=h)
    assert r.status_code == 200 and r.json()["state"] == "revoked" and r.json()["revoked_at"]
    assert c.get("/api/v1/tokens", headers={"Authorization": f"Bearer {doomed}"}).status_code == 401
    assert c.post(f"/api/v1/tokens/{doomed_id}/revoke", headers=h).json()["state"] == "revoked"   # harmless
    other_id = next(t.id for t in reg.list_api_tokens(_users["data_manager"]) if t.name == "not yours")
    assert c.post(f"/api/v1/tokens/{other_id}/revoke", headers=h).status_code == 403
    assert c.get("/api/v1/tokens", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    assert c.post("/api/v1/tokens/999999/revoke", headers=h).status_code == 404
    own = c.post(f"/api/v1/tokens/{next(t['id'] for t in mine if t['name'] == 'kept')}/revoke", headers=h)
    assert own.status_code == 200
    assert c.get("/api/v1/tokens", headers=h).status_code == 401     # its own token: gone at once
