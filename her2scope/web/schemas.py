"""The REST API's response shapes (pydantic): what each ``/api/v1`` route answers, so that the
OpenAPI description (and schemathesis, which checks every answer against it) states the real
fields, their types and their vocabularies instead of "an object".

The models describe what the library and the registry already produce (``VariantResult.as_dict``,
``RecordError.as_dict``, the registry's DTOs, the HER2 picture); they add, rename and drop
nothing. The routes serialize with ``exclude_unset``: a key the producer did not write is not
written either (an evidence item without ``support`` stays without it), and a key the model
does not know is an error (``extra="forbid"``), so a changed producer fails the API tests
instead of drifting away from its description.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, WithJsonSchema, create_model

from ..case.picture import Status
from ..case.schema import Clinical
from ..registry import DECISION_KINDS, WORKLISTS
from ..registry.interpret import TEST_TYPES
from ..registry.patient_ops import STATUSES
from ..vocabulary import Assay, EvidenceDirection, EvidenceStrength, EvidenceType, Oncogenicity, ViccCode

# A VICC SOP code as applied: the code, or OS2 at a lower strength (knowledge.loader.OS2_BY_STRENGTH).
ViccCodeApplied = Annotated[str, StringConstraints(
    pattern=rf"^({'|'.join(c.value for c in ViccCode)})(_(moderate|supporting))?$")]
BuildName = Literal["GRCh37", "GRCh38"]
# The registry stores UTC times without an offset (registry.models.utcnow) and the API has always
# written them so: an ISO 8601 local date-time, which OpenAPI's "date-time" (RFC 3339) would refuse.
UtcTimestamp = Annotated[dt.datetime, WithJsonSchema({
    "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$",
    "description": "UTC, ISO 8601 without an offset"})]
TestType = Literal[TEST_TYPES]                                   # type: ignore[valid-type]
MutationStatus = Literal[STATUSES]                               # type: ignore[valid-type]
TestStatus = Literal["ordered", "received", "resulted", "failed", "retracted"]
DimensionName = Literal["mutation", "amplification", "protein_expression"]


class Shape(BaseModel):
    """A response object: every key known; unknown keys are an error."""

    model_config = ConfigDict(extra="forbid")


# ---- variants (the output contract, README "Output contract") -----------------------------------

class EvidenceItem(Shape):
    """One evidence item behind a call (``knowledge.loader.Evidence.as_dict``): only the keys the
    curator filled in are present."""

    statement: str
    citations: list[str] = Field(description="source keys; resolved in the answer's sources/citations")
    code: ViccCodeApplied | None = None
    type: EvidenceType | None = None
    direction: EvidenceDirection | None = None
    strength: EvidenceStrength | None = None
    support: str | None = None
    assays: list[Assay] | None = None


class CallerAnnotationItem(Shape):
    source: str = Field(description="where the caller's own annotation came from (VEP CSQ, snpEff ANN, MAF)")
    hgvs_c: str | None
    hgvs_p: str | None
    consequence: str | None
    same_event: bool | None = Field(description="null: the caller's text could not be interpreted")
    naming_differs: bool


class VariantItem(Shape):
    """One ERBB2 variant: ``VariantResult.as_dict`` (README, "Output contract")."""

    input: str
    record: int | None
    sample: str | None
    gene: Literal["ERBB2"]
    build: BuildName | None
    chrom: Literal["17"]
    pos: int | None = Field(description="VCF-style 1-based position (null for protein-level input)")
    ref: str | None
    alt: str | None
    hgvs_g: str | None
    hgvs_c: str | None
    hgvs_p: str | None
    protein_change: str | None
    consequence: str | None
    exon: int | None
    alteration_class: str | None
    oncogenicity: Oncogenicity | None
    evidence: list[EvidenceItem]
    knowledge_version: str | None
    status: Literal["annotated", "not_interpreted"]
    intron: int | None
    domain: str | None
    oncogenicity_rule: str | None = Field(description="the rule that decided the call")
    vicc_codes: list[ViccCodeApplied]
    vicc_points: int | None
    genotype: str | None
    depth: int | None
    vaf: float | None
    filter: str | None
    reference_checked: bool | None
    joined_records: list[int] | None = Field(description="records of a split event rejoined into this one")
    caller_annotations: list[CallerAnnotationItem]
    naming_differs: bool
    notes: list[str]
    original: str


class RecordErrorItem(Shape):
    """A record (or, with ``record`` null, a whole file) that could not be interpreted."""

    input: str
    record: int | None
    error: str = Field(description="an error code of her2scope.errors (malformed_record, corrupt_file ...)")
    message: str


class FileSummaryItem(Shape):
    input: str
    format: str
    build: str | None
    records: int
    erbb2_records: int
    skipped_non_erbb2: int
    errors: int
    notes: list[str]


class AnnotationResponse(Shape):
    knowledge_version: str
    items: list[VariantItem | RecordErrorItem] = Field(
        description="one object per ERBB2 variant, or an error object {input, record, error, message}, "
                    "in input order (README: output contract)")
    summaries: list[FileSummaryItem]
    failed: int = Field(description="how many items are errors")


# ---- the HER2 picture ---------------------------------------------------------------------------

class DimensionItem(Shape):
    """One dimension of the HER2 picture (``case.picture.Dimension.as_dict``; docs/case.md)."""

    name: DimensionName
    label: str
    status: Status
    summary: str
    evidence: list[str]
    assay: str
    # Results stored before reasons were recorded carry neither key.
    reason: str = Field("", description="why not_assessed / failed (or why a positive is incomplete)")
    reason_code: str | None = Field(None, description="an errors.py code (unknown_sample, corrupt_file ...)")


class NgsVerdictItem(Shape):
    """One NGS test's own verdict (``case.picture.NgsVerdict.as_dict``)."""

    test: str
    status: Status
    read_in_full: bool
    reason: str
    reason_code: str | None


