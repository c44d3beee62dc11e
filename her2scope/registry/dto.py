"""What the registry hands out: frozen value objects, never ORM rows (no lazy loading
behind the caller's back, nothing that can write to the database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from ..vocabulary import Status
from .roles import Role


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Role):
        return value.value
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Dto:
    def as_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class UserInfo(_Dto):
    id: int
    username: str
    role: Role


@dataclass(frozen=True)
class DiagnosisInfo(_Dto):
    histology: str
    stage: str
    diagnosis_date: dt.date | None
    advanced: bool


@dataclass(frozen=True)
class VariantInfo(_Dto):
    protein_change: str | None
    hgvs_c: str | None
    hgvs_p: str | None
    hgvs_g: str | None
    alteration_class: str | None
    oncogenicity: str | None
    build: str | None = None
    pos: int | None = None
    ref: str | None = None
    alt: str | None = None
    vaf: float | None = None


@dataclass(frozen=True)
class ResultInfo(_Dto):
    result_id: int
    test_id: int
    patient_id: str
    test_type: str
    her2_status: str            # the picture's status for this test's dimension (positive, negative, ...)
    summary: str
    value: str | None           # IHC score, ISH ratio; None for NGS
    knowledge_version: str | None
    variants: tuple[VariantInfo, ...] = ()
    picture: dict | None = None
    source_file: str | None = None
    created_at: dt.datetime | None = None

    @property
    def her2_mutant(self) -> bool:
        return self.test_type.startswith("ngs_") and self.her2_status == Status.positive


@dataclass(frozen=True)
class TestInfo(_Dto):
    test_id: int
    test_type: str              # ngs_tissue | ngs_plasma | ihc | ish
    assay: str | None
    external_id: str | None
    status: str                 # ordered | received | resulted | failed | retracted
    ordered: dt.date | None
    received: dt.date | None
    resulted: dt.date | None
    failed: dt.date | None
    result: ResultInfo | None = None
    retracted_at: dt.datetime | None = None
    retracted_by: str | None = None
    retraction_reason: str | None = None


@dataclass(frozen=True)
class DecisionInfo(_Dto):
    kind: str
    detail: str
    decided_at: dt.datetime
    actor: str


@dataclass(frozen=True)
class TimelineEvent(_Dto):
    date: dt.date
    kind: str                   # diagnosis | test_ordered | test_received | test_resulted | test_failed | decision
    text: str


@dataclass(frozen=True)
class PatientSummary(_Dto):
    patient_id: str
    histology: str | None
    stage: str | None
    advanced: bool
    diagnosis_date: dt.date | None
    her2_mutation: str          # positive | negative | not_detected | equivocal | failed | pending | not_tested
    tests: int


@dataclass(frozen=True)
class PatientDetail(_Dto):
    patient_id: str
    her2_mutation: str
    diagnoses: tuple[DiagnosisInfo, ...]
    tests: tuple[TestInfo, ...]
    results: tuple[ResultInfo, ...]
    decisions: tuple[DecisionInfo, ...]
    timeline: tuple[TimelineEvent, ...]
    clinical: dict | None = None          # clinical.ClinicalData.as_dict(): what the report is made from


@dataclass(frozen=True)
class UserAccount(_Dto):
    """A user as the administrators' list shows it (never the password hash)."""

    id: int
    username: str
    role: Role
    active: bool
    created_at: dt.datetime | None
    last_login_at: dt.datetime | None = None
    password_changed_at: dt.datetime | None = None
    open_sessions: int = 0
    active_tokens: int = 0


@dataclass(frozen=True)
class TokenInfo(_Dto):
    """An API token as listed (never the token itself: only its SHA-256 is stored)."""

    id: int
    username: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= dt.datetime.now(dt.UTC).replace(tzinfo=None):
            return "expired"
        return "active"


@dataclass(frozen=True)
class Page(_Dto):
    """One page of a server-side paginated list."""

    items: tuple
    total: int                  # rows matching the search and filters
    page: int                   # 1-based
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class WorklistRow(_Dto):
    patient_id: str
    reason: str
    since: dt.date | None = None
    days: int | None = None
    test_id: int | None = None


@dataclass(frozen=True)
class AuditEntry(_Dto):
    id: int
    at: dt.datetime
    actor: str
    action: str
    patient_id: str | None
    detail: str


@dataclass(frozen=True)
class RejectedRow(_Dto):
    row: int                    # CSV: 1-based data row (header not counted); FHIR: 1-based bundle entry
    reason: str
    patient_id: str | None = None


@dataclass(frozen=True)
class ImportReport(_Dto):
    kind: str                   # csv | fhir
    source: str
    sha256: str
    batch_id: int | None
    already_imported: bool
    rows_total: int
    rows_imported: int
    rejected: tuple[RejectedRow, ...] = ()
    patients_created: int = 0
    tests_created: int = 0
    tests_updated: int = 0
    results_stored: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.rejected
