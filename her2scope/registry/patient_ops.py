"""Patient work beyond imports (a mixin of ``Registry``): create a patient, edit the clinical
data the report needs, the patient's report input, retract a wrongly attached result, re-run
the interpretation after a knowledge update, and server-side paginated lists (patients and
worklists) with search, sort and filters. Everything is role-checked and audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import SQLColumnExpression, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from ..case.picture import covers_erbb2_genes
from ..case.schema import Case, parse_case
from ..errors import Her2scopeError
from ..knowledge import load_knowledge
from ..vocabulary import TestState
from .audit import append_audit
from .base import RegistryBase
from .clinical import _ASSESSED, ClinicalUpdate, _variant_text, case_data, check_update, clinical_of, latest_diagnosis
from . import worklists as _worklists
from .dto import Page, PatientDetail, PatientSummary, WorklistRow
from .importing import _report_from, diagnosis_key, store_result
from .interpret import NGS_TYPES, interpret_test
from .listing import MAX_PER_PAGE, contains, page_args
from .models import Diagnosis, ImportBatch, Patient, Result, Test, utcnow
from .roles import Action, NotFound, RegistryError
from .rows import DiagnosisSpec, RowRejected, check_pseudonym, is_advanced
from .snapshot import PENDING
from .views import patient_detail

PATIENT_SORTS = ("patient", "diagnosed", "status", "tests")
WORKLIST_SORTS = _worklists.SORTS
STATUSES = ("positive", "equivocal", "negative", "not_detected", "failed", "not_assessed", "pending", "not_tested")


@dataclass(frozen=True)
class PatientCase:
    """A patient's page: the detail, and the case for the report (None, with what is missing)."""

    detail: PatientDetail
    case: Case | None
    missing: tuple[str, ...]
    problem: str | None = None           # a stored value the case schema refuses (the message)
    outdated: tuple[int, ...] = ()       # test ids whose result was made with another knowledge base


# The patient's overall ERBB2 mutation status (``views.mutation_status``) as the best rank over
# the patient's current NGS tests: a result status in the picture's order, then pending, then a
# failed test; no rank = not tested. Retracted tests (and resulted tests without a result) rank
# nothing, as they count nothing.
_RANKED = ("positive", "equivocal", "negative", "not_detected", "failed", "not_assessed", "pending", "failed")
# In SQL the stored text is bound (``.value``): psycopg binds a Python Enum by its member name.
_RESULTED, _FAILED, _RETRACTED = TestState.resulted.value, TestState.failed.value, TestState.retracted.value


def _status_ranks(*conds):
    """Per patient, the best status rank (a grouped query: one pass over the NGS tests)."""
    rank = case(*[(and_(Test.status == _RESULTED, Result.her2_status == st), i)
                  for i, st in enumerate(_RANKED[:6], 1)],
                (Test.status.in_(PENDING), 7), (Test.status == _FAILED, 8))
    return (select(Test.patient_id.label("patient_id"), func.min(rank).label("rank"))
            .outerjoin(Result, Result.test_id == Test.id).where(Test.test_type.in_(NGS_TYPES), *conds)
            .group_by(Test.patient_id).subquery())


def _has_rank(i: int):
    """The patient has a current NGS test of status rank ``i`` (EXISTS: a semi-join)."""
    t, r = aliased(Test), aliased(Result)
    mine = (t.patient_id == Patient.id, t.test_type.in_(NGS_TYPES))
    if i <= 6:
        return exists().where(*mine, t.status == _RESULTED, r.test_id == t.id, r.her2_status == _RANKED[i - 1])
    return exists().where(*mine, t.status.in_(PENDING) if i == 7 else t.status == _FAILED)


def _status_is(status: str):
    """Filter: the overall status is ``status`` (its rank present, no better rank present),
    as EXISTS / NOT EXISTS so that a rare status is found from its few tests."""
    ranks = [i for i, st in enumerate(_RANKED, 1) if st == status]
    if not ranks:          # not tested: no rank at all
        return and_(*[~_has_rank(i) for i in range(1, len(_RANKED) + 1)])
    return or_(*[and_(_has_rank(i), *[~_has_rank(j) for j in range(1, i)]) for i in ranks])


def _status_label(rank):
    return case(*[(rank == i, st) for i, st in enumerate(_RANKED, 1)], else_="not_tested")


