"""Roles enforced in the library, password and token storage, and the append-only audit log
(UPDATE/DELETE refused by the database itself)."""

from __future__ import annotations

import hashlib

import pytest
import registry_helpers as support
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from registry_helpers import DEMO, EXAMPLE_CSV, PASSWORD, TODAY

from her2scope.registry import PermissionDenied, RegistryError, Role, UserInfo

db_url = support.db_url  # shared fixture
registry = support.registry  # shared fixture
users = support.users  # shared fixture


@pytest.fixture(scope="module")
def data(registry, users):
    registry.import_csv(EXAMPLE_CSV, users["data_manager"], today=TODAY)
    return registry


def test_viewer_reads_but_cannot_write(data, users):
    viewer = users["viewer"]
    assert data.list_patients(viewer)
    assert data.patient_detail("EX-001", viewer).patient_id == "EX-001"
    assert data.worklists(viewer, today=TODAY)
    with pytest.raises(PermissionDenied) as err:
        data.import_csv(EXAMPLE_CSV, viewer)
    assert err.value.code == "permission_denied"
    with pytest.raises(PermissionDenied):
        data.import_fhir({"resourceType": "Bundle", "entry": []}, viewer)
    with pytest.raises(PermissionDenied):
        data.record_decision("EX-001", "other", "x", viewer)
    with pytest.raises(PermissionDenied):
        data.attach_ngs_result("EX-001", DEMO / "patient01_yvma_grch38.vcf", viewer)
    with pytest.raises(PermissionDenied):
        data.audit_log(viewer)


def test_clinician_and_data_manager(data, users):
    data.record_decision("EX-001", "brain_mri_done", "MRI clear", users["clinician"])
    with pytest.raises(PermissionDenied):
        data.import_csv(EXAMPLE_CSV, users["clinician"])
    with pytest.raises(PermissionDenied):
        data.audit_log(users["data_manager"])
    with pytest.raises(PermissionDenied):
        data.create_user("someone", PASSWORD, Role.viewer, actor=users["data_manager"])
    assert data.import_csv(EXAMPLE_CSV, users["data_manager"]).already_imported
    assert data.audit_log(users["admin"], 10)


def test_no_anonymous_and_no_forged_users(data, users):
    with pytest.raises(PermissionDenied):
        data.list_patients(None)
    forged = UserInfo(users["viewer"].id, users["viewer"].username, Role.admin)   # role from the DB wins
    with pytest.raises(PermissionDenied):
        data.audit_log(forged)
    with pytest.raises(PermissionDenied):
        data.list_patients(UserInfo(9999, "ghost", Role.admin))


def test_passwords_are_scrypt_hashed_and_checked(data, users, registry):
    assert data.authenticate("u-viewer", PASSWORD) == users["viewer"]
    assert data.authenticate("u-viewer", PASSWORD + "x") is None
    assert data.authenticate("nobody", PASSWORD) is None
    with registry.engine.connect() as c:
        stored = c.execute(text("SELECT password_hash FROM users WHERE username = 'u-viewer'")).scalar_one()
        salts = {h.split("$")[4] for (h,) in c.execute(text("SELECT password_hash FROM users"))}
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert len(salts) == len(users)            # one salt per user
    with pytest.raises(RegistryError):
        data.create_user("shorty", "short", Role.viewer)


def test_api_tokens_stored_only_as_sha256(data, users, registry):
    token = data.issue_api_token("u-clinician")
    assert data.user_for_token(token) == users["clinician"]
    assert data.user_for_token(token + "x") is None and data.user_for_token("") is None
    with registry.engine.connect() as c:
        stored = [t for (t,) in c.execute(text("SELECT token_sha256 FROM api_tokens"))]
    assert hashlib.sha256(token.encode()).hexdigest() in stored and token not in stored
    with pytest.raises(PermissionDenied):      # a non-admin cannot issue tokens for someone else
        data.issue_api_token("u-admin", actor=users["viewer"])


def test_every_patient_read_is_audited(data, users):
    data.patient_detail("EX-002", users["viewer"])
    entries = data.audit_log(users["admin"], 50)
    assert any(e.action == "view_patient" and e.patient_id == "EX-002" and e.actor == "u-viewer" for e in entries)
    assert entries[0].id > entries[-1].id


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"])
def test_audit_log_is_append_only_in_the_database(data, registry, statement):
    before = registry.counts()["audit_log"]
    assert before > 0
    with pytest.raises(DBAPIError) as err, registry.engine.begin() as c:
        c.execute(text(statement))
    assert "append-only" in str(err.value)
    with registry.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM audit_log WHERE actor = 'mallory'")).scalar_one() == 0
    assert registry.counts()["audit_log"] >= before
