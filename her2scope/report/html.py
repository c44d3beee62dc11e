"""Self-contained HTML: inline CSS and SVG, no scripts, no external URL of any kind."""

from __future__ import annotations

from importlib import resources
from typing import IO

from ..knowledge import load_knowledge
from ..vocabulary import Status
from .model import STEP_LABELS, Report
from .svg import lollipop, panel

PAPERS = {"a4": "A4", "letter": "letter"}


def render_html(report: Report, *, paper: str = "a4") -> str:
    import jinja2  # lazy: start-up (a JSON or FHIR report never loads jinja2)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files(__package__) / "templates")),
        autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    env.globals.update(Status=Status)   # templates compare with the vocabulary's members, not their text
    template = env.get_template("report.html.j2")
    pic = report.picture
    patient = [(v.protein_change, v.classification.oncogenicity) for v in pic.variants
               if v.protein_change and v.classification]
    return template.render(
        r=report, d=report.as_dict(), c=report.case.clinical, pic=pic, steps=report.steps,
        drivers=report.drivers, paper=PAPERS[paper], step_labels=STEP_LABELS,
        lollipop_svg=lollipop(load_knowledge(), patient), panel_svg=panel(pic.dimensions))


def render_pdf(report: Report, path: str | IO[bytes], *, paper: str = "a4") -> None:
    """PDF from the same HTML (WeasyPrint); A4 or US Letter. ``path``: a file name or a binary stream."""
    from weasyprint import HTML  # lazy: optional heavy dependency, only for PDF

    def no_fetch(url, *args, **kwargs):  # the HTML is self-contained: refuse any fetch
        raise ValueError(f"her2scope reports never fetch resources ({url})")

    HTML(string=render_html(report, paper=paper), url_fetcher=no_fetch).write_pdf(path)
