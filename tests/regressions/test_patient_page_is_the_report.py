"""Issue 13: the registry patient page showed the variants and a one-line HER2 status - no
therapy options, no next steps, no report; the clinician had to upload the VCF again and retype
the stage. Now the page carries the library's report, made from the stored tests and the
clinical data the registry holds. EX-001 (example CSV): adenocarcinoma IVB, tissue NGS
p.Y772_A775dup; with region US and prior platinum chemotherapy recorded, trastuzumab deruxtecan
is on label (US label: activating HER2 mutation after a prior systemic therapy)."""

from __future__ import annotations

from web_helpers import csrf_of, login, web  # noqa: F401  (fixture)


def test_patient_page_shows_therapy_options_and_report_downloads(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    c.post("/patients/EX-001/clinical", data={"histology": "adenocarcinoma", "stage": "IVB", "region": "US",
                                              "diagnosis_date": "2026-08-03", "prior_therapies": "platinum_chemotherapy",
                                              "brain_metastases": "no",
                                              "csrf_token": csrf_of(c.get("/patients/EX-001").text)})
    page = c.get("/patients/EX-001").text
    options = page.split('class="options"')[1].split("</table>")[0]
    assert "trastuzumab deruxtecan" in options and "on label" in options
    for ext in ("html", "json", "fhir.json"):
        assert f'href="/patients/EX-001/report/report.{ext}"' in page
    assert c.get("/patients/EX-001/report/report.json").json()["next_steps"]
