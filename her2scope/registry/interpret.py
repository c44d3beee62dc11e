"""One test's HER2 result from the engine: a one-test case is built and handed to the HER2
picture (``her2scope.case.picture.build_picture``), which runs the interpretation engine.
The registry stores what the picture says; it never re-decides it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..case.picture import Dimension, build_picture
from ..case.schema import Case, CaseError, Ihc, Ish, NgsTest
from ..knowledge import load_knowledge
from ..errors import Her2scopeError
from ..pipeline import Options
from ..genome.builds import Build
from ..readers.base import FileSummary, RecordError
from ..readers.dispatch import read_input
from ..readers.detect import InputFormat, detect_format
from ..result import VariantResult

TEST_TYPES = ("ngs_tissue", "ngs_plasma", "ihc", "ish")
NGS_TYPES = ("ngs_tissue", "ngs_plasma")
DEFAULT_SCORING = "not stated"
_PARTS: dict[str, type[BaseModel]] = {"ngs": NgsTest, "ihc": Ihc, "ish": Ish}


@dataclass(frozen=True)
class TestResult:
    status: str                         # the picture's status for the test's dimension
    summary: str
    value: str | None
    picture: dict
    variants: tuple[VariantResult, ...]
    knowledge_version: str
    errors: tuple                       # RecordError items from the engine


def variant_text_problem(path: str | Path, build: str | None = None, shown: int = 3) -> str | None:
    """Why a text file cannot stand as an NGS result, or None.

    A file the engine reads as HGVS text (not VCF, BCF or MAF: the engine's own content test)
    must hold at least one line its HGVS parser reads as a variant. A clinic letter, a report's
    prose or a list of typos holds none: stored, it would count as "NGS done" with nothing
    behind it. Files with some good lines pass; their bad lines are reported per line later."""
    path = str(path)
    if detect_format(path).format is not InputFormat.HGVS:
        return None                  # VCF/BCF/MAF, or a file the engine refuses with its reason
    summary = FileSummary(path)
    bad = []
    try:
        for item in read_input(path, Build(build) if build else None, summary):
            if summary.format != "HGVS" or not isinstance(item, RecordError):
                return None          # a variant (or not text at all)
            bad.append(item)
    except (Her2scopeError, ValueError):
        return None                  # file-level problems are the engine's to report
    name = Path(path).name
    lines = "; ".join(f"line {e.record}: {e.message}" for e in bad[:shown])
    more = f"; and {len(bad) - shown} more line(s)" if len(bad) > shown else ""
    return (f"{name}: no line is a variant her2scope can read, so this is not a result file (a letter or "
            "report text is not one: give the lab's VCF/BCF/MAF, or a text file with one HGVS expression "
            "per line)" + (f": {lines}{more}" if bad else ": the file holds no expression"))


def _variant_dict(v: VariantResult) -> dict:
    d = v.as_dict()
    d["input"] = Path(d["input"]).name if d.get("input") else d.get("input")
    return d


def interpret_test(patient_id: str, test_type: str, *, resulted: dt.date | None, assay: str | None = None,
                   value: str | None = None, variants: tuple[str, ...] = (), files: tuple[str, ...] = (),
                   build: str | None = None, scoring_system: str | None = None, sample: str | None = None,
                   copies: float | None = None, genes_covered: tuple[str, ...] | None = None,
                   options: Options = Options()) -> TestResult:
    """Raises ``CaseError`` (an InputError) when a value is invalid, e.g. an IHC score of 4+,
    and ``UnknownSampleError`` (an InputError) when ``sample`` is not a sample of the file: the
    registry refuses such a result instead of storing a negative.

    The HER2 picture of one test does not depend on the clinical block, so none is given: the
    registry never invents a histology, stage or region (the patient's report uses the
    clinical data actually recorded, see ``clinical.py``)."""
    case = test_case(patient_id, _case_data(patient_id, test_type, resulted=resulted, assay=assay, value=value,
                                            variants=variants, files=files, build=build,
                                            scoring_system=scoring_system, sample=sample, copies=copies,
                                            genes_covered=genes_covered),
                     f"{patient_id} {test_type}")
    picture = build_picture(case, Path("."), options, strict=True)
    dim: Dimension = {"ihc": picture.expression, "ish": picture.amplification}.get(test_type, picture.mutation)
    # The IHC score as the case schema normalised it (an ihc test always has its ihc part).
    ihc_score = case.ihc.score if case.ihc is not None else None
    stored_value = ihc_score if test_type == "ihc" else (value if test_type == "ish" else None)
    data: dict[str, Any] = {
        "mutation": picture.mutation.as_dict(), "amplification": picture.amplification.as_dict(),
        "protein_expression": picture.expression.as_dict(), "variants": [_variant_dict(v) for v in picture.variants],
        "activating": [v.protein_change for v in picture.activating],
        "errors": [{**e.as_dict(), "input": Path(e.input).name} for e in picture.errors]}
    # kept with the result: the patient's report reads them back (clinical.py)
    if copies is not None:
        data["ish_copies"] = copies
    if genes_covered is not None:
        data["genes_covered"] = list(genes_covered)
    kb = load_knowledge(options.knowledge)
    return TestResult(str(dim.status), dim.summary, stored_value, data, picture.variants, kb.version,
                      picture.errors)


def test_case(patient_id: str, data: dict, where: str) -> Case:
    """A case holding only test results (no clinical block), for the HER2 picture. Each part is
    validated by the case schema, so an invalid value is a CaseError naming the field."""
    parts: dict = {}
    problems = []
    for key, model in _PARTS.items():
        value = data.get(key)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        checked = []
        for i, item in enumerate(items):
            try:
                checked.append(model.model_validate(item))
            except ValidationError as exc:
                at = f"{key}.{i}" if isinstance(value, list) else key
                problems += [f"{'.'.join([at, *map(str, e['loc'])])}: {e['msg'].removeprefix('Value error, ')}"
                             for e in exc.errors()]
        parts[key] = checked if isinstance(value, list) else checked[0] if checked else None
    if problems:
        raise CaseError(f"{where}: invalid case: " + "; ".join(problems))
    return Case.model_construct(case_id=patient_id, clinical=None, ngs=parts.get("ngs", []),
                                ihc=parts.get("ihc"), ish=parts.get("ish"), notes=None)


def _case_data(patient_id: str, test_type: str, *, resulted, assay, value, variants, files, build,
               scoring_system, sample, copies=None, genes_covered=None) -> dict:
    data: dict = {"case_id": patient_id}
    if test_type in NGS_TYPES:
        ngs = {"sample_type": "tissue" if test_type == "ngs_tissue" else "plasma", "assay": assay,
               "date": resulted, "files": list(files), "variants": list(variants), "build": build,
               "sample": sample}
        if genes_covered is not None:
            ngs["genes_covered"] = list(genes_covered)
        if not files and not variants:
            # An import row resulted with no ERBB2 variant listed: the lab reported none found
            # (docs/registry-import.md), not "no data".
            ngs["no_variant_reported"] = True
        data["ngs"] = [ngs]
    elif test_type == "ihc":
        data["ihc"] = {"score": value, "scoring_system": scoring_system or DEFAULT_SCORING, "date": resulted}
    elif test_type == "ish":
        data["ish"] = {"her2_cep17_ratio": value, "mean_her2_copies": copies, "date": resulted}
    else:
        raise ValueError(f"unknown test type {test_type!r}")
    return data
