"""Issue 8 item 9: ``POST /upload`` with an unknown build value answered HTTP 500.

It is now a 422 with a message naming the field. The same class of bug - a value outside a
field's vocabulary, a bad date, a bad number - is checked on every form and API field that
takes one: always a 4xx with a message, never a 500 (the test client here does not re-raise
server errors, so a 500 is seen as the status a user would get).
"""

from __future__ import annotations

import pytest
from web_helpers import YVMA_VCF, bearer, client, csrf_of, login, web  # noqa: F401  (fixture)

UPLOAD_FORM = {"histology": "adenocarcinoma", "stage": "IVB", "region": "US", "prior_lines": "1"}
VCF = YVMA_VCF.read_bytes()
BAD_BUILDS = ["hg19", "GRCh39", "grch38", "38", "GRCh38 ", "<script>"]


def _user(app, role="clinician"):
    c = login(app, role)
    c._transport.raise_server_exceptions = False     # see a 500 as a status, as a browser would
    return c


def _api(app):
    return client(app, raise_server_exceptions=False)


def _upload(c, **fields):
    return c.post("/upload", data={**UPLOAD_FORM, **fields, "csrf_token": csrf_of(c.get("/upload").text)},
                  files={"file": ("t.vcf", VCF, "application/octet-stream")}, follow_redirects=False)


@pytest.mark.parametrize("build", BAD_BUILDS)
def test_upload_page_unknown_build_is_422_with_a_message(web, build):
    app, _reg, _users = web
    r = _upload(_user(app), build=build)
    assert r.status_code == 422, r.status_code
    assert "build: unknown value; choose GRCh37, GRCh38, or empty" in r.text
    assert 'action="/upload"' in r.text                # the form again, to correct


def test_upload_page_known_builds_still_work(web):
    app, _reg, _users = web
    c = _user(app)
    assert _upload(c, build="GRCh38").status_code == 303
    assert _upload(c, build="").status_code == 303
    # the demo file is GRCh38 by its header: GRCh37 is a known value that contradicts it; the
    # report says so (mutation failed, with the reason), never a negative
    r = _upload(c, build="GRCh37")
    assert r.status_code == 303
    mutation = c.get(r.headers["location"].replace("/view", "/report.json")).json()["her2"]["mutation"]
    assert mutation["status"] == "failed" and "contradicts" in mutation["reason"]


@pytest.mark.parametrize("field,value", [
    ("sample_type", "blood"), ("sample_type", "Tissue"), ("histology", "carcinoid"), ("stage", "V"),
    ("region", "UK"), ("prior_lines", "-1"), ("prior_lines", "16"), ("prior_lines", "abc"), ("prior_lines", "1e400"),
    ("case_id", "../../etc"), ("case_id", "x" * 65), ("sample", "x" * 200), ("assay", "x" * 300),
])
def test_upload_page_every_bad_field_is_4xx(web, field, value):
    app, _reg, _users = web
    r = _upload(_user(app), **{field: value})
    assert 400 <= r.status_code < 500, (field, value, r.status_code)
    assert field in r.text


@pytest.mark.parametrize("fields,says", [
    ({"build": "hg19"}, "build: unknown value"),
    ({"sample_type": "blood"}, "sample_type: unknown value"),
    ({"resulted": "2020-13-01"}, "resulted: a date YYYY-MM-DD"),
    ({"resulted": "yesterday"}, "resulted: a date YYYY-MM-DD"),
    ({"build": "hg19", "resulted": "x"}, "build: unknown value; choose GRCh37, GRCh38, or empty (the build is read "
                                         "from the file); resulted: a date YYYY-MM-DD"),
])
def test_patient_result_form_bad_fields_are_422_and_store_nothing(web, fields, says):
    app, reg, _users = web
    c = _user(app)
    before = reg.counts()["results"]
    page = c.get("/patients/EX-005")
    r = c.post("/patients/EX-005/results", data={"sample_type": "tissue", **fields, "csrf_token": csrf_of(page.text)},
               files={"file": ("t.vcf", VCF, "text/plain")})
    assert r.status_code == 422
    assert says in r.text.replace("&#39;", "'")
    assert reg.counts()["results"] == before


