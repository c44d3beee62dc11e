"""Issue 8 item 2: a clinic letter is not an NGS result.

Any UTF-8 text used to pass as "HGVS text": attached to a patient it was stored as a resulted
NGS test (status failed) and the patient silently left the "advanced without NGS" worklist. Text
in which the engine's HGVS parser finds no variant is now refused (415, nothing stored) on every
path: the upload page, the annotate API, the patient page's result form, the tests API and the
registry itself (the CLI's ``registry attach``). A file with some good HGVS lines and some bad ones
is still accepted; its bad lines are reported one by one.
"""

from __future__ import annotations

import pytest
from web_helpers import bearer, client, csrf_of, login, stored_reports, web  # noqa: F401  (fixture)

LETTER = """Dear Dr Smith,
Re: patient 12345, seen in clinic today
Diagnosis: adenocarcinoma of the lung, stage IVB
HER2: negative
Plan: p.o. osimertinib 80 mg
Kind regards,
Dr Jones
""".encode()
# Prose lines around one expression: NM_004448.4:c.929C>T is p.S310F (c.929 is the second base of
# codon 310, TCC>TTC: Ser>Phe), an oncogenic extracellular-domain hotspot.
MIXED = b"# lab export\nNM_004448.4:c.929C>T\nsee comment below\nERBB2 p.Q\n"
UPLOAD_FORM = {"histology": "adenocarcinoma", "stage": "IVB", "region": "US", "prior_lines": "1"}


def _untested(c, h) -> set[str]:
    return {row["patient_id"] for row in c.get("/api/v1/worklists/advanced_without_ngs", headers=h).json()}


@pytest.mark.parametrize("content", [LETTER, b"# only a comment\n\n", b"NM_004448.4:c.2313_2324dupp\nERBB2 p.S310\n"],
                         ids=["letter", "comments_only", "typos_only"])
def test_api_attach_refuses_text_without_a_variant(web, content):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "clinician")
    assert "EX-003" in _untested(c, h)
    before = stored_reports(reg)
    r = c.post("/api/v1/patients/EX-003/tests", headers=h, data={"sample_type": "tissue"},
               files={"file": ("letter.txt", content, "text/plain")})
    assert r.status_code == 415, r.text
    assert "no line is a variant" in r.json()["detail"]
    assert stored_reports(reg) == before
    assert "EX-003" in _untested(c, h)


def test_refusal_names_the_lines_and_why(web):
    app, reg, _users = web
    r = client(app).post("/api/v1/patients/EX-003/tests", headers=bearer(reg, "clinician"),
                         files={"file": ("letter.txt", LETTER, "text/plain")})
    detail = r.json()["detail"]
    assert detail.startswith("letter.txt: ")
    assert "line 1: " in detail and "line 2: " in detail and "and 4 more line(s)" in detail


def test_patient_page_refuses_a_letter(web):
    app, reg, _users = web
    c = login(app, "clinician")
    before = stored_reports(reg)
    page = c.get("/patients/EX-003")
    r = c.post("/patients/EX-003/results", data={"sample_type": "tissue", "csrf_token": csrf_of(page.text)},
               files={"file": ("letter.txt", LETTER, "text/plain")})
    assert r.status_code == 415
    assert "no line is a variant" in r.text and "result attached" not in r.text
    assert stored_reports(reg) == before


def test_upload_page_and_annotate_api_refuse_a_letter(web):
    app, reg, _users = web
    c = login(app, "clinician")
    reports_before = len(app.state.h2s.reports._items)
    r = c.post("/upload", data={**UPLOAD_FORM, "csrf_token": csrf_of(c.get("/upload").text)},
               files={"file": ("letter.txt", LETTER, "text/plain")}, follow_redirects=False)
    assert r.status_code == 415 and "no line is a variant" in r.text
    assert 'action="/upload"' in r.text               # the form again, with the reason
    assert len(app.state.h2s.reports._items) == reports_before
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": ("letter.txt", LETTER, "text/plain")})
    assert r.status_code == 415


def test_genomic_lines_need_the_build_the_user_gives(web):
    """chr17:g. names no build: with the form's build it is a variant; without it the refusal says so."""
    app, reg, _users = web
    c, h = client(app), bearer(reg, "viewer")
    text = b"chr17:g.39724731C>T\n"
    r = c.post("/api/v1/annotate", headers=h, data={"build": "GRCh38"}, files={"file": ("g.txt", text, "text/plain")})
    assert r.status_code == 200, r.text
    r = c.post("/api/v1/annotate", headers=h, files={"file": ("g.txt", text, "text/plain")})
    assert r.status_code == 415 and "genome build" in r.json()["detail"]


def test_registry_attach_refuses_a_letter(web, tmp_path):
    """The registry itself (the CLI's ``registry attach``), not only the web layer."""
    from her2scope.registry import RegistryError

    _app, reg, users = web
    letter = tmp_path / "letter.txt"
    letter.write_bytes(LETTER)
    before = stored_reports(reg)
    with pytest.raises(RegistryError, match="no line is a variant"):
        reg.attach_ngs_result("EX-003", letter, users["clinician"])
    assert stored_reports(reg) == before


def test_some_good_lines_are_accepted_with_the_bad_ones_listed(web):
    app, reg, _users = web
    c, h = client(app), bearer(reg, "clinician")
    r = c.post("/api/v1/patients/EX-003/tests", headers=h, data={"sample_type": "tissue"},
               files={"file": ("mixed.txt", MIXED, "text/plain")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [v["protein_change"] for v in body["variants"]] == ["p.S310F"]
    assert body["her2_status"] == "positive"
    errors = body["picture"]["errors"]
    assert [(e["record"], e["error"]) for e in errors] == [(3, "malformed_record"), (4, "malformed_record")]
    # the patient page shows the result and the lines that were not read
    page = login(app, "viewer").get("/patients/EX-003").text
    assert "2 record(s) not interpreted" in page and "see comment below" in page
    # and the upload page shows them in its annotation table
    u = login(app, "clinician")
    r = u.post("/upload", data={**UPLOAD_FORM, "csrf_token": csrf_of(u.get("/upload").text)},
               files={"file": ("mixed.txt", MIXED, "text/plain")})
    assert r.status_code == 200 and "p.S310F" in r.text and "see comment below" in r.text
