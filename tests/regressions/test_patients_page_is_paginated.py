"""Issue 13: with 1,000 patients the patients page was one 1,003-row page. It is now paginated
on the server (50 per page by default), searchable and sortable: 120 imported patients give
3 pages, the first with 50 rows."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")


def test_120_patients_make_three_pages(tmp_path):
    from web_helpers import login, make_app, make_registry

    reg, users = make_registry(tmp_path / "r.db", import_example=False)
    csv = tmp_path / "many.csv"
    csv.write_text("patient_id,histology,stage,diagnosis_date\n"
                   + "".join(f"P-{i:04d},adenocarcinoma,IVB,2026-10-01\n" for i in range(120)))
    reg.import_csv(csv, users["admin"])
    c = login(make_app(reg), "viewer")
    html = c.get("/patients").text
    rows = html.split('<tbody>')[1].split("</tbody>")[0].count("<tr>")
    assert rows == 50 and "page 1 of 3" in html and 'rel="next"' in html
    last = c.get("/patients?page=3").text.split('<tbody>')[1].split("</tbody>")[0]
    assert last.count("<tr>") == 20 and "P-0119" in last
    found = c.get("/patients?q=p-0042").text.split('<tbody>')[1].split("</tbody>")[0]
    assert found.count("<tr>") == 1 and "P-0042" in found
    reg.close()
