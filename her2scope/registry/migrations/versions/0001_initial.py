"""Initial registry schema, with the append-only audit log enforced by triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = "audit_log is append-only"


def upgrade() -> None:
    # One function per table, called in the order the tables were always created (a table
    # comes after the tables its foreign keys point to).
    _patients()
    _diagnoses()
    _tests()
    _results()
    _result_variants()
    _decisions()
    _users()
    _api_tokens()
    _audit_log()
    _import_batches()
    _append_only_triggers()


def _patients() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pseudonym", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("source", sa.String(16), nullable=False))


def _diagnoses() -> None:
    op.create_table(
        "diagnoses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id"), nullable=False, index=True),
        sa.Column("natural_key", sa.String(200), nullable=False, unique=True),
        sa.Column("histology", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(8), nullable=False),
        sa.Column("diagnosis_date", sa.Date),
        sa.Column("advanced", sa.Boolean, nullable=False))


def _tests() -> None:
    op.create_table(
        "tests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id"), nullable=False, index=True),
        sa.Column("natural_key", sa.String(300), nullable=False, unique=True),
        sa.Column("test_type", sa.String(16), nullable=False),
        sa.Column("assay", sa.String(200)),
        sa.Column("external_id", sa.String(100)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("ordered", sa.Date),
        sa.Column("received", sa.Date),
        sa.Column("resulted", sa.Date),
        sa.Column("failed", sa.Date))


def _results() -> None:
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("test_id", sa.Integer, sa.ForeignKey("tests.id"), nullable=False, unique=True),
        sa.Column("her2_status", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("value", sa.String(64)),
        sa.Column("picture", sa.JSON),
        sa.Column("knowledge_version", sa.String(32)),
        sa.Column("source_file", sa.String(300)),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("created_at", sa.DateTime, nullable=False))


def _result_variants() -> None:
    op.create_table(
        "result_variants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("result_id", sa.Integer, sa.ForeignKey("results.id"), nullable=False, index=True),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("build", sa.String(8)),
        sa.Column("pos", sa.Integer),
        sa.Column("ref", sa.String(200)),
        sa.Column("alt", sa.String(200)),
        sa.Column("hgvs_g", sa.String(200)),
        sa.Column("hgvs_c", sa.String(200)),
        sa.Column("hgvs_p", sa.String(200)),
        sa.Column("protein_change", sa.String(100)),
        sa.Column("alteration_class", sa.String(48)),
        sa.Column("oncogenicity", sa.String(32)),
        sa.Column("vaf", sa.Float))


def _decisions() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False))


def _users() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False))


def _api_tokens() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False))


def _audit_log() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("patient_pseudonym", sa.String(64), index=True),
        sa.Column("detail", sa.Text, nullable=False))


def _import_batches() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("report", sa.JSON, nullable=False))


def _append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                       f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END")
    elif dialect == "postgresql":
        op.execute("CREATE FUNCTION her2scope_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$")
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION her2scope_audit_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION her2scope_audit_append_only()")
    else:
        raise RuntimeError(f"her2scope registry supports SQLite and PostgreSQL, not {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS her2scope_audit_append_only()")
    for table in ("import_batches", "audit_log", "api_tokens", "users", "decisions", "result_variants",
                  "results", "tests", "diagnoses", "patients"):
        op.drop_table(table)
