"""The curated trial list: typed, validated, and loaded once.

Every trial entry and every source goes through a pydantic model with ``extra="forbid"`` and an
enum for each vocabulary (status, line, setting, histology, alteration class, brain-metastasis
rule, region), so a typo such as ``status: recrutiing`` or ``lines: first_line`` refuses to load
with a message that names the file, the trial and the field. Every citation must resolve in the
file's own sources; every source says what kind it is (a secondary source is never passed off as
a registry record), and every trial says when it was checked and whether its recruitment status
was read from a registry record (``verified``).

``trials_v2.yaml`` is the list in use; ``trials_v1.yaml`` stays in the package for
``her2scope knowledge diff`` (read there as plain YAML, not loaded here).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass
from importlib import resources

from pydantic import Field, ValidationError, model_validator

from ..errors import KnowledgeBaseError
from .file_models import FrozenModel, KnowledgeFile
from .yaml_files import read_yaml, validation_error

_DATA = resources.files(__package__) / "data"
TRIALS = "trials_v2.yaml"
TRIALS_V1 = "trials_v1.yaml"

_DATE_TEXT = r"^(\d{4}-\d{2}(-\d{2})?|unknown)$"
# ClinicalTrials.gov, EU CTR (CTIS), EudraCT, jRCT: the registries a trial here can be keyed by.
_REGISTRY_ID = r"^(NCT\d{8}|\d{4}-\d{6}-\d{2}-\d{2}|\d{4}-\d{6}-\d{2}|jRCT\d{10})$"


class TrialStatus(enum.StrEnum):
    """Overall recruitment status as a registry states it (ClinicalTrials.gov vocabulary)."""

    not_yet_recruiting = "not_yet_recruiting"
    recruiting = "recruiting"
    active_not_recruiting = "active_not_recruiting"
    completed = "completed"
    terminated = "terminated"
    unknown = "unknown"              # not read from a registry record: never shown as enrolling

    @property
    def enrolling(self) -> bool:
        return self in (TrialStatus.recruiting, TrialStatus.not_yet_recruiting)

    @property
    def closed(self) -> bool:
        return self in (TrialStatus.active_not_recruiting, TrialStatus.completed, TrialStatus.terminated)


class TrialLine(enum.StrEnum):
    """Which patients by prior systemic therapy for advanced disease the trial takes."""

    first_line = "first_line"        # no prior systemic therapy for advanced disease
    pretreated = "pretreated"        # at least one prior systemic therapy
    any = "any"                      # cohorts for both (e.g. SOHO-01 cohort F is treatment-naive)


class TrialSetting(enum.StrEnum):
    advanced = "advanced"            # unresectable, locally advanced or metastatic
    adjuvant = "adjuvant"            # after complete resection of early-stage disease


class TrialHistology(enum.StrEnum):
    nsclc = "nsclc"
    nonsquamous_nsclc = "nonsquamous_nsclc"


class AlterationClass(enum.StrEnum):
    """What HER2 alteration the trial enrols (engine class names where one exists)."""

    any_activating_mutation = "any_activating_mutation"
    tkd_activating_mutation = "tkd_activating_mutation"
    exon19_20_mutation = "exon19_20_mutation"          # any HER2 mutation in exon 19 or 20 (see exons)
    exon20_insertion_yvma = "exon20_insertion_yvma"
    exon20_insertion_other = "exon20_insertion_other"
    overexpression_ihc = "overexpression_ihc"          # HER2 protein by IHC (see the summary for the cut-off)
    amplification = "amplification"


class BrainMetastasesRule(enum.StrEnum):
    """What the eligibility criteria say about brain metastases."""

    allowed = "allowed"              # untreated/asymptomatic ones too
    required = "required"            # a brain-metastasis trial: only patients who have them
    stable_only = "stable_only"      # only treated and stable (untreated ones excluded)
    excluded = "excluded"
    unknown = "unknown"              # eligibility wording not seen


class TrialRegion(enum.StrEnum):
    """Where sites were seen: the case regions, and other countries by code."""

    US = "US"
    EU = "EU"
    JP = "JP"
    CN = "CN"
    UK = "UK"
    AU = "AU"
    KR = "KR"
    TW = "TW"
    unknown = "unknown"


class Trial(FrozenModel):
    id: str = Field(..., pattern=_REGISTRY_ID, description="the registry number the trial is keyed by")
    nct: str | None = Field(None, pattern=r"^NCT\d{8}$")
    other_ids: tuple[str, ...] = ()
    acronym: str = ""
    phase: str = Field(..., pattern=r"^(1|1a/1b|1/2|2|3|unknown)$")
    drug: str = Field(..., min_length=1)
    status: TrialStatus
    status_as_of: str = Field(..., pattern=_DATE_TEXT, description="date of the registry record read")
    status_source: str | None = Field(None, description="the source key the status was read from")
    verified: bool = Field(..., description="the status was read from a registry record (or a verbatim mirror)")
    setting: TrialSetting = TrialSetting.advanced
    line: TrialLine
    alteration_classes: tuple[AlterationClass, ...] = Field(..., min_length=1)
    exons: tuple[int, ...] = ()
    histology: TrialHistology
    brain_metastases: str = "unknown"
    brain_metastases_allowed: BrainMetastasesRule
    regions: tuple[TrialRegion, ...] = Field(..., min_length=1)
    summary: str = Field(..., min_length=1)
    citations: tuple[str, ...] = Field(..., min_length=1)
    checked: dt.date

    @model_validator(mode="after")
    def _consistent(self) -> Trial:
        if self.id.startswith("NCT") and self.nct not in (None, self.id):
            raise ValueError(f"id {self.id} and nct {self.nct} differ")
        if AlterationClass.exon19_20_mutation in self.alteration_classes and not self.exons:
            raise ValueError("exon19_20_mutation needs exons")
        if self.verified and self.status_source is None:
            raise ValueError("a verified status names its status_source")
        return self


class TrialsFile(KnowledgeFile):
    trials: tuple[Trial, ...]


@dataclass(frozen=True)
class TrialList:
    """The validated trial list. ``model`` is typed; ``sources`` and ``trials`` are the same
    content as plain dicts for templates and JSON."""

    version: str
    released: str
    path: str
    sources: dict
    trials: tuple[dict, ...]
    model: TrialsFile | None = None


def _ident(entry: dict) -> str | None:
    """``NCT05048797 SOHO-01``: a trial's id and acronym, whichever it has."""
    if entry.get("id") and entry.get("acronym"):
        return f"{entry['id']} {entry['acronym']}"
    return entry.get("acronym") or entry.get("id")


