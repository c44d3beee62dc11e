"""The Registry: every read and write of the registry goes through here, with the caller's
role checked (``roles.require``) and patient reads written to the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..pipeline import Options
from ..vocabulary import TestState
from . import snapshot
from . import stats as _stats
from . import worklists as _worklists
from .accounts import AccountsMixin, check_password
from .audit import append_audit
from .auth import DUMMY_HASH, hash_password, verify_password
from .csv_import import read_csv
from .db import make_engine, migrate, normalize_url
from .dto import AuditEntry, ImportReport, PatientDetail, PatientSummary, ResultInfo, UserInfo, WorklistRow
from .fhir_import import read_bundle
from .importing import run_import, store_result
from .interpret import NGS_TYPES, interpret_test, variant_text_problem
from .models import AuditLog, Base, Decision, Patient, Result, Test, User, utcnow
from .patient_ops import PatientOpsMixin
from .roles import Action, NotFound, RegistryError, Role
from .rows import PSEUDONYM
from .views import mutation_status, patient_detail, result_info

DECISION_KINDS = ("brain_mri_done", "therapy_chosen", "trial_referral", "other")
SYSTEM = "system"


class Registry(AccountsMixin, PatientOpsMixin):
    """Open with ``Registry.open(url)``; close with ``close()`` (or use ``with``)."""

    @classmethod
    def open(cls, url: str | None = None, *, knowledge: str | None = None, migrate_schema: bool = True) -> Registry:
        """``url``: None (``./her2scope-registry.db``), a SQLite path, ``sqlite:///...`` or
        ``postgresql+psycopg://...``. The schema is brought to the newest Alembic revision."""
        engine = make_engine(normalize_url(url))
        if migrate_schema:
            migrate(engine)
        return cls(engine, Options(knowledge=knowledge))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- users and authentication -------------------------------------------------------
    def create_user(self, username: str, password: str, role: Role, *, actor: UserInfo | None = None) -> UserInfo:
        """``actor`` must be an admin when given (web/API); without it the call is a local
        administrative one (``her2scope registry init``, scripts on the server)."""
        role = Role(role)
        if not PSEUDONYM.match(username or ""):
            raise RegistryError(f"user name {username!r}: use letters, digits, '_', '.', '-' (at most 64)")
        check_password(password)
        with self._tx() as s:
            by = self._actor(s, actor, Action.manage_users).username if actor is not None else SYSTEM
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise RegistryError(f"user {username!r} exists already")
            user = User(username=username, password_hash=hash_password(password), role=role.value, active=True)
            s.add(user)
            s.flush()
            append_audit(s, by, "create_user", None, f"{username} ({role.value})")
            return UserInfo(user.id, user.username, role)

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        with self._tx() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                # The same hashing work as for a known user: the answer's timing does not tell
                # whether the user name exists.
                verify_password(password, DUMMY_HASH)
                append_audit(s, SYSTEM, "login_failed", None, "unknown user name")
                return None
            ok = verify_password(password, user.password_hash) and user.active
            if ok:
                user.last_login_at = utcnow()
            append_audit(s, username, "login" if ok else "login_failed", None, "")
            return UserInfo(user.id, user.username, Role(user.role)) if ok else None

    # ---- patients ---------------------------------------------------------------------
    def list_patients(self, actor: UserInfo) -> list[PatientSummary]:
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            rows = snapshot.load(s)
            append_audit(s, user.username, "list_patients", None, f"{len(rows)} patients")
        out = []
        for p in sorted(rows.values(), key=lambda p: p.pseudonym):
            dx = max(p.diagnoses, key=lambda d: (d[2] or dt.date.min)) if p.diagnoses else None
            status = mutation_status([(t.test_type, t.status, t.her2_status) for t in p.tests])
            out.append(PatientSummary(p.pseudonym, dx[0] if dx else None, dx[1] if dx else None, p.advanced,
                                      p.diagnosis_date, status, len(p.tests)))
        return out

    def patient_detail(self, patient_id: str, actor: UserInfo) -> PatientDetail:
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            p = s.scalar(select(Patient).where(Patient.pseudonym == patient_id).options(
                selectinload(Patient.diagnoses), selectinload(Patient.decisions),
                selectinload(Patient.tests).selectinload(Test.result).selectinload(Result.variants)))
            if p is None:
                append_audit(s, user.username, "view_patient_missing", patient_id[:64])
                raise NotFound(f"no patient {patient_id!r}")
            append_audit(s, user.username, "view_patient", p.pseudonym)
            return patient_detail(p)

    # ---- imports and results ------------------------------------------------------------
    def import_csv(self, path: str | Path, actor: UserInfo, *, today: dt.date | None = None) -> ImportReport:
        with self._tx() as s:
            user = self._actor(s, actor, Action.import_data).username
        sha, rows = read_csv(path, today=today)
        return run_import(self._sessions, kind="csv", source=Path(path).name, sha256=sha, rows=rows,
                          actor=user, options=self.options)

    def import_fhir(self, bundle: dict, actor: UserInfo, *, source: str = "bundle",
                    today: dt.date | None = None) -> ImportReport:
        with self._tx() as s:
            user = self._actor(s, actor, Action.import_data).username
        rows, notes = read_bundle(bundle, today=today)
        sha = hashlib.sha256(json.dumps(bundle, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        return run_import(self._sessions, kind="fhir", source=source, sha256=sha, rows=rows, actor=user,
                          options=self.options, notes=notes)

    def attach_ngs_result(self, patient_id: str, path: str | Path, actor: UserInfo, *, sample_type: str = "tissue",
                          assay: str | None = None, build: str | None = None, resulted: dt.date | None = None,
                          sample: str | None = None, genes_covered: tuple[str, ...] | None = None) -> ResultInfo:
        """Interpret a VCF/BCF/MAF/HGVS file with the engine (through the HER2 picture) and store
        it as the result of the patient's oldest pending NGS test of that sample type, or of a
        new test. Attaching the same file again replaces that result (no duplicate).
        ``genes_covered``: the assay's genes (None = a broad panel); without ERBB2 a file with
        no ERBB2 variant is "not assessed", not a negative.

        Refused (RegistryError / InputError, nothing stored): text in which no line is a variant,
        a ``sample`` the file does not have (the message names the file's samples), an unknown
        build, a file that cannot be read at all."""
        test_type = f"ngs_{sample_type}"
        if test_type not in NGS_TYPES:
            raise RegistryError(f"sample_type must be tissue or plasma (got {sample_type!r})")
        path = Path(path)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise RegistryError(f"{path.name}: cannot read: {exc.strerror or exc}") from None
        problem = variant_text_problem(path, build)
        if problem:        # text without a single variant (a letter) is not an NGS result
            raise RegistryError(problem)
        resulted = resulted or dt.date.today()
        with self._tx() as s:
            user = self._actor(s, actor, Action.attach)
            p = s.scalar(select(Patient).where(Patient.pseudonym == patient_id).options(
                selectinload(Patient.diagnoses), selectinload(Patient.tests).selectinload(Test.result)))
            if p is None:
                raise NotFound(f"no patient {patient_id!r}")
            r = interpret_test(p.pseudonym, test_type, resulted=resulted, assay=assay, files=(str(path.resolve()),),
                               build=build, sample=sample, genes_covered=genes_covered, options=self.options)
            fatal = [e for e in r.errors if e.record is None]
            if fatal and not r.variants:
                raise RegistryError(f"{path.name}: " + "; ".join(f"{e.error}: {e.message}" for e in fatal))
            key = f"{p.pseudonym}|{test_type}|file:{digest}"
            # The same file attached again replaces its result (a retracted one stays retracted:
            # attaching that file again makes a new test).
            test = next((t for t in p.tests if t.status != TestState.retracted and (t.natural_key == key or (
                t.test_type == test_type and t.result is not None and t.result.source_sha256 == digest))), None)
            if test is None:
                test = next((t for t in sorted(p.tests, key=lambda t: (t.ordered or dt.date.min, t.id))
                             if t.test_type == test_type and t.status in (TestState.ordered, TestState.received)
                             and t.result is None), None)
            if test is None:
                test = Test(patient=p, natural_key=key, test_type=test_type, assay=assay, status="resulted",
                            resulted=resulted)
                s.add(test)
            if test.ordered and resulted < test.ordered:
                raise RegistryError(f"resulted {resulted} is before the test was ordered ({test.ordered})")
            test.status, test.resulted, test.failed = "resulted", resulted, None
            test.assay = assay or test.assay
            res = store_result(s, test, r, source_file=path.name[:300], source_sha256=digest)
            s.flush()
            append_audit(s, user.username, "attach_ngs_result", p.pseudonym,
                         f"{path.name} ({sample_type}): {r.status}; knowledge {r.knowledge_version}")
            return result_info(res, test, p.pseudonym)

    def record_decision(self, patient_id: str, kind: str, detail: str, actor: UserInfo) -> None:
        if kind not in DECISION_KINDS:
            raise RegistryError(f"decision kind must be one of {', '.join(DECISION_KINDS)} (got {kind!r})")
        with self._tx() as s:
            user = self._actor(s, actor, Action.decide)
            pid = s.scalar(select(Patient.id).where(Patient.pseudonym == patient_id))
            if pid is None:
                raise NotFound(f"no patient {patient_id!r}")
            s.add(Decision(patient_id=pid, kind=kind, detail=(detail or "").strip()[:4000], actor=user.username))
            append_audit(s, user.username, "record_decision", patient_id, kind)

    # ---- worklists and statistics -------------------------------------------------------
    def worklists(self, actor: UserInfo, *, today: dt.date | None = None, pending_days: int = 14,
                  names: tuple[str, ...] | None = None) -> dict[str, list[WorklistRow]]:
        """Every row of each worklist (by patient). For screens, ``worklist_page`` pages one
        list and ``worklist_overview`` gives each list's count and first rows."""
        today, wanted = self._worklist_args(today, pending_days, names)
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            out = {name: _worklists.select_page(s, name, today=today, pending_days=pending_days,
                                                options=self.options)[1] for name in wanted}
            append_audit(s, user.username, "worklists", None, ", ".join(f"{k}={len(v)}" for k, v in out.items()))
        return out

    def turnaround(self, actor: UserInfo) -> dict:
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            patients = list(snapshot.load(s).values())
            append_audit(s, user.username, "stats_turnaround", None)
        return _stats.turnaround(patients)

    def her2_yield(self, actor: UserInfo) -> dict:
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            patients = list(snapshot.load(s).values())
            append_audit(s, user.username, "stats_yield", None)
        return _stats.her2_yield(patients)

    def audit_log(self, actor: UserInfo, limit: int = 200, *, patient_id: str | None = None) -> list[AuditEntry]:
        with self._tx() as s:
            user = self._actor(s, actor, Action.read_audit)
            q = select(AuditLog).order_by(AuditLog.id.desc()).limit(max(1, min(int(limit), 10000)))
            if patient_id:
                q = q.where(AuditLog.patient_pseudonym == patient_id)
            rows = [AuditEntry(a.id, a.at, a.actor, a.action, a.patient_pseudonym, a.detail) for a in s.scalars(q)]
            append_audit(s, user.username, "read_audit_log", patient_id, f"{len(rows)} entries")
            return rows

    def counts(self) -> dict[str, int]:
        """Row counts per table (no patient data): for `registry stats`, health checks, tests."""
        with self._tx() as s:
            return {name: s.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in Base.metadata.tables.items()}
