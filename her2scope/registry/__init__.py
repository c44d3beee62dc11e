"""The her2scope registry: every advanced NSCLC patient tested, no HER2-mutant patient lost.

    from her2scope.registry import Registry, Role
    reg = Registry.open("sqlite:///registry.db")          # or postgresql+psycopg://...
    admin = reg.create_user("admin", "a long passphrase", Role.admin)
    reg.import_csv("patients.csv", admin)
    reg.worklists(admin)["advanced_without_ngs"]

Needs the ``registry`` extra (SQLAlchemy, Alembic, psycopg); ``import her2scope`` does not
load it. Exceptions: ``PermissionDenied`` (role), ``NotFound``, ``RegistryError``,
``InvalidImport`` - all ``Her2scopeError`` with a ``code``.
"""

from .dto import (
                  AuditEntry,
                  DecisionInfo,
                  DiagnosisInfo,
                  ImportReport,
                  PatientDetail,
                  PatientSummary,
                  RejectedRow,
                  ResultInfo,
                  TestInfo,
                  TimelineEvent,
                  UserInfo,
                  VariantInfo,
                  WorklistRow,
)
from .roles import InvalidImport, NotFound, PermissionDenied, RegistryError, Role
from .service import DECISION_KINDS, Registry
from .worklists import NAMES as WORKLISTS

__all__ = [
    "Registry", "Role", "UserInfo", "PermissionDenied", "RegistryError", "NotFound", "InvalidImport",
    "ImportReport", "RejectedRow", "PatientSummary", "PatientDetail", "DiagnosisInfo", "TestInfo", "ResultInfo",
    "VariantInfo", "DecisionInfo", "TimelineEvent", "WorklistRow", "AuditEntry", "DECISION_KINDS", "WORKLISTS",
]