class Her2Dimensions(Shape):
    mutation: DimensionItem
    amplification: DimensionItem
    protein_expression: DimensionItem


class StoredPicture(Her2Dimensions):
    """The HER2 picture of one stored test, as the registry keeps it (``registry.interpret``)."""

    variants: list[VariantItem]
    activating: list[str] = Field(description="protein changes of the activating variants")
    errors: list[RecordErrorItem]
    ish_copies: float | None = Field(None, description="ISH: mean HER2 signals per cell, when the result gave them")
    genes_covered: list[str] | None = Field(
        None, description="NGS: the genes the assay covers, when given (absent: a broad panel that covers ERBB2)")


# ---- registry -----------------------------------------------------------------------------------

class VariantInfoItem(Shape):
    protein_change: str | None
    hgvs_c: str | None
    hgvs_p: str | None
    hgvs_g: str | None
    alteration_class: str | None
    oncogenicity: Oncogenicity | None
    build: BuildName | None
    pos: int | None
    ref: str | None
    alt: str | None
    vaf: float | None


class ResultItem(Shape):
    result_id: int
    test_id: int
    patient_id: str
    test_type: TestType
    her2_status: Status = Field(description="the picture's status for this test's dimension")
    summary: str
    value: str | None = Field(description="IHC score, ISH ratio; null for NGS")
    knowledge_version: str | None
    variants: list[VariantInfoItem]
    picture: StoredPicture | None
    source_file: str | None
    created_at: UtcTimestamp | None


class TestItem(Shape):
    __test__ = False          # not a pytest test class

    test_id: int
    test_type: TestType
    assay: str | None
    external_id: str | None
    status: TestStatus
    ordered: dt.date | None
    received: dt.date | None
    resulted: dt.date | None
    failed: dt.date | None
    result: ResultItem | None
    retracted_at: UtcTimestamp | None
    retracted_by: str | None
    retraction_reason: str | None


class DiagnosisItem(Shape):
    histology: str
    stage: str
    diagnosis_date: dt.date | None
    advanced: bool


class DecisionItem(Shape):
    kind: str
    detail: str
    decided_at: UtcTimestamp
    actor: str


class TimelineItem(Shape):
    date: dt.date
    kind: str = Field(description="diagnosis | test_ordered | test_received | test_resulted | test_failed | "
                                  "decision ...")
    text: str


class ClinicalDataItem(Shape):
    """What the registry holds for the patient's report (``registry.clinical.ClinicalData``)."""

    histology: str | None
    stage: str | None
    diagnosis_date: dt.date | None
    region: str | None
    prior_therapies: list[str] | None
    brain_metastases: str | None
    brain_mri_done: bool | None
    missing: list[str] = Field(description="fields without which no report can be made")
    not_stated: list[str]
    updated_at: UtcTimestamp | None
    updated_by: str | None


class PatientSummaryItem(Shape):
    patient_id: str
    histology: str | None
    stage: str | None
    advanced: bool
    diagnosis_date: dt.date | None
    her2_mutation: MutationStatus
    tests: int


class PatientDetailResponse(Shape):
    patient_id: str
    her2_mutation: MutationStatus
    diagnoses: list[DiagnosisItem]
    tests: list[TestItem]
    results: list[ResultItem]
    decisions: list[DecisionItem]
    timeline: list[TimelineItem]
    clinical: ClinicalDataItem | None = None


class PatientPage(Shape):
    items: list[PatientSummaryItem]
    total: int = Field(description="patients matching the search and filters")
    page: int = Field(description="1-based")
    per_page: int
    pages: int


