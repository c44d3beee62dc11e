"""Load the next-steps knowledge (therapy labels, decision evidence, safety checks, actionability
rules, non-drug steps) and the curated trial list.

The next-steps file is validated with pydantic models (``extra="forbid"``, enums for every
vocabulary): a typo such as ``line: after_prior_sytemic`` refuses to load, and the message names
the file, the entry and the field. Every citation must resolve in the file's own sources, and
every source says what kind it is (a secondary source is marked as such, never passed off as a
label or a regulator's decision).

``next_steps_v2.yaml`` is the file in use; ``next_steps_v1.yaml`` stays in the package so that
``her2scope knowledge diff`` can compare the two (it is read as plain YAML there, not loaded here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
import enum
import functools
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any

from pydantic import Field, ValidationError, model_validator

from ..errors import KnowledgeBaseError
# The trial list has its own typed loader (issue 10, trials); re-exported here for existing callers.
from .trials import TRIALS, TrialList, load_trials  # noqa: F401
from .file_models import FrozenModel, KnowledgeFile, Source
from .yaml_files import read_yaml, validation_error
from ..vocabulary import (Alteration, LabelHistology, LabelStatus, Line, Region, Specimen,
                          VariantScope)

_DATA = resources.files(__package__) / "data"
NEXT_STEPS = "next_steps_v2.yaml"
NEXT_STEPS_V1 = "next_steps_v1.yaml"
# A fact checked longer ago than this (relative to the report date) is flagged in the report.
STALE_AFTER_DAYS = 180

_DATE_TEXT = r"^(\d{4}-\d{2}(-\d{2})?|unknown)$"


Citations = Annotated[tuple[str, ...], Field(min_length=1)]


class TestRequirement(FrozenModel):
    """The test a label asks for: named companion diagnostics and the specimens they take."""

    cdx: tuple[str, ...] = ()
    specimens: tuple[Specimen, ...] = Field((), description="empty: the label text seen names no specimen")
    note: str = ""

    def text(self) -> str:
        parts = []
        if self.cdx:
            parts.append(", ".join(self.cdx))
        if self.specimens:
            parts.append(" or ".join(s.value for s in self.specimens) + (" only" if len(self.specimens) == 1 else ""))
        if self.note:
            parts.append(self.note)
        return "; ".join(parts) or "not stated in the label text seen"


class Label(FrozenModel):
    id: str = Field(..., pattern=r"^[a-z0-9_]+$")
    drug: str
    brand: str
    region: Region
    agency: str
    status: LabelStatus
    date: str = Field(..., pattern=_DATE_TEXT, description="date of the decision (YYYY-MM[-DD]) or unknown")
    date_is: str = Field("", description="what the date is (Commission decision, FDA approval, announcement)")
    alteration: Alteration
    variant_scope: VariantScope
    outside_tkd_verified: bool = Field(True, description="false: whether the label reaches beyond the kinase "
                                                           "domain was not verified (non-TKD mutations: not verified)")
    histology: LabelHistology
    line: Line
    current: bool = True
    superseded_by: str | None = None
    test: TestRequirement
    summary: str
    citations: Citations
    checked: dt.date


class EvidenceTopic(enum.StrEnum):
    sequencing = "sequencing"        # response after / without a prior HER2-directed drug
    intracranial = "intracranial"    # response of brain metastases


class EvidenceWhen(enum.StrEnum):
    """When a decision-evidence item is shown on a drug's options."""

    prior_her2_adc = "prior_her2_adc"
    prior_her2_tki = "prior_her2_tki"
    brain_metastases = "brain_metastases"


class Figure(FrozenModel):
    population: str
    n: int | None = Field(None, ge=1)
    result: str


class _CitedWhenVerified(FrozenModel):
    """An entry that may be recorded unverified (and then uncited); a verified one must cite."""

    verified: bool
    citations: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _cited_when_verified(self):
        if self.verified and not self.citations:
            raise ValueError(f"a verified {type(self).__name__} needs citations (or verified: false)")
        return self


class DecisionEvidence(_CitedWhenVerified):
    id: str = Field(..., pattern=r"^[a-z0-9_]+$")
    drug: str
    topic: EvidenceTopic
    when: EvidenceWhen
    text: str
    figures: tuple[Figure, ...] = ()
    verified: bool = True
    checked: dt.date


class CheckTiming(enum.StrEnum):
    baseline = "baseline"
    monitoring = "monitoring"
    baseline_and_monitoring = "baseline_and_monitoring"


class SafetyCheck(FrozenModel):
    id: str = Field(..., pattern=r"^[a-z0-9_]+$")
    drug: str
    region: Region
    risk: str
    timing: CheckTiming
    check: str
    boxed_warning: bool = False
    citations: Citations
    checked: dt.date


class GuidelineBody(enum.StrEnum):
    NCCN = "NCCN"
    ESMO = "ESMO"


