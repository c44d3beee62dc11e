"""The web app's calls into the library: annotate an upload or HGVS text, build a report from an
upload plus a few clinical fields, or from a case. Thin wrappers; the engine decides everything.

Files reach the engine only from a private temporary folder this module wrote; a case coming
over the network may not name files on the server, and its HGVS expressions must look like
HGVS. Expressions go to the engine as expressions (``annotate_inputs(expressions=...)``), which
never opens them as files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..case.schema import parse_case
from ..genome.builds import Build
from ..knowledge import load_knowledge
from ..pipeline import Options, annotate_inputs
from ..readers.base import FileSummary, RecordError
from ..readers.dispatch import looks_like_hgvs
from ..report.fhir import render_fhir
from ..report.html import render_html
from ..report.model import report_for
from .uploads import SavedUpload, private_folder

MAX_EXPRESSION_CHARS = 300


class CaseRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Annotation:
    items: list[dict]
    summaries: list[dict]
    knowledge_version: str
    failed: int = field(default=0)

    def as_dict(self) -> dict:
        return {"knowledge_version": self.knowledge_version, "items": self.items,
                "summaries": self.summaries, "failed": self.failed}


def _scrub(obj: Any, folder: Path) -> Any:
    """Replace the private temporary folder in paths and messages with nothing: users see
    their own file name, never the server's layout."""
    prefix = str(folder) + "/"
    if isinstance(obj, str):
        return obj.replace(prefix, "")
    if isinstance(obj, dict):
        return {k: _scrub(v, folder) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_scrub(v, folder) for v in obj]
    return obj


def _options(build: str | None):
    try:
        return Options(build=Build(build) if build else None)
    except ValueError:
        raise CaseRejected(f"build: unknown value; choose {' or '.join(b.value for b in Build)}") from None


def annotate_paths(paths: list, folder: Path | None, build: str | None = None, *,
                   expressions: Sequence[str] = ()) -> Annotation:
    summaries: list[FileSummary] = []
    items, failed = [], 0
    for item in annotate_inputs([str(p) for p in paths], _options(build), summaries, expressions=expressions):
        failed += isinstance(item, RecordError)
        items.append(item.as_dict())
    sums = [{"input": s.input, "format": s.format, "build": s.build, "records": s.records,
             "erbb2_records": s.erbb2_records, "skipped_non_erbb2": s.skipped_non_erbb2,
             "errors": s.errors, "notes": list(s.notes)} for s in summaries]
    if folder is not None:
        items, sums = _scrub(items, folder), _scrub(sums, folder)
    return Annotation(items, sums, load_knowledge().version, failed)


def annotate_upload(saved: SavedUpload, build: str | None = None) -> Annotation:
    return annotate_paths([saved.path], saved.path.parent, build)


def check_expression(text: str) -> str:
    """An HGVS expression the engine may take inline, or CaseRejected: refused when it contains
    a path separator or control character or does not look like HGVS (the engine's own test)."""
    text = text.strip()
    if not text or len(text) > MAX_EXPRESSION_CHARS or any(c in text for c in "/\\\0\r\n") \
            or not looks_like_hgvs(text):
        raise CaseRejected(f"not an HGVS expression: {text[:60]!r}")
    return text


def annotate_expressions(expressions: list[str], build: str | None = None) -> Annotation:
    """HGVS expressions, given to the engine inline (each checked by ``check_expression``)."""
    return annotate_paths([], None, build, expressions=[check_expression(e) for e in expressions])


def check_case_data(data: dict) -> dict:
    """A case from the network: no server file names, HGVS expressions only."""
    if not isinstance(data, dict):
        raise CaseRejected("a case is a JSON object")
    for i, test in enumerate(data.get("ngs") or []):
        if not isinstance(test, dict):
            continue
        if test.get("files"):
            raise CaseRejected(f"ngs.{i}.files: server file names are not accepted; upload the file "
                               "(POST /api/v1/annotate or the upload page) or give HGVS variants")
        cn = test.get("copy_number")
        if isinstance(cn, dict) and (cn.get("vcf_file") or cn.get("segment_file")):
            raise CaseRejected(f"ngs.{i}.copy_number: server file names are not accepted")
        for v in test.get("variants") or []:
            if not isinstance(v, str):
                raise CaseRejected(f"ngs.{i}.variants: strings expected")
            check_expression(v)
    return data


@dataclass
class BuiltReport:
    report: Any            # her2scope.report.model.Report
    html: str
    data: dict
    fhir: dict


def build_report(case, base: Path, options=None) -> BuiltReport:
    """The library's report (``report_for``, the function behind ``her2scope report``) in its
    HTML, JSON and FHIR forms."""
    rep = report_for(case, base, options or Options())
    html = render_html(rep).replace(str(base) + "/", "")
    data = _scrub(rep.as_dict(), base)
    fhir = _scrub(render_fhir(rep), base)
    return BuiltReport(rep, html, data, fhir)


def report_from_case_data(data: dict) -> BuiltReport:
    case = parse_case(check_case_data(data))
    with private_folder() as tmp:
        return build_report(case, Path(tmp))


def report_from_upload(saved: SavedUpload, clinical: dict, *, case_id: str, sample_type: str,
                       assay: str | None, sample: str | None, build: str | None,
                       genes_covered: tuple[str, ...] | None = None) -> BuiltReport:
    ngs: dict[str, Any] = {"sample_type": sample_type, "files": [saved.path.name]}
    if genes_covered is not None:
        ngs["genes_covered"] = list(genes_covered)
    if assay:
        ngs["assay"] = assay
    if sample:
        ngs["sample"] = sample
    if build:
        ngs["build"] = build
    case = parse_case({"case_id": case_id, "clinical": clinical, "ngs": [ngs]}, "upload form")
    built = build_report(case, saved.path.parent)
    # A sample name the file does not have: the picture marks the test failed; a form that
    # names the sample itself is refused instead (422), the message naming the file's samples.
    unknown = [e for e in built.report.picture.errors if e.error == "unknown_sample"]
    if unknown:
        raise CaseRejected(_scrub(unknown[0].message, saved.path.parent))
    return built


def report_for_patient(case, options=None) -> BuiltReport:
    """A registry patient's report: the case the registry rebuilt from its stored tests and the
    patient's clinical data (no files), through the same library call as any other report."""
    with private_folder() as tmp:
        return build_report(case, Path(tmp), options)


def to_json(obj: Any) -> str:
    return json.dumps(obj, indent=1, default=str)


def report_from_case(case) -> BuiltReport:
    """A report for an already-validated Case (the API's body)."""
    check_case_data(case.model_dump(mode="json"))
    with private_folder() as tmp:
        return build_report(case, Path(tmp))