def _validate(raw, source: str) -> TrialsFile:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{source}: not a trial list (a mapping with sources and trials)")
    try:
        model = TrialsFile.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, raw, f"{source}: invalid trial list: ", _ident) from None
    _check_references(model, source)
    return model


def _check_references(model: TrialsFile, source: str) -> None:
    seen: set[str] = set()
    for trial in model.trials:
        name = f"trial {trial.id}" + (f" ({trial.acronym})" if trial.acronym else "")
        if trial.id in seen:
            raise KnowledgeBaseError(f"{source}: {name} appears twice")
        seen.add(trial.id)
        missing = [c for c in trial.citations if c not in model.sources]
        if missing:
            raise KnowledgeBaseError(f"{source}: {name} cites undefined sources {missing}")
        if trial.status_source is not None and trial.status_source not in model.sources:
            raise KnowledgeBaseError(f"{source}: {name}: status_source {trial.status_source!r} is not a source "
                                     "in the file")


def parse_trials(raw, source: str = "trial list") -> TrialList:
    model = _validate(raw, source)
    plain = model.model_dump(mode="json")
    return TrialList(model.knowledge_version, model.released.isoformat(), source, plain["sources"],
                     tuple(plain["trials"]), model)


@functools.cache
def load_trials(path: str | None = None) -> TrialList:
    source = path or str(_DATA / TRIALS)
    return parse_trials(read_yaml(source), source)

