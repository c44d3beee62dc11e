"""One test's HER2 result from the engine: a one-test case is built and handed to the HER2
picture (``her2scope.case.picture.build_picture``), which runs the interpretation engine.
The registry stores what the picture says; it never re-decides it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..case.picture import Dimension, build_picture
from ..case.schema import Case, Clinical, Histology, Ihc, Ish, NgsTest, Region, SampleType
from ..knowledge import load_knowledge
from ..pipeline import Options
from ..result import VariantResult

TEST_TYPES = ("ngs_tissue", "ngs_plasma", "ihc", "ish")
NGS_TYPES = ("ngs_tissue", "ngs_plasma")
DEFAULT_SCORING = "not stated"
# The picture does not depend on the clinical block; a placeholder keeps the case valid when
# the registry holds no diagnosis for the patient yet.
_PLACEHOLDER = dict(histology=Histology.nsclc_nos, stage="IV", region=Region.EU)


@dataclass(frozen=True)
class TestResult:
    status: str                         # the picture's status for the test's dimension
    summary: str
    value: str | None
    picture: dict
    variants: tuple[VariantResult, ...]
    knowledge_version: str
    errors: tuple                       # RecordError items from the engine


def _clinical(histology: str | None, stage: str | None) -> Clinical:
    if histology and stage:
        return Clinical(histology=histology, stage=stage, region=Region.EU)
    return Clinical(**_PLACEHOLDER)


def _variant_dict(v: VariantResult) -> dict:
    d = v.as_dict()
    d["input"] = Path(d["input"]).name if d.get("input") else d.get("input")
    return d


def interpret_test(patient_id: str, test_type: str, *, resulted: dt.date | None, assay: str | None = None,
                   value: str | None = None, variants: tuple[str, ...] = (), files: tuple[str, ...] = (),
                   build: str | None = None, scoring_system: str | None = None, sample: str | None = None,
                   histology: str | None = None, stage: str | None = None,
                   options: Options = Options()) -> TestResult:
    """Raises ``CaseError`` (an InputError) when a value is invalid, e.g. an IHC score of 4+."""
    clinical = _clinical(histology, stage)
    if test_type in NGS_TYPES:
        ngs = NgsTest(sample_type=SampleType.tissue if test_type == "ngs_tissue" else SampleType.plasma,
                      assay=assay, date=resulted, files=list(files), variants=list(variants),
                      build=build, sample=sample)
        case = Case(case_id=patient_id, clinical=clinical, ngs=[ngs])
    elif test_type == "ihc":
        case = Case(case_id=patient_id, clinical=clinical,
                    ihc=Ihc(score=value, scoring_system=scoring_system or DEFAULT_SCORING, date=resulted))
    elif test_type == "ish":
        case = Case(case_id=patient_id, clinical=clinical,
                    ish=Ish(her2_cep17_ratio=float(value), date=resulted))
    else:
        raise ValueError(f"unknown test type {test_type!r}")
    picture = build_picture(case, Path("."), options)
    dim: Dimension = {"ihc": picture.expression, "ish": picture.amplification}.get(test_type, picture.mutation)
    stored_value = case.ihc.score if test_type == "ihc" else (value if test_type == "ish" else None)
    data = {"mutation": picture.mutation.as_dict(), "amplification": picture.amplification.as_dict(),
            "protein_expression": picture.expression.as_dict(),
            "variants": [_variant_dict(v) for v in picture.variants],
            "activating": [v.protein_change for v in picture.activating],
            "errors": [{**e.as_dict(), "input": Path(e.input).name} for e in picture.errors]}
    kb = load_knowledge(options.knowledge)
    return TestResult(dim.status, dim.summary, stored_value, data, picture.variants, kb.version,
                      picture.errors)
