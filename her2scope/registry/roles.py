"""Roles and what each may do; checked inside the library so CLI, API and web share one rule.

    viewer        read patients, worklists, statistics
    clinician     viewer + record decisions + attach, retract, re-interpret NGS results +
                  create patients and edit their clinical data
    data_manager  clinician + imports (CSV, FHIR)
    admin         everything, including users, API tokens and the audit log
"""

from __future__ import annotations

import enum

from ..errors import Her2scopeError


class Role(str, enum.Enum):
    viewer = "viewer"
    clinician = "clinician"
    data_manager = "data_manager"
    admin = "admin"


class Action(str, enum.Enum):
    read = "read"
    decide = "decide"
    attach = "attach"                   # attach / retract / re-interpret results; create a patient
    edit_clinical = "edit_clinical"     # the patient's histology, stage, region, prior regimens, brain mets
    import_data = "import"
    manage_users = "manage_users"
    read_audit = "read_audit"


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.viewer: frozenset({Action.read}),
    Role.clinician: frozenset({Action.read, Action.decide, Action.attach, Action.edit_clinical}),
    Role.data_manager: frozenset({Action.read, Action.decide, Action.attach, Action.edit_clinical,
                                  Action.import_data}),
    Role.admin: frozenset(Action),
}


class PermissionDenied(Her2scopeError):
    code = "permission_denied"


class RegistryError(Her2scopeError):
    """A registry request that cannot be carried out as asked (unknown patient, bad value)."""

    code = "registry_error"


class NotFound(RegistryError):
    code = "not_found"


class InvalidImport(RegistryError):
    """The whole import file is unusable (not CSV, required columns missing, not a FHIR Bundle)."""

    code = "invalid_import"


def allowed(role: Role, action: Action) -> bool:
    return action in _ALLOWED[Role(role)]


def require(role: Role, action: Action, who: str) -> None:
    if not allowed(role, action):
        raise PermissionDenied(f"{who} (role {Role(role).value}) may not {action.value.replace('_', ' ')}")
