"""Typed shapes of the ERBB2 variant knowledge files (pydantic v2, unknown keys refused).

Two generations are read:
- v1 (``erbb2_kb_v1.yaml``): one file, free-text citations, curated ``vicc_codes`` per entry;
- v2 (``erbb2_kb_v2.yaml`` + ``erbb2_kb_v2/*.yaml``): a main file (SOP points, domains, critical
  regions, alteration classes, class rules, fragment list) and curator fragments (sources with
  title/first author/year, variants whose evidence items carry type, direction and strength).
Vocabularies come from ``her2scope.vocabulary``; a value outside them refuses to load.
Cross-record checks (citations resolve, reference residues, merging) live in ``loader.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ..vocabulary import (Assay, EvidenceDirection, EvidenceStrength, EvidenceType, Oncogenicity,
                          RuleKind, SourceKind, ViccCode)


def _iso_date(value: object) -> object:
    # YAML reads an unquoted 2026-12-01 as a date; a quoted one is text. Both become "YYYY-MM-DD".
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from None
    return value


def _text_id(value: object) -> object:
    # PMIDs written without quotes arrive as numbers.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


IsoDate = Annotated[str, BeforeValidator(_iso_date)]
Text = Annotated[str, Field(min_length=1)]
SourceKey = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- shared -----------------------------------------------------------------------------------

class Thresholds(Strict):
    oncogenic: int
    likely_oncogenic: int
    likely_benign: int
    benign: int


class ViccSop(Strict):
    citation: SourceKey
    points: dict[ViccCode, int]
    thresholds: Thresholds
    codes: dict[ViccCode, Text]

    @model_validator(mode="after")
    def _every_code_scored(self) -> ViccSop:
        missing = sorted(set(ViccCode) - set(self.points))
        if missing:
            raise ValueError(f"points missing for {missing}")
        return self


class Domain(Strict):
    id: Slug
    label: Text
    start: int = Field(ge=1)
    end: int = Field(ge=1)
    approximate: bool = False
    citations: tuple[SourceKey, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Domain:
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        return self


# --- v1 ---------------------------------------------------------------------------------------

class SourceV1(Strict):
    citation: Text
    doi: str | None = None
    url: str | None = None
    checked: IsoDate
    how: Text


class EvidenceV1(Strict):
    statement: Text
    citations: tuple[SourceKey, ...] = Field(min_length=1)
    code: ViccCode | None = None


class ClassV1(Strict):
    label: Text
    activating: bool | None
    statement: Text
    citations: tuple[SourceKey, ...] = Field(min_length=1)
    codes: tuple[EvidenceV1, ...] = ()


class VariantV1(Strict):
    protein_change: Text
    hgvs_p: str = ""
    known_as: tuple[str, ...] = ()
    oncogenicity: Oncogenicity
    vicc_codes: tuple[ViccCode, ...] = ()
    evidence: tuple[EvidenceV1, ...] = Field(min_length=1)
    last_reviewed: IsoDate


class ContextV1(Strict):
    id: Slug
    statement: Text
    citations: tuple[SourceKey, ...] = Field(min_length=1)
    checked: IsoDate


class KnowledgeV1(Strict):
    knowledge_version: Annotated[str, Field(pattern=r"^1\.\d+\.\d+$")]
    released: IsoDate
    gene: Text
    transcript: Text
    protein: Text
    description: Text
    sources: dict[SourceKey, SourceV1]
    vicc_sop: ViccSop
    domains: tuple[Domain, ...] = Field(min_length=1)
    alteration_classes: dict[Slug, ClassV1]
    curated_variants: tuple[VariantV1, ...]
    nsclc_context: tuple[ContextV1, ...] = ()


# --- v2 ---------------------------------------------------------------------------------------

class SourceV2(Strict):
    kind: SourceKind
    title: Text
    first_author: str | None
    year: int | None = Field(ge=1950, le=2100)
    journal: str | None = None
    pmid: Annotated[str | None, BeforeValidator(_text_id)] = None
    doi: str | None = None
    url: str | None = None
    checked: IsoDate
    how: Text

    @field_validator("pmid")
    @classmethod
    def _digits(cls, v: str | None) -> str | None:
        if v is not None and not v.isdigit():
            raise ValueError(f"a PMID is digits only: {v!r}")
        return v

    def citation(self) -> str:
        """One line for reports: 'First A. Title. Journal Year. PMID n, doi:x'."""
        parts = [p for p in (self.first_author, self.title.rstrip(".") + ".",
                             " ".join(str(x) for x in (self.journal, self.year) if x)) if p]
        ids = [f"PMID {self.pmid}" if self.pmid else "", f"doi:{self.doi}" if self.doi else ""]
        return ". ".join(parts).replace("..", ".") + ("; " + ", ".join(i for i in ids if i) if any(ids) else "")


SUPPORT_MAX = 300      # the fragment format: a short verbatim sentence


class EvidenceV2(Strict):
    type: EvidenceType
    assays: tuple[Assay, ...] = ()
    direction: EvidenceDirection
    strength: EvidenceStrength
    statement: Text
    support: Annotated[str, Field(max_length=SUPPORT_MAX)] | None = None
    citations: tuple[SourceKey, ...] = Field(min_length=1)
    code: ViccCode | None = None

    @model_validator(mode="after")
    def _code_fits(self) -> EvidenceV2:
        # A stated code must be one the item itself can carry (the fragment format's list).
        fits = {
            ViccCode.OS2: self.type is EvidenceType.functional and self.direction is EvidenceDirection.oncogenic,
            ViccCode.SBS2: self.type is EvidenceType.functional and self.direction is EvidenceDirection.not_oncogenic,
            ViccCode.SBVS1: self.type is EvidenceType.population,
            ViccCode.SBS1: self.type is EvidenceType.population,
            ViccCode.OP4: self.type is EvidenceType.population,
        }
        if self.code is not None and not fits.get(self.code, False):
            raise ValueError(f"code {self.code.value} does not fit a {self.type.value} item with direction "
                             f"{self.direction.value} (allowed: OS2 functional/oncogenic, SBS2 functional/"
                             "not_oncogenic, SBVS1/SBS1/OP4 population)")
        return self


class VariantV2(Strict):
    protein_change: Text
    hgvs_p: Text
    known_as: tuple[str, ...] = ()
    oncogenicity: Oncogenicity
    evidence: tuple[EvidenceV2, ...] = Field(min_length=1)
    checked: IsoDate


class RuleEvidence(Strict):
    """A class rule's evidence item (main file) or one contributed by a fragment."""

    statement: Text
    support: Annotated[str, Field(max_length=SUPPORT_MAX)] | None = None
    citations: tuple[SourceKey, ...] = Field(min_length=1)