class DecisionRecorded(Shape):
    patient_id: str
    kind: Literal[DECISION_KINDS]                                # type: ignore[valid-type]
    recorded: Literal[True]


class RejectedRowItem(Shape):
    row: int = Field(description="CSV: 1-based data row; FHIR: 1-based bundle entry")
    reason: str
    patient_id: str | None


class ImportReportResponse(Shape):
    kind: Literal["csv", "fhir"]
    source: str
    sha256: str
    batch_id: int | None
    already_imported: bool
    rows_total: int
    rows_imported: int
    rejected: list[RejectedRowItem]
    patients_created: int
    tests_created: int
    tests_updated: int
    results_stored: int
    notes: list[str]


class WorklistRowItem(Shape):
    patient_id: str
    reason: str
    since: dt.date | None
    days: int | None
    test_id: int | None


Worklists = create_model(  # type: ignore[call-overload]  # one list per worklist (registry.WORKLISTS)
    "Worklists", __base__=Shape, **{name: (list[WorklistRowItem], ...) for name in WORKLISTS})


class TurnaroundItem(Shape):
    n: int = Field(description="resulted tests with both dates")
    median_days: float | None
    p90_days: float | None
    min_days: int | None
    max_days: int | None
    tests: int
    pending: int
    failed: int


class Turnaround(RootModel[dict[TestType, TurnaroundItem]]):
    """Turnaround (ordered -> resulted, days) per test type present in the registry."""


class YieldResponse(Shape):
    tested: int
    her2_mutant: int
    yield_: float | None = Field(alias="yield")
    ci95: list[float] | None = Field(min_length=2, max_length=2)
    ci_method: str
    expected_range: list[float] = Field(min_length=2, max_length=2)
    expected_source: str
    expected_citations: dict[str, str]
    verdict: str
    advanced_tested: int


class TokenItem(Shape):
    """An API token as listed: never the token itself (only its SHA-256 is stored)."""

    id: int
    username: str
    name: str
    created_at: UtcTimestamp
    expires_at: UtcTimestamp | None
    revoked_at: UtcTimestamp | None
    last_used_at: UtcTimestamp | None
    state: Literal["active", "revoked", "expired"]


# ---- knowledge ----------------------------------------------------------------------------------

class SourceItem(Shape):
    kind: str
    title: str | None = None
    first_author: str | None = None
    year: int | None = None
    journal: str | None = None
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    checked: str | None = None
    how: str | None = None
    citation: str


class KnowledgeVariantItem(Shape):
    protein_change: str
    hgvs_p: str
    known_as: list[str]
    oncogenicity: Oncogenicity
    vicc_codes: list[ViccCodeApplied]
    evidence: list[EvidenceItem]
    last_reviewed: str | None


class KnowledgeVariantsResponse(Shape):
    knowledge_version: str
    released: str
    variants: list[KnowledgeVariantItem]
    sources: dict[str, SourceItem]


# ---- the report (her2scope-report/1) -----------------------------------------------------------

class ReportJson(Shape):
    """The report as JSON (``report.model.Report.as_dict``; docs/case.md). The HER2 picture,
    the per-test verdicts, the variants and the errors are described field by field; the
    sections that follow from them (options, checks, trials ...) as lists of objects."""

    schema_: Literal["her2scope-report/1"] = Field(alias="schema")
    generated: str
    her2scope_version: str
    knowledge: dict[str, str | None]
    case_id: str
    clinical: Clinical | None
    summary: str
    her2: Her2Dimensions
    ngs_tests: list[NgsVerdictItem]
    variants: list[VariantItem]
    activating_variants: list[str]
    copy_number: dict[str, Any] | None
    other_drivers: dict[str, Any]
    therapy_options: list[dict[str, Any]]
    therapy_options_other_regions: list[dict[str, Any]]
    safety_checks: list[dict[str, Any]]
    not_options: list[dict[str, Any]]
    knowledge_freshness: dict[str, Any] | None
    actionability: list[dict[str, Any]]
    next_steps: list[dict[str, Any]]
    trials: list[dict[str, Any]]
    errors: list[RecordErrorItem]
    citations: dict[str, dict[str, Any]]
    limitations: list[str]


class FhirBundle(BaseModel):
    """A FHIR R4 Bundle (report/fhir.py); FHIR resources are open, so only the envelope is described."""

    model_config = ConfigDict(extra="allow")

    resourceType: Literal["Bundle"]
    type: str
    entry: list[dict[str, Any]]


class ReportDocument(RootModel[ReportJson | FhirBundle]):
    """``format=json``: the her2scope-report/1 JSON; ``format=fhir``: a FHIR R4 Bundle."""
