"""Appending to the audit log: the only write there is (the database refuses UPDATE/DELETE)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .models import AuditLog


def append_audit(s: Session, actor: str, action: str, patient: str | None, detail: str = "") -> None:
    s.add(AuditLog(actor=actor, action=action, patient_pseudonym=patient, detail=detail))