class FragmentRuleEvidence(RuleEvidence):
    rule: Slug


class CriticalRegion(Strict):
    """A stretch that the SOP's OM1 ('critical, well-established part of a functional domain')
    applies to. Kept apart from ``domains`` so the domain of a residue stays the top-level one."""

    id: Slug
    label: Text
    start: int = Field(ge=1)
    end: int = Field(ge=1)
    statement: Text
    citations: tuple[SourceKey, ...] = Field(min_length=1)


class Fragment(Strict):
    fragment: Slug
    curator_note: Text
    sources: dict[SourceKey, SourceV2] = {}
    variants: tuple[VariantV2, ...] = ()
    domains: tuple[Domain, ...] | None = None
    critical_regions: tuple[CriticalRegion, ...] | None = None
    class_rule_evidence: tuple[FragmentRuleEvidence, ...] = ()


class Span(Strict):
    start: int = Field(ge=1)
    end: int = Field(ge=1)


class RuleException(Strict):
    statement: Text
    protein_changes: tuple[str, ...] = ()      # canonical short forms the rule must not call
    citations: tuple[SourceKey, ...] = ()


class ClassRule(Strict):
    id: Slug
    kind: RuleKind
    label: Text
    region: Span | None = None
    max_residues: int | None = Field(default=None, ge=1)   # largest net gain/loss the rule covers
    call: Oncogenicity
    statement: Text
    evidence: tuple[RuleEvidence, ...] = Field(min_length=1)
    exceptions: tuple[RuleException, ...] = Field(min_length=1)
    representative_variants: tuple[str, ...] = Field(min_length=1)
    not_called: tuple[str, ...] = ()          # nearby changes the rule must leave alone (tests check both)
    aliases: tuple[Slug, ...] = ()            # other ids fragments may use for this rule

    @model_validator(mode="after")
    def _narrow(self) -> ClassRule:
        # A rule generalises from its members; it never reaches the strongest class by itself.
        if self.call is not Oncogenicity.likely_oncogenic:
            raise ValueError("a class rule calls likely_oncogenic (the rule's narrowness carries the rest)")
        if self.kind is not RuleKind.missense_at_activating_residue and self.region is None:
            raise ValueError(f"a {self.kind.value} rule needs a region")
        return self


class AlterationClassV2(Strict):
    label: Text
    activating: bool | None
    statement: Text
    citations: tuple[SourceKey, ...] = Field(min_length=1)


class KnowledgeV2(Strict):
    knowledge_version: Annotated[str, Field(pattern=r"^2\.\d+\.\d+$")]
    released: IsoDate
    checked: IsoDate
    gene: Text
    transcript: Text
    protein: Text
    description: Text
    fragments: tuple[Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*\.yaml$")], ...] = Field(min_length=1)
    sources: dict[SourceKey, SourceV2]
    vicc_sop: ViccSop
    population: Text                     # what population data is bundled (or that none is)
    domains: tuple[Domain, ...] = ()     # or from one fragment
    critical_regions: tuple[CriticalRegion, ...] = ()
    alteration_classes: dict[Slug, AlterationClassV2]
    class_rules: tuple[ClassRule, ...] = ()