class PatientOpsMixin(RegistryBase):
    """Uses ``_tx()``, ``_actor(...)``, ``_worklist_args(...)`` and ``options`` of ``RegistryBase``."""

    def _patient(self, s, patient_id: str, *, load: bool = False) -> Patient:
        q = select(Patient).where(Patient.pseudonym == patient_id)
        if load:
            q = q.options(selectinload(Patient.diagnoses), selectinload(Patient.decisions),
                          selectinload(Patient.tests).selectinload(Test.result).selectinload(Result.variants))
        p = s.scalar(q)
        if p is None:
            raise NotFound(f"no patient {patient_id!r}")
        return p

    # ---- create and edit -------------------------------------------------------------------
    def create_patient(self, patient_id: str, actor, *, histology: str | None = None, stage: str | None = None,
                       diagnosis_date: dt.date | None = None, region: str | None = None) -> str:
        """A new pseudonymous patient (letters, digits, '_', '.', '-'; no names), optionally with
        a diagnosis and region. Clinicians and above."""
        try:
            pid = check_pseudonym(patient_id)
        except RowRejected as exc:
            raise RegistryError(exc.reason) from None
        upd = check_update(histology=histology, stage=stage, diagnosis_date=diagnosis_date, region=region)
        with self._tx() as s:
            user = self._actor(s, actor, Action.attach)
            if s.scalar(select(Patient.id).where(Patient.pseudonym == pid)) is not None:
                raise RegistryError(f"patient {pid} exists already")
            p = Patient(pseudonym=pid, source="manual", region=upd.region)
            s.add(p)
            if upd.histology:
                self._set_diagnosis(s, p, upd)
            if upd.region or upd.histology:
                p.clinical_updated_at, p.clinical_updated_by = utcnow(), user.username
            append_audit(s, user.username, "create_patient", pid,
                         ", ".join(f"{k} {v}" for k, v in (("histology", upd.histology), ("stage", upd.stage),
                                                          ("region", upd.region)) if v))
            return pid

    @staticmethod
    def _set_diagnosis(s, p: Patient, upd: ClinicalUpdate) -> list[str]:
        dx = latest_diagnosis(p) if p.id else None
        if upd.histology is None or upd.stage is None:
            raise RegistryError("a diagnosis needs the histology and stage")
        day = upd.diagnosis_date or (dx.diagnosis_date if dx else None)
        spec = DiagnosisSpec(upd.histology, upd.stage, day)
        key = diagnosis_key(p.pseudonym, spec)
        if dx is None:
            s.add(Diagnosis(patient=p, natural_key=key, histology=spec.histology, stage=spec.stage,
                            diagnosis_date=day, advanced=spec.advanced))
            return [f"diagnosis: {spec.histology}, stage {spec.stage}" + (f", {day}" if day else "")]
        before = (dx.histology, dx.stage, dx.diagnosis_date)
        if before == (spec.histology, spec.stage, day):
            return []
        other = s.scalar(select(Diagnosis.id).where(Diagnosis.natural_key == key, Diagnosis.id != dx.id))
        if other is not None:
            raise RegistryError(f"the patient already has a {spec.histology} diagnosis dated {day or '(no date)'}")
        dx.histology, dx.stage, dx.diagnosis_date, dx.advanced = spec.histology, spec.stage, day, is_advanced(spec.stage)
        dx.natural_key = key
        return [f"diagnosis: {before[0]}, stage {before[1]}, {before[2] or '-'} -> {spec.histology}, "
                f"stage {spec.stage}, {day or '-'}"]

    def update_clinical(self, patient_id: str, update: ClinicalUpdate, actor) -> list[str]:
        """Change the clinical data the report is made from; returns (and audits) each change
        as 'field: old -> new'."""
        with self._tx() as s:
            user = self._actor(s, actor, Action.edit_clinical)
            p = self._patient(s, patient_id, load=True)
            changes = self._set_diagnosis(s, p, update) if update.histology else []
            if update.diagnosis_date and not update.histology:
                raise RegistryError("a diagnosis date needs the histology and stage")
            for name in ("region", "prior_therapies", "brain_metastases"):
                new = None if name in update.clear else getattr(update, name)
                if new is None and name not in update.clear:
                    continue
                new = list(new) if isinstance(new, tuple) else new
                old = getattr(p, name)
                if old != new:
                    setattr(p, name, new)
                    changes.append(f"{name}: {_show(old)} -> {_show(new)}")
            if changes:
                p.clinical_updated_at, p.clinical_updated_by = utcnow(), user.username
                append_audit(s, user.username, "edit_clinical", p.pseudonym, "; ".join(changes)[:4000])
            return changes

    # ---- the patient's report ----------------------------------------------------------------
    def patient_case(self, patient_id: str, actor) -> PatientCase:
        """The patient's detail and the case for the HER2 report (audited as a view)."""
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            try:
                p = self._patient(s, patient_id, load=True)
            except NotFound:
                append_audit(s, user.username, "view_patient_missing", patient_id[:64])
                raise
            append_audit(s, user.username, "view_patient", p.pseudonym)
            detail = patient_detail(p)
            clinical = clinical_of(p)
            current = load_knowledge(self.options.knowledge).version
            outdated = tuple(t.id for t in p.tests if t.status == TestState.resulted and t.result is not None
                             and t.test_type in NGS_TYPES and t.result.knowledge_version != current)
            if clinical.missing:
                return PatientCase(detail, None, clinical.missing, outdated=outdated)
            data = case_data(p, clinical)
        try:
            return PatientCase(detail, parse_case(data, f"patient {patient_id}"), (), outdated=outdated)
        except Her2scopeError as exc:
            return PatientCase(detail, None, (), exc.message, outdated)

    # ---- retract and re-interpret --------------------------------------------------------------
    def retract_test(self, patient_id: str, test_id: int, reason: str, actor) -> None:
        """Retract a wrongly attached (or wrongly imported) result: the test and its result are
        kept, marked retracted with who, when and why, and no longer count anywhere (status,
        worklists, yield, report). When the attached file had completed an ordered test, that
        order is pending again."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise RegistryError("reason: say why the result is retracted")
        with self._tx() as s:
            user = self._actor(s, actor, Action.attach)
            p = self._patient(s, patient_id)
            t = s.scalar(select(Test).where(Test.id == int(test_id), Test.patient_id == p.id)
                         .options(selectinload(Test.result)))
            if t is None:
                raise NotFound(f"patient {patient_id} has no test {test_id}")
            if t.status == TestState.retracted:
                raise RegistryError(f"test {test_id} is already retracted")
            if t.result is None and t.status != TestState.failed:
                raise RegistryError(f"test {test_id} has no result to retract")
            key, from_file = t.natural_key, t.result is not None and t.result.source_file is not None
            reopen = from_file and (t.ordered or t.received) and "|file:" not in key
            t.status, t.natural_key = _RETRACTED, f"{key}|retracted:{t.id}"[:300]
            t.retracted_at, t.retracted_by, t.retraction_reason = utcnow(), user.username, reason[:2000]
            s.flush()      # the natural key is free before the reopened order takes it
            if reopen:
                s.add(Test(patient_id=p.id, natural_key=key, test_type=t.test_type, assay=t.assay,
                           external_id=t.external_id, status=(TestState.received if t.received else TestState.ordered).value,
                           ordered=t.ordered, received=t.received))
            what = (t.result.source_file or "imported result") if t.result else "failed test"
            append_audit(s, user.username, "retract_result", p.pseudonym,
                         f"test {t.id} ({t.test_type}, {what}"
                         + (f": {t.result.her2_status}" if t.result else "") + f"); reason: {reason}"
                         + ("; the order is pending again" if reopen else ""))

    def reinterpret(self, patient_id: str, actor) -> list[str]:
        """Re-run the engine on every current NGS result made with another knowledge base,
        from its stored ERBB2 variants; returns (and audits) what changed."""
        current = load_knowledge(self.options.knowledge).version
        with self._tx() as s:
            user = self._actor(s, actor, Action.attach)
            p = self._patient(s, patient_id, load=True)
            out = []
            for t in p.tests:
                res = t.result
                if t.status != TestState.resulted or res is None or t.test_type not in NGS_TYPES \
                        or res.knowledge_version == current:
                    continue
                genes = (res.picture or {}).get("genes_covered")     # the panel's genes, if the import gave them
                if genes is not None and not covers_erbb2_genes(genes):
                    out.append(f"test {t.id}: {res.her2_status}: the panel does not cover ERBB2; "
                               "nothing to re-interpret")
                    continue
                if res.her2_status not in _ASSESSED:
                    # failed / not assessed because of the input (records not interpreted, damage):
                    # those problems are not stored with the variants, and the variants alone
                    # would read as a clean negative.
                    out.append(f"test {t.id}: {res.her2_status}: the stored variants are not the whole input; "
                               "attach the file again to re-interpret it")
                    continue
                texts = tuple(x for x in (_variant_text(v) for v in res.variants) if x)
                old = (res.her2_status, res.knowledge_version, [(v.protein_change, v.oncogenicity)
                                                                 for v in res.variants])
                r = interpret_test(p.pseudonym, t.test_type, resulted=t.resulted, assay=t.assay, variants=texts,
                                   genes_covered=None if genes is None else tuple(genes), options=self.options)
                store_result(s, t, r, source_file=res.source_file, source_sha256=res.source_sha256)
                calls = [f"{name}: {was} -> {now.classification.oncogenicity if now.classification else None}"
                         for (name, was), now in zip(old[2], r.variants)
                         if now.classification and now.classification.oncogenicity != was]
                out.append(f"test {t.id}: {old[0]} (knowledge {old[1]}) -> {r.status} (knowledge "
                           f"{r.knowledge_version})" + (f"; {'; '.join(calls)}" if calls else "; calls unchanged"))
            append_audit(s, user.username, "reinterpret", p.pseudonym,
                         ("; ".join(out) or f"all results already made with knowledge {current}")[:4000])
            return out

    # ---- lists -------------------------------------------------------------------------------
    def patients_page(self, actor, *, q: str = "", status: str | None = None, advanced: bool | None = None,
                      sort: str = "patient", descending: bool = False, page: int = 1,
                      per_page: int = 50) -> Page:
        """One page of patients, searched (pseudonym contains ``q``, case-insensitive), filtered
        (mutation status, advanced) and sorted in the database: the cost is one page, not the
        registry."""
        if sort not in PATIENT_SORTS:
            raise RegistryError(f"sort must be one of {', '.join(PATIENT_SORTS)}")
        if status and status not in STATUSES:
            raise RegistryError(f"status must be one of {', '.join(STATUSES)}")
        page, per_page = page_args(page, per_page)
        q = (q or "").strip()
        # Two steps: the page's patient ids (searched, filtered and sorted on only what the
        # sort and filters need, so the default page walks the pseudonym index), then what the
        # page shows for those ids alone.
        base = select(Patient.id).select_from(Patient)
        conds = []
        if q:
            conds.append(contains(Patient.pseudonym, q))
        if advanced is not None:
            adv = exists().where(Diagnosis.patient_id == Patient.id, Diagnosis.advanced.is_(True))
            conds.append(adv if advanced else ~adv)
        key: SQLColumnExpression[Any] = Patient.pseudonym
        if status:
            conds.append(_status_is(status))
        if sort == "status":
            ranks = _status_ranks()
            base = base.outerjoin(ranks, ranks.c.patient_id == Patient.id)
            key = _status_label(ranks.c.rank)
        if sort == "diagnosed":
            dx = (select(Diagnosis.patient_id.label("patient_id"), func.min(Diagnosis.diagnosis_date).label("day"))
                  .group_by(Diagnosis.patient_id).subquery())
            base, key = base.outerjoin(dx, dx.c.patient_id == Patient.id), dx.c.day
        elif sort == "tests":
            n = (select(Test.patient_id.label("patient_id"), func.count().label("n"))
                 .where(Test.status != _RETRACTED).group_by(Test.patient_id).subquery())
            base, key = base.outerjoin(n, n.c.patient_id == Patient.id), func.coalesce(n.c.n, 0)
        order = [key.desc() if descending else key.asc(), Patient.pseudonym]
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            total = s.execute(select(func.count()).select_from(base.where(*conds).subquery())).scalar_one()
            ids = list(s.scalars(base.where(*conds).order_by(*order).limit(per_page)
                                 .offset((page - 1) * per_page)))
            items = tuple(self._summaries(s, ids))
            append_audit(s, user.username, "list_patients", None,
                         f"page {page} ({len(ids)} of {total})" + (" searched" if q else ""))
        return Page(items, total, page, per_page)

    @staticmethod
    def _summaries(s, ids: list[int]) -> list[PatientSummary]:
        """The list's columns for a page of patients, in the order of ``ids``."""
        if not ids:
            return []
        ranks = _status_ranks(Test.patient_id.in_(ids))
        status = dict(s.execute(select(ranks.c.patient_id, _status_label(ranks.c.rank))).all())
        n_tests = dict(s.execute(select(Test.patient_id, func.count()).where(
            Test.patient_id.in_(ids), Test.status != _RETRACTED).group_by(Test.patient_id)).all())
        names = dict(s.execute(select(Patient.id, Patient.pseudonym).where(Patient.id.in_(ids))).all())
        dxs: dict[int, list] = {}
        for pid, hist, stage, day, adv, did in s.execute(
                select(Diagnosis.patient_id, Diagnosis.histology, Diagnosis.stage, Diagnosis.diagnosis_date,
                       Diagnosis.advanced, Diagnosis.id).where(Diagnosis.patient_id.in_(ids))):
            dxs.setdefault(pid, []).append((day or dt.date.min, did, hist, stage, day, adv))
        out = []
        for pid in ids:
            rows = dxs.get(pid, [])
            latest = max(rows)[2:4] if rows else (None, None)
            first = min((r[4] for r in rows if r[4]), default=None)
            out.append(PatientSummary(names[pid], latest[0], latest[1], any(r[5] for r in rows), first,
                                      status.get(pid, "not_tested"), n_tests.get(pid, 0)))
        return out

    def worklist_page(self, name: str, actor, *, q: str = "", sort: str = "patient", descending: bool = False,
                      page: int = 1, per_page: int = 50, today: dt.date | None = None,
                      pending_days: int = 14) -> Page:
        """One page of a worklist, searched by pseudonym and sorted (patient, since, days) in
        the database: the cost is one page, not the registry."""
        if sort not in WORKLIST_SORTS:
            raise RegistryError(f"sort must be one of {', '.join(WORKLIST_SORTS)}")
        today, _ = self._worklist_args(today, pending_days, (name,))
        page, per_page = page_args(page, per_page)
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            total, rows = _worklists.select_page(s, name, today=today, pending_days=pending_days,
                                                 options=self.options, q=q, sort=sort, descending=descending,
                                                 limit=per_page, offset=(page - 1) * per_page)
            append_audit(s, user.username, "worklists", None, f"{name}: page {page} ({len(rows)} of {total})"
                         + (" searched" if q.strip() else ""))
        return Page(tuple(rows), total, page, per_page)

    def worklist_overview(self, actor, *, shown: int = 10, today: dt.date | None = None,
                          pending_days: int = 14, names: tuple[str, ...] | None = None) -> dict[str, Page]:
        """Each worklist's size and its first ``shown`` rows (by patient; 0: the counts only)."""
        today, wanted = self._worklist_args(today, pending_days, names)
        shown = max(0, min(int(shown), MAX_PER_PAGE))
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            out = {}
            for name in wanted:
                total, rows = _worklists.select_page(s, name, today=today, pending_days=pending_days,
                                                     options=self.options, limit=shown)
                out[name] = Page(tuple(rows), total, 1, max(1, shown))
            append_audit(s, user.username, "worklists", None, ", ".join(f"{k}={v.total}" for k, v in out.items()))
        return out

    def export_worklist(self, name: str, actor, *, q: str = "", sort: str = "patient", descending: bool = False,
                        today: dt.date | None = None, pending_days: int = 14) -> list[WorklistRow]:
        """Every row of a worklist (searched and sorted as on screen) for a CSV export; the
        export itself is written to the audit log."""
        if sort not in WORKLIST_SORTS:
            raise RegistryError(f"sort must be one of {', '.join(WORKLIST_SORTS)}")
        today, _ = self._worklist_args(today, pending_days, (name,))
        with self._tx() as s:
            user = self._actor(s, actor, Action.read)
            _, rows = _worklists.select_page(s, name, today=today, pending_days=pending_days, options=self.options,
                                             q=q, sort=sort, descending=descending)
            append_audit(s, user.username, "export_worklist", None, f"{name}: {len(rows)} rows (CSV)"
                         + (" searched" if q.strip() else ""))
        return rows

    def import_report(self, batch_id: int, actor):
        """The report of one import batch (what was imported and rejected)."""
        with self._tx() as s:
            self._actor(s, actor, Action.read)
            batch = s.get(ImportBatch, int(batch_id))
            if batch is None:
                raise NotFound(f"no import batch {batch_id}")
            return _report_from(batch, already=False)


def _show(value) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, (list, tuple)):
        return ", ".join(value) if value else "none"
    return str(value)
