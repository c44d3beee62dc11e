"""Report renderings: self-contained HTML, PDF (A4 and Letter, not blank), JSON, FHIR R4."""

import json
import re
import subprocess
import sys

import pytest

from her2scope.knowledge import load_knowledge
from her2scope.report.fhir import render_fhir
from her2scope.report.html import render_html, render_pdf
from her2scope.report.model import make_report

from report_helpers import CASES


@pytest.fixture(scope="module")
def yvma_report():
    return make_report(CASES / "case01_yvma_after_one_line.yaml")


def test_html_is_self_contained(yvma_report):
    html = render_html(yvma_report)
    # No resource that a browser would fetch: no scripts, stylesheets, images or frames by URL.
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|ftp:)""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", html, re.I)
    assert "@import" not in html


def test_html_order_and_accessibility(yvma_report):
    html = render_html(yvma_report)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    order = [html.index(h) for h in ('id="s-summary"', 'id="s-her2"', 'id="s-next"', 'id="s-evidence"', 'id="s-methods"')]
    assert order == sorted(order)                                   # summary first, methods last
    assert "<caption>" in html and 'scope="col"' in html            # tables are labelled
    assert html.count("<title") >= 3                                # page + each SVG figure titled
    assert f"knowledge: variants v{load_knowledge().version}" in html
    assert "p.Y772_A775dup" in html


def test_html_escapes_case_text(tmp_path):
    from her2scope.case.schema import parse_case
    from her2scope.report.model import report_for

    case = parse_case({"case_id": "X1", "clinical": {"histology": "adenocarcinoma", "stage": "IV", "region": "US"},
                       "ihc": {"score": "1+", "scoring_system": "<script>alert(1)</script>"}})
    html = render_html(report_for(case, tmp_path))
    assert "<script>" not in html and "&lt;script&gt;" in html


def _first_page(pdf_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    page = pdf[0]
    size = page.get_size()
    image = page.render(scale=0.5).to_pil().convert("L")
    return len(pdf), size, image


@pytest.mark.parametrize("paper,size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_pdf_renders_on_paper_and_is_not_blank(yvma_report, tmp_path, paper, size):
    out = tmp_path / f"r_{paper}.pdf"
    render_pdf(yvma_report, str(out), paper=paper)
    pages, (w, h), image = _first_page(out)
    assert pages >= 1
    assert (round(w), round(h)) == size
    histogram = image.histogram()
    dark = sum(histogram[:128])
    assert dark > 0.01 * sum(histogram)            # text and figures, not a blank page


def test_json_report_schema(yvma_report):
    d = json.loads(json.dumps(yvma_report.as_dict()))
    for key in ("schema", "generated", "knowledge", "case_id", "summary", "her2", "variants",
                "therapy_options", "actionability", "next_steps", "trials", "citations", "limitations"):
        assert key in d
    assert set(d["her2"]) == {"mutation", "amplification", "protein_expression"}
    assert d["knowledge"]["variants"] == load_knowledge().version
    used = {c for o in d["therapy_options"] for c in o["citations"]}
    assert used <= set(d["citations"])          # every citation used is resolved


def test_fhir_bundle_validates_against_r4_models(yvma_report):
    from fhir.resources.R4B.bundle import Bundle

    bundle = render_fhir(yvma_report)
    parsed = Bundle.model_validate(bundle)
    kinds = [e.resource.__resource_type__ for e in parsed.entry]
    assert kinds[0] == "Patient" and kinds[1] == "DiagnosticReport"
    obs = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    profiles = [o["meta"]["profile"][0].rsplit("/", 1)[1] for o in obs]
    assert "variant" in profiles and "molecular-biomarker" in profiles and "therapeutic-implication" in profiles
    variant = next(o for o in obs if o["meta"]["profile"][0].endswith("variant"))
    comps = {c["code"]["coding"][0]["code"]: c for c in variant["component"]}
    assert comps["48004-6"]["valueCodeableConcept"]["coding"][0]["code"] == "NM_004448.4:c.2313_2324dup"
    assert comps["48005-3"]["valueCodeableConcept"]["coding"][0]["code"] == "NP_004439.2:p.(Tyr772_Ala775dup)"
    ihc = next(o for o in obs if o["meta"]["profile"][0].endswith("molecular-biomarker"))
    assert ihc["valueCodeableConcept"]["text"] == "IHC 1+"
    # Every reference in the bundle resolves inside it.
    ids = {e["fullUrl"] for e in bundle["entry"]}
    refs = re.findall(r'"reference": "([^"]+)"', json.dumps(bundle))
    assert refs and set(refs) <= ids


def test_cli_writes_every_format(tmp_path):
    outs = [tmp_path / n for n in ("r.html", "r.json", "r.fhir.json")]
    args = [sys.executable, "-m", "her2scope.cli", "report", str(CASES / "case02_s310f.yaml")]
    for o in outs:
        args += ["-o", str(o)]
    run = subprocess.run(args, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert all(o.exists() and o.stat().st_size > 1000 for o in outs)
    assert not list(tmp_path.glob(".*partial"))
    bad = subprocess.run([sys.executable, "-m", "her2scope.cli", "report", str(CASES / "case02_s310f.yaml"),
                          "-o", str(tmp_path / "r.docx")], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
