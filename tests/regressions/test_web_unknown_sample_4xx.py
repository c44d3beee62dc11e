"""Issue 8 item 1 (web, API, registry): a sample name the file does not have is refused.

The VCF's tumour column is ``TUMOR`` and carries the oncogenic exon 20 insertion
p.Y772_A775dup (NM_004448.4:c.2313_2324dup, GRCh38 chr17:39724730 C>CATACGTGATGGC, as in the
demo file patient01). Naming the sample ``TUMOUR`` used to filter every variant away and report
"No activating ERBB2 mutation" (mutation negative) next to a variants table listing the YVMA
duplication. Now the upload page, the patient page's result form and
``POST /api/v1/patients/{id}/tests`` answer 4xx with a message that names the samples the file has,
and nothing is stored (no report, no test, no result, no variant row).
"""

from __future__ import annotations

import pytest
from conftest import rec, vcf_text
from web_helpers import bearer, client, csrf_of, login, stored_reports, web  # noqa: F401  (fixture)

# A Mutect2-style tumour/normal pair: the tumour carries the duplication, the normal does not.
YVMA = rec("chr17", 39724730, ".", "C", "CATACGTGATGGC", 60, "PASS", "DP=420", "GT:AD:DP:AF",
           "0/0:380,0:380:0", "0/1:290,130:420:0.31")
VCF = vcf_text([YVMA], samples=("NORMAL", "TUMOR")).encode()
UPLOAD_FORM = {"histology": "adenocarcinoma", "stage": "IVB", "region": "US", "prior_lines": "1"}


def test_upload_page_refuses_an_unknown_sample_and_keeps_no_report(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    reports_before = len(app.state.h2s.reports._items)
    r = c.post("/upload", data={**UPLOAD_FORM, "sample": "TUMOUR", "csrf_token": csrf_of(c.get("/upload").text)},
               files={"file": ("pair.vcf", VCF, "application/octet-stream")}, follow_redirects=False)
    assert r.status_code == 422, r.text[-500:]
    assert "no sample named" in r.text and "NORMAL, TUMOR" in r.text and "&#39;TUMOUR&#39;" in r.text
    assert "No activating ERBB2 mutation" not in r.text
    assert "/tmp/" not in r.text                  # the server's folder is not shown
    assert len(app.state.h2s.reports._items) == reports_before


def test_upload_page_with_the_right_sample_finds_the_insertion(web):
    """The control: the same file with the sample spelled as in the file is positive."""
    app, _reg, _users = web
    c = login(app, "clinician")
    r = c.post("/upload", data={**UPLOAD_FORM, "sample": "TUMOR", "csrf_token": csrf_of(c.get("/upload").text)},
               files={"file": ("pair.vcf", VCF, "application/octet-stream")}, follow_redirects=False)
    assert r.status_code == 303, r.text[-500:]
    key = r.headers["location"].split("/")[2]
    data = c.get(f"/reports/{key}/report.json").json()
    assert data["her2"]["mutation"]["status"] == "positive"
    assert data["activating_variants"] == ["p.Y772_A775dup"]


def test_patient_result_form_refuses_an_unknown_sample_and_stores_nothing(web):
    app, reg, _users = web
    c = login(app, "clinician")
    before = stored_reports(reg)
    page = c.get("/patients/EX-005")
    assert 'name="sample"' in page.text           # the form lets the user name the tumour sample
    r = c.post("/patients/EX-005/results", data={"sample_type": "tissue", "sample": "TUMOUR",
                                                "csrf_token": csrf_of(page.text)},
               files={"file": ("pair.vcf", VCF, "text/plain")})
    assert r.status_code == 422
    assert "no sample named" in r.text and "NORMAL, TUMOR" in r.text
    assert "result attached" not in r.text
    assert stored_reports(reg) == before


@pytest.mark.parametrize("sample", ["TUMOUR", "tumor", "TUMOR "])
def test_api_attach_refuses_an_unknown_sample_and_stores_nothing(web, sample):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "clinician")
    before = stored_reports(reg)
    tests_before = c.get("/api/v1/patients/EX-003/tests", headers=h).json()
    r = c.post("/api/v1/patients/EX-003/tests", headers=h, data={"sample_type": "tissue", "sample": sample},
               files={"file": ("pair.vcf", VCF, "text/plain")})
    assert 400 <= r.status_code < 500, r.text
    detail = r.json()["detail"]
    assert f"no sample named {sample!r}" in detail and detail.endswith("its samples are: NORMAL, TUMOR")
    assert "/tmp/" not in detail
    assert stored_reports(reg) == before
    assert c.get("/api/v1/patients/EX-003/tests", headers=h).json() == tests_before
    wl = c.get("/api/v1/worklists/advanced_without_ngs", headers=h).json()
    assert "EX-003" in {row["patient_id"] for row in wl}     # still untested


def test_api_attach_with_the_right_sample_is_positive(web):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "clinician")
    r = c.post("/api/v1/patients/EX-003/tests", headers=h, data={"sample_type": "tissue", "sample": "TUMOR"},
               files={"file": ("pair.vcf", VCF, "text/plain")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["her2_status"] == "positive"
    assert [v["protein_change"] for v in body["variants"]] == ["p.Y772_A775dup"]
