"""The registry's tables (SQLAlchemy 2 typed models).

Patients are pseudonymous: the only identifier is ``pseudonym`` (no names, no birth dates).
Natural keys (``natural_key`` columns) make imports idempotent; ``import_batches`` remembers
each imported file by its SHA-256. ``audit_log`` is append-only: the migration installs
database triggers that refuse UPDATE and DELETE on it (SQLite and PostgreSQL).
The schema itself is created by the Alembic migrations in ``migrations/versions``; keep
the two in step (``tests/test_registry_schema.py`` compares them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Patient(Base):
    __tablename__ = "patients"
    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(16))          # csv | fhir | demo | manual
    # Clinical data the report needs besides the diagnosis (histology, stage: ``diagnoses``).
    # None = not recorded (the report says so); never a default standing in for a fact.
    region: Mapped[str | None] = mapped_column(String(4))                 # US | EU | JP | CN
    prior_therapies: Mapped[list | None] = mapped_column(JSON)            # PriorTherapy values; [] = none
    brain_metastases: Mapped[str | None] = mapped_column(String(16))      # BrainMetastases value
    clinical_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    clinical_updated_by: Mapped[str | None] = mapped_column(String(64))
    diagnoses: Mapped[list[Diagnosis]] = relationship(back_populates="patient", order_by="Diagnosis.id")
    tests: Mapped[list[Test]] = relationship(back_populates="patient", order_by="Test.id")
    decisions: Mapped[list[Decision]] = relationship(back_populates="patient", order_by="Decision.id")


class Diagnosis(Base):
    __tablename__ = "diagnoses"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    natural_key: Mapped[str] = mapped_column(String(200), unique=True)
    histology: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(8), index=True)
    diagnosis_date: Mapped[dt.date | None] = mapped_column(Date)
    advanced: Mapped[bool] = mapped_column(Boolean)
    patient: Mapped[Patient] = relationship(back_populates="diagnoses")


class Test(Base):
    __tablename__ = "tests"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    natural_key: Mapped[str] = mapped_column(String(300), unique=True)
    test_type: Mapped[str] = mapped_column(String(16))       # ngs_tissue | ngs_plasma | ihc | ish
    assay: Mapped[str | None] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(100))
    # ordered | received | resulted | failed | retracted (wrongly attached: kept, never counted)
    status: Mapped[str] = mapped_column(String(16), index=True)
    ordered: Mapped[dt.date | None] = mapped_column(Date)
    received: Mapped[dt.date | None] = mapped_column(Date)
    resulted: Mapped[dt.date | None] = mapped_column(Date)
    failed: Mapped[dt.date | None] = mapped_column(Date)
    retracted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    retracted_by: Mapped[str | None] = mapped_column(String(64))
    retraction_reason: Mapped[str | None] = mapped_column(Text)
    patient: Mapped[Patient] = relationship(back_populates="tests")
    result: Mapped[Result | None] = relationship(back_populates="test", uselist=False)


class Result(Base):
    __tablename__ = "results"
    id: Mapped[int] = mapped_column(primary_key=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("tests.id"), unique=True)
    her2_status: Mapped[str] = mapped_column(String(16))    # status of the picture's dimension for this test
    summary: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(String(64))   # IHC score, ISH ratio
    picture: Mapped[dict | None] = mapped_column(JSON)
    knowledge_version: Mapped[str | None] = mapped_column(String(32))
    source_file: Mapped[str | None] = mapped_column(String(300))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    test: Mapped[Test] = relationship(back_populates="result")
    variants: Mapped[list[ResultVariant]] = relationship(
        back_populates="result", order_by="ResultVariant.ordinal", cascade="all, delete-orphan")


class ResultVariant(Base):
    __tablename__ = "result_variants"
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    build: Mapped[str | None] = mapped_column(String(8))
    pos: Mapped[int | None] = mapped_column(Integer)
    ref: Mapped[str | None] = mapped_column(String(200))
    alt: Mapped[str | None] = mapped_column(String(200))
    hgvs_g: Mapped[str | None] = mapped_column(String(200))
    hgvs_c: Mapped[str | None] = mapped_column(String(200))
    hgvs_p: Mapped[str | None] = mapped_column(String(200))
    protein_change: Mapped[str | None] = mapped_column(String(100))
    alteration_class: Mapped[str | None] = mapped_column(String(48))
    oncogenicity: Mapped[str | None] = mapped_column(String(32))
    vaf: Mapped[float | None] = mapped_column(Float)
    result: Mapped[Result] = relationship(back_populates="variants")


class Decision(Base):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))           # brain_mri_done | therapy_chosen | trial_referral | other
    detail: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    patient: Mapped[Patient] = relationship(back_populates="decisions")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))  # scrypt$n$r$p$salt_hex$key_hex
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    """A logged-in browser session. The cookie carries a random token; only its SHA-256 is
    here. Logout, deactivation and a password reset end it on the server, so a copied cookie
    stops working at once."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    patient_pseudonym: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class ImportBatch(Base):
    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))            # csv | fhir
    source: Mapped[str] = mapped_column(String(300))
    actor: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    report: Mapped[dict] = mapped_column(JSON)