@pytest.mark.parametrize("fields", [{"build": "hg19"}, {"sample_type": "blood"}, {"resulted": "2020-13-01"},
                                    {"sample": "x" * 200}, {"assay": "x" * 300}])
def test_api_attach_bad_fields_are_422(web, fields):
    app, reg, _users = web
    before = reg.counts()["results"]
    r = _api(app).post("/api/v1/patients/EX-005/tests", headers=bearer(reg, "clinician"), data=fields,
                       files={"file": ("t.vcf", VCF, "text/plain")})
    assert r.status_code == 422, r.text
    assert [d["loc"][-1] for d in r.json()["detail"]] == list(fields)
    assert reg.counts()["results"] == before


def test_api_annotate_unknown_build_is_422(web):
    app, reg, _users = web
    r = _api(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"), data={"build": "hg19"},
                       files={"file": ("t.vcf", VCF, "text/plain")})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "build"
    r = _api(app).post("/api/v1/annotate/hgvs", headers=bearer(reg, "viewer"),
                       json={"expressions": ["chr17:g.39724731C>T"], "build": "hg38"})
    assert r.status_code == 422


def test_registry_attach_unknown_build_is_an_input_error(web, tmp_path):
    """The registry (CLI ``registry attach``) says which field is wrong instead of a pydantic traceback."""
    from her2scope.errors import InputError

    _app, reg, users = web
    path = tmp_path / "t.vcf"
    path.write_bytes(VCF)
    with pytest.raises(InputError, match="build"):
        reg.attach_ngs_result("EX-005", path, users["clinician"], build="hg19")


CASE_FORM = {"case_id": "F-1", "histology": "adenocarcinoma", "stage": "IVA", "region": "EU", "prior_lines": "0",
             "ngs_done": "on", "sample_type": "tissue", "variants": "ERBB2 p.S310F\n"}


@pytest.mark.parametrize("field,value", [
    ("sample_type", "blood"), ("histology", "x"), ("stage", "V"), ("region", "XX"), ("prior_lines", "abc"),
    ("prior_lines", "-3"), ("tumour_content", "abc"), ("tumour_content", "nan"), ("ish_ratio", "x"),
    ("ish_copies", "-1"), ("diagnosis_date", "2020-13-01"), ("date", "bad"), ("brain_metastases", "maybe"),
    ("lab_call", "x"), ("ihc_score", "9"), ("case_id", "a b"),
])
def test_case_form_every_bad_field_is_422(web, field, value):
    app, _reg, _users = web
    c = _user(app)
    r = c.post("/case", data={**CASE_FORM, field: value, "csrf_token": csrf_of(c.get("/case").text)})
    assert r.status_code == 422, (field, value, r.status_code)


@pytest.mark.parametrize("query", ["today=2026-13-01", "today=x", "pending_days=-1", "pending_days=1e400",
                                   "pending_days=abc"])
def test_worklist_query_values_are_422(web, query):
    app, reg, _users = web
    r = _api(app).get(f"/api/v1/worklists?{query}", headers=bearer(reg, "viewer"))
    assert r.status_code == 422
    r = _api(app).get(f"/api/v1/worklists/advanced_without_ngs?{query}", headers=bearer(reg, "viewer"))
    assert r.status_code == 422


def test_decision_kind_outside_the_vocabulary_is_422(web):
    app, reg, _users = web
    c = _user(app)
    page = c.get("/patients/EX-001")
    r = c.post("/patients/EX-001/decisions", data={"kind": "surgery", "detail": "", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 422 and "decision kind must be one of" in r.text
    r = _api(app).post("/api/v1/patients/EX-001/decisions", headers=bearer(reg, "clinician"),
                       json={"kind": "surgery"})
    assert r.status_code == 422
