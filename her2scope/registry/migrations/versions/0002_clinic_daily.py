"""The registry a clinic runs every day (issue 13): the patient's clinical data for the report
(region, prior regimens, brain metastases), retracted tests, server-side web sessions, named
expiring revocable API tokens, user bookkeeping, and indexes for lists of 10^5 patients.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients") as b:
        b.add_column(sa.Column("region", sa.String(4)))
        b.add_column(sa.Column("prior_therapies", sa.JSON))          # None = not recorded; [] = none
        b.add_column(sa.Column("brain_metastases", sa.String(16)))   # None = not recorded
        b.add_column(sa.Column("clinical_updated_at", sa.DateTime))
        b.add_column(sa.Column("clinical_updated_by", sa.String(64)))
    with op.batch_alter_table("tests") as b:
        b.add_column(sa.Column("retracted_at", sa.DateTime))
        b.add_column(sa.Column("retracted_by", sa.String(64)))
        b.add_column(sa.Column("retraction_reason", sa.Text))
    op.create_index("ix_tests_status", "tests", ["status"])
    op.create_index("ix_diagnoses_stage", "diagnoses", ["stage"])
    with op.batch_alter_table("users") as b:
        b.add_column(sa.Column("password_changed_at", sa.DateTime))
        b.add_column(sa.Column("last_login_at", sa.DateTime))
        b.add_column(sa.Column("deactivated_at", sa.DateTime))
    with op.batch_alter_table("api_tokens") as b:
        b.add_column(sa.Column("name", sa.String(100), nullable=False, server_default=""))
        b.add_column(sa.Column("expires_at", sa.DateTime))
        b.add_column(sa.Column("revoked_at", sa.DateTime))
        b.add_column(sa.Column("revoked_by", sa.String(64)))
        b.add_column(sa.Column("last_used_at", sa.DateTime))
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
        sa.Column("end_reason", sa.String(32)))


def downgrade() -> None:
    op.drop_table("web_sessions")
    with op.batch_alter_table("api_tokens") as b:
        for c in ("last_used_at", "revoked_by", "revoked_at", "expires_at", "name"):
            b.drop_column(c)
    with op.batch_alter_table("users") as b:
        for c in ("deactivated_at", "last_login_at", "password_changed_at"):
            b.drop_column(c)
    op.drop_index("ix_diagnoses_stage", "diagnoses")
    op.drop_index("ix_tests_status", "tests")
    with op.batch_alter_table("tests") as b:
        for c in ("retraction_reason", "retracted_by", "retracted_at"):
            b.drop_column(c)
    with op.batch_alter_table("patients") as b:
        for c in ("clinical_updated_by", "clinical_updated_at", "brain_metastases", "prior_therapies", "region"):
            b.drop_column(c)