class GuidelinePlacement(_CitedWhenVerified):
    id: str = Field(..., pattern=r"^[a-z0-9_]+$")
    drug: str
    body: GuidelineBody
    placement: str
    checked: dt.date


class NotAnOption(FrozenModel):
    id: str = Field(..., pattern=r"^[a-z0-9_]+$")
    drug: str
    region: Region
    status: LabelStatus
    date: str = Field(..., pattern=_DATE_TEXT)
    reason: str
    citations: Citations
    checked: dt.date


class Rule(FrozenModel):
    id: str
    condition: str
    tier: str | None = None
    level: str | None = None
    verified: bool = True
    citations: Citations
    checked: dt.date


class StepRule(FrozenModel):
    id: str
    applies_to: str
    text: str
    citations: Citations
    checked: dt.date


class Framework(enum.StrEnum):
    amp_asco_cap = "amp_asco_cap"
    escat = "escat"
    oncokb_style = "oncokb_style"


class GuidanceFile(KnowledgeFile):
    therapy_labels: tuple[Label, ...]
    not_options: tuple[NotAnOption, ...] = ()
    decision_evidence: tuple[DecisionEvidence, ...] = ()
    safety_checks: tuple[SafetyCheck, ...] = ()
    guideline_placement: tuple[GuidelinePlacement, ...] = ()
    actionability: dict[Framework, tuple[Rule, ...]]
    non_drug_steps: tuple[StepRule, ...]


@dataclass(frozen=True)
class Guidance:
    """The validated next-steps knowledge. ``model`` is typed; ``sources``, ``labels``,
    ``actionability`` and ``steps`` are the same content as plain dicts for templates."""

    version: str
    released: str
    path: str
    model: GuidanceFile
    sources: dict
    labels: tuple[dict, ...]
    actionability: dict[str, tuple[dict, ...]]
    steps: tuple[dict, ...]

    @property
    def current_labels(self) -> tuple[Label, ...]:
        return tuple(label for label in self.model.therapy_labels if label.current)

    def rule(self, framework: str, rule_id: str) -> Rule:
        for r in self.model.actionability.get(Framework(framework), ()):
            if r.id == rule_id:
                return r
        raise KnowledgeBaseError(f"{self.path}: no {framework} rule {rule_id!r}")

    def step(self, step_id: str) -> StepRule:
        for s in self.model.non_drug_steps:
            if s.id == step_id:
                return s
        raise KnowledgeBaseError(f"{self.path}: no non-drug step {step_id!r}")

    def source(self, key: str) -> Source:
        return self.model.sources[key]


def _ident(entry: dict) -> str | None:
    return entry.get("id")


def _validate(raw, source: str) -> GuidanceFile:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{source}: not a next-steps knowledge file (a mapping of sections)")
    try:
        model = GuidanceFile.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, raw, f"{source}: invalid next-steps knowledge: ", _ident) from None
    _check_references(model, source)
    return model


def _check_references(model: GuidanceFile, source: str) -> None:
    groups: list[tuple[str, Sequence[Any]]] = [
              ("therapy label", model.therapy_labels), ("not-an-option entry", model.not_options),
              ("decision evidence", model.decision_evidence), ("safety check", model.safety_checks),
              ("guideline placement", model.guideline_placement), ("non-drug step", model.non_drug_steps)]
    groups += [(f"{fw.value} rule", rules) for fw, rules in model.actionability.items()]
    for what, items in groups:
        seen = set()
        for item in items:
            if item.id in seen:
                raise KnowledgeBaseError(f"{source}: {what} {item.id!r} appears twice")
            seen.add(item.id)
            missing = [c for c in item.citations if c not in model.sources]
            if missing:
                raise KnowledgeBaseError(f"{source}: {what} {item.id} cites undefined sources {missing}")
    ids = {label.id for label in model.therapy_labels}
    for label in model.therapy_labels:
        if label.superseded_by is not None and label.superseded_by not in ids:
            raise KnowledgeBaseError(f"{source}: therapy label {label.id}: superseded_by names "
                                     f"{label.superseded_by!r}, which is not a label in the file")
        if label.current == (label.superseded_by is not None):
            raise KnowledgeBaseError(f"{source}: therapy label {label.id}: a superseded label has current: false "
                                     "and superseded_by; a current one has neither")


def parse_guidance(raw, source: str = "next-steps knowledge") -> Guidance:
    model = _validate(raw, source)
    plain = model.model_dump(mode="json")
    return Guidance(model.knowledge_version, model.released.isoformat(), source, model,
                    plain["sources"], tuple(plain["therapy_labels"]),
                    {k: tuple(v) for k, v in plain["actionability"].items()}, tuple(plain["non_drug_steps"]))


@functools.cache
def load_guidance(path: str | None = None) -> Guidance:
    source = path or str(_DATA / NEXT_STEPS)
    return parse_guidance(read_yaml(source), source)
