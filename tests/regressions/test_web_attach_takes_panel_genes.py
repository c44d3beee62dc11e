"""The web page and the API attached an NGS file as if every assay were a broad panel: a file
from a panel without ERBB2 gave a negative and took the patient off the 'without NGS' worklist.
Both now take the panel's genes (``genes_covered``, ';'-separated, as the CSV import and
``registry attach --genes-covered``); a bad list is refused before the file is read."""

from __future__ import annotations

from web_helpers import YVMA_VCF, bearer, client, csrf_of, login, web  # noqa: F401  (fixture)

NORMAL = "P001_NORMAL"     # the demo VCF's normal column: no ERBB2 variant


def _without_ngs(c) -> str:
    return c.get("/worklists").text.split('id="advanced_without_ngs"')[1].split("</section>")[0]


def _new_patient(app, pid: str) -> None:
    d = login(app, "data_manager")
    csv = f"patient_id,histology,stage,diagnosis_date\n{pid},adenocarcinoma,IVB,2026-10-01\n".encode()
    d.post("/patients/import", data={"csrf_token": csrf_of(d.get("/patients").text)},
           files={"file": (f"{pid}.csv", csv, "text/csv")})


def test_page_attach_of_a_panel_without_erbb2_keeps_the_patient_on_the_worklist(web):
    app, reg, users = web
    _new_patient(app, "PANEL-W1")
    c = login(app, "clinician")
    form = {"sample_type": "tissue", "sample": NORMAL, "genes_covered": "EGFR;KRAS"}
    bad = c.post("/patients/PANEL-W1/results", data={**form, "genes_covered": "EGFR KRAS",
                                                       "csrf_token": csrf_of(c.get("/patients/PANEL-W1").text)},
                 files={"file": ("w1.vcf", YVMA_VCF.read_bytes(), "text/plain")})
    assert bad.status_code == 422 and "genes_covered must be gene symbols" in bad.text
    assert reg.patient_detail("PANEL-W1", users["admin"]).tests == ()
    r = c.post("/patients/PANEL-W1/results", data={**form, "csrf_token": csrf_of(c.get("/patients/PANEL-W1").text)},
               files={"file": ("w1.vcf", YVMA_VCF.read_bytes(), "text/plain")})
    assert r.status_code == 200 and "result attached" in r.text
    [test] = reg.patient_detail("PANEL-W1", users["admin"]).tests
    assert test.result.her2_status == "not_assessed"
    assert "PANEL-W1" in _without_ngs(c)


def test_api_attach_takes_the_panel_genes(web):
    app, _reg, _users = web
    _new_patient(app, "PANEL-A1")
    c, h = client(app), bearer(_reg, "clinician")

    def attach(genes: str):
        return c.post("/api/v1/patients/PANEL-A1/tests", headers=h,
                      data={"sample_type": "tissue", "sample": NORMAL, "genes_covered": genes},
                      files={"file": ("a1.vcf", YVMA_VCF.read_bytes(), "text/plain")})

    bad = attach("EGFR;;KRAS")
    assert bad.status_code == 422 and "genes_covered must be gene symbols" in bad.text
    small = attach("EGFR;KRAS")
    assert small.status_code == 200, small.text
    assert small.json()["her2_status"] == "not_assessed"
    wide = attach("EGFR;ERBB2")     # the same file again: its result is replaced
    assert wide.status_code == 200 and wide.json()["her2_status"] == "negative"


def test_api_shows_a_stored_ish_result_with_its_copies(web):
    """The stored picture of an ISH result with copies per cell (and of an NGS result with panel
    genes) did not fit the API's response model: the patient's tests answered 500."""
    app, _reg, _users = web
    d = login(app, "data_manager")
    csv = (b"patient_id,histology,stage,test_type,test_id,resulted,result,ish_copies\n"
           b"ISH-API-1,adenocarcinoma,IVB,ish,I1,2026-10-01,1.5,3.0\n")
    r = d.post("/patients/import", data={"csrf_token": csrf_of(d.get("/patients").text)},
               files={"file": ("ish.csv", csv, "text/csv")})
    assert r.status_code == 200, r.text
    c, h = client(app), bearer(_reg, "viewer")
    tests = c.get("/api/v1/patients/ISH-API-1/tests", headers=h)
    assert tests.status_code == 200, tests.text
    [ish] = tests.json()
    assert ish["result"]["picture"]["ish_copies"] == 3.0 and ish["result"]["her2_status"] == "negative"
    assert c.get("/api/v1/patients/ISH-API-1", headers=h).status_code == 200


def test_patient_page_shows_the_copies_and_the_panel_genes(web):
    app, _reg, _users = web
    d = login(app, "data_manager")
    csv = (b"patient_id,histology,stage,test_type,test_id,resulted,result,ish_copies,genes_covered\n"
           b"SHOW-1,adenocarcinoma,IVB,ish,I1,2026-10-01,1.5,3.0,\n"
           b"SHOW-1,adenocarcinoma,IVB,ngs_tissue,N1,2026-10-01,,,EGFR;KRAS\n")
    assert d.post("/patients/import", data={"csrf_token": csrf_of(d.get("/patients").text)},
                  files={"file": ("show.csv", csv, "text/csv")}).status_code == 200
    page = login(app, "viewer").get("/patients/SHOW-1").text
    assert "HER2/CEP17 ratio 1.5; 3.0 HER2 signals per cell" in page
    assert "panel genes: EGFR, KRAS" in page
    assert "does not include ERBB2" in page


def test_upload_report_and_its_later_attach_keep_the_panel_genes(web):
    """The Upload page (a report from a file) and the attach of that stored upload to a patient."""
    app, reg, users = web
    c = login(app, "clinician")
    form = {"histology": "adenocarcinoma", "stage": "IVB", "region": "US", "prior_lines": "0", "sample": NORMAL}

    def upload(genes: str):
        return c.post("/upload", data={**form, "genes_covered": genes, "csrf_token": csrf_of(c.get("/upload").text)},
                      files={"file": (YVMA_VCF.name, YVMA_VCF.read_bytes(), "text/plain")}, follow_redirects=False)

    bad = upload("EGFR KRAS")
    assert bad.status_code == 422 and "genes_covered must be gene symbols" in bad.text
    r = upload("EGFR;KRAS")
    assert r.status_code == 303, r.text
    view = r.headers["location"]
    key = view.split("/")[2]
    assert c.get(f"/reports/{key}/report.json").json()["her2"]["mutation"]["status"] == "not_assessed"
    r = c.post(f"/reports/{key}/attach", data={"patient_id": "PANEL-U1", "create": "1",
                                                "csrf_token": csrf_of(c.get(view).text)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    [test] = reg.patient_detail("PANEL-U1", users["admin"]).tests
    assert test.result.her2_status == "not_assessed" and test.result.picture["genes_covered"] == ["EGFR", "KRAS"]


def test_case_form_takes_the_panel_genes(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    form = {"case_id": "FORM-G1", "histology": "adenocarcinoma", "stage": "IVB", "region": "US", "prior_lines": "0",
            "ngs_done": "on", "sample_type": "tissue", "genes_covered": "EGFR;KRAS"}
    r = c.post("/case", data={**form, "csrf_token": csrf_of(c.get("/case").text)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    key = r.headers["location"].split("/")[2]
    assert c.get(f"/reports/{key}/report.json").json()["her2"]["mutation"]["status"] == "not_assessed"
    blank = c.post("/case", data={**form, "genes_covered": "EGFR;;KRAS", "csrf_token": csrf_of(c.get("/case").text)})
    assert blank.status_code == 422 and "entries must not be blank" in blank.text
