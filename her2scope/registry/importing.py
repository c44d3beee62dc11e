"""Writing validated rows into the registry: one transaction per file, natural keys for
idempotency, the file's SHA-256 remembered in ``import_batches``.

Crash safety comes from the single transaction: until the final COMMIT nothing of the file
is visible, and a killed process leaves the database exactly as before (SQLite rolls the
journal back on next open; PostgreSQL aborts the transaction with the connection).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..errors import Her2scopeError
from ..pipeline import Options
from .audit import append_audit
from .dto import ImportReport, RejectedRow
from .interpret import TestResult, interpret_test
from .models import Diagnosis, ImportBatch, Patient, Result, ResultVariant, Test, utcnow
from .rows import ImportRow, RowRejected, TestSpec, check_test_dates, test_status

_CHUNK = 500


def test_key(pseudonym: str, t) -> str:
    if t.external_id:
        return f"{pseudonym}|{t.test_type}|id:{t.external_id}"
    first = t.ordered or t.received or t.resulted or t.failed
    return f"{pseudonym}|{t.test_type}|{t.assay or ''}|{first}"


def diagnosis_key(pseudonym: str, d) -> str:
    return f"{pseudonym}|{d.histology}|{d.diagnosis_date or ''}"


def variant_row(i: int, v) -> ResultVariant:
    c = v.classification
    return ResultVariant(ordinal=i, build=v.build, pos=v.pos, ref=v.ref, alt=v.alt, hgvs_g=v.hgvs_g,
                         hgvs_c=v.hgvs_c, hgvs_p=v.hgvs_p, protein_change=v.protein_change,
                         alteration_class=c.alteration_class if c else None,
                         oncogenicity=c.oncogenicity if c else None, vaf=v.vaf)


def _chunks(items: list, n: int = _CHUNK) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


@dataclass(frozen=True)
class _TestPlan:
    """A row's test as it will be written: checked, merged with the stored test, interpreted."""

    test: TestSpec                  # as the row gives it
    key: str                        # natural key
    existing: Test | None           # the stored test of that key
    spec: TestSpec                  # the row's dates merged with the stored ones
    signature: str                  # SHA-256 of what the result was made from
    result: TestResult | None       # None: nothing (new) to store


class BatchWriter:
    """Applies rows to a session; ``apply`` validates everything before it changes anything,
    so a rejected row leaves no trace."""

    def __init__(self, session: Session, source: str, options: Options) -> None:
        self.s = session
        self.source = source
        self.options = options
        self.patients: dict[str, Patient] = {}
        self.diagnoses: dict[str, Diagnosis] = {}
        self.tests: dict[str, Test] = {}
        self.latest_dx: dict[str, Diagnosis] = {}
        self.counts = dict(patients_created=0, tests_created=0, tests_updated=0, results_stored=0)

    def preload(self, rows: list[ImportRow]) -> None:
        ids = sorted({r.patient_id for r in rows})
        for chunk in _chunks(ids):
            for p in self.s.scalars(select(Patient).where(Patient.pseudonym.in_(chunk))):
                self.patients[p.pseudonym] = p
        dkeys = sorted({diagnosis_key(r.patient_id, r.diagnosis) for r in rows if r.diagnosis})
        for chunk in _chunks(dkeys):
            for d in self.s.scalars(select(Diagnosis).where(Diagnosis.natural_key.in_(chunk))):
                self.diagnoses[d.natural_key] = d
        tkeys = sorted({test_key(r.patient_id, r.test) for r in rows if r.test})
        for chunk in _chunks(tkeys):
            q = select(Test).where(Test.natural_key.in_(chunk)).options(
                selectinload(Test.result).selectinload(Result.variants))
            for t in self.s.scalars(q):
                self.tests[t.natural_key] = t

    def _patient(self, pseudonym: str) -> Patient:
        p = self.patients.get(pseudonym)
        if p is None:
            p = Patient(pseudonym=pseudonym, source=self.source)
            self.s.add(p)
            self.patients[pseudonym] = p
            self.counts["patients_created"] += 1
        return p

    def apply(self, row: ImportRow) -> None:
        plan = self._plan_test(row.patient_id, row.test) if row.test else None
        patient = self._patient(row.patient_id)
        if row.diagnosis:
            d = row.diagnosis
            key = diagnosis_key(row.patient_id, d)
            existing = self.diagnoses.get(key)
            if existing is None:
                existing = Diagnosis(patient=patient, natural_key=key, histology=d.histology, stage=d.stage,
                                     diagnosis_date=d.diagnosis_date, advanced=d.advanced)
                self.s.add(existing)
                self.diagnoses[key] = existing
            elif existing.stage != d.stage:
                existing.stage, existing.advanced = d.stage, d.advanced
        if plan is not None:
            self._write_test(patient, plan)

    def _plan_test(self, patient_id: str, t: TestSpec) -> _TestPlan:
        """Everything that can reject the row, computed before any change."""
        key = test_key(patient_id, t)
        existing = self.tests.get(key)
        if existing is not None and t.failed and existing.resulted:
            raise RowRejected(f"test {key.split('|', 1)[1]} is already resulted; it cannot be marked failed")
        # The row's dates, the stored test's where the row has none; a result clears a failure.
        failed = t.failed or (existing.failed if existing else None)
        if existing is not None and t.resulted and existing.failed:
            failed = None
        spec = dataclasses.replace(t, ordered=t.ordered or (existing.ordered if existing else None),
                                   received=t.received or (existing.received if existing else None),
                                   resulted=t.resulted or (existing.resulted if existing else None), failed=failed)
        check_test_dates(spec)
        # (copies and genes only when given: results stored before those columns keep their signature)
        signature = hashlib.sha256(repr((t.test_type, t.assay, spec.resulted, t.value, t.variants,
                                         t.scoring_system) + ((t.copies,) if t.copies is not None else ())
                                        + ((t.genes_covered,) if t.genes_covered is not None else ())
                                        ).encode()).hexdigest()
        result = None
        if spec.resulted:
            old = existing.result if existing is not None else None
            from_file = old is not None and old.source_file is not None
            if not (old is not None and (old.source_sha256 == signature or from_file)):
                try:
                    result = interpret_test(patient_id, t.test_type, resulted=spec.resulted, assay=t.assay,
                                            value=t.value, variants=t.variants, scoring_system=t.scoring_system,
                                            copies=t.copies, genes_covered=t.genes_covered,
                                            options=self.options)
                except Her2scopeError as exc:
                    raise RowRejected(exc.message) from None
                except ValueError as exc:
                    raise RowRejected(str(exc)) from None
                if result.errors:
                    raise RowRejected("; ".join(f"{e.input}: {e.message}" for e in result.errors))
        return _TestPlan(t, key, existing, spec, signature, result)

    def _write_test(self, patient: Patient, plan: _TestPlan) -> None:
        t, key, existing, spec = plan.test, plan.key, plan.existing, plan.spec
        if existing is None:
            existing = Test(patient=patient, natural_key=key, test_type=t.test_type, assay=t.assay,
                            external_id=t.external_id, status=test_status(spec), ordered=spec.ordered,
                            received=spec.received, resulted=spec.resulted, failed=spec.failed)
            self.s.add(existing)
            self.tests[key] = existing
            self.counts["tests_created"] += 1
        else:
            new = dict(status=test_status(spec), ordered=spec.ordered, received=spec.received,
                       resulted=spec.resulted, failed=spec.failed, assay=t.assay or existing.assay)
            if any(getattr(existing, k) != v for k, v in new.items()):
                for k, v in new.items():
                    setattr(existing, k, v)
                self.counts["tests_updated"] += 1
        if plan.result is not None:
            store_result(self.s, existing, plan.result, source_file=None, source_sha256=plan.signature)
            self.counts["results_stored"] += 1


def store_result(s: Session, test: Test, r, *, source_file: str | None, source_sha256: str | None) -> Result:
    """The test's result, replaced in place when there is one (a test has at most one)."""
    res = test.result
    if res is None:
        res = Result(test=test)
        s.add(res)
    elif res.variants:
        res.variants = []
        s.flush()          # old variant rows go before the new ones arrive
    res.her2_status, res.summary, res.value, res.picture = r.status, r.summary, r.value, r.picture
    res.knowledge_version, res.source_file, res.source_sha256 = r.knowledge_version, source_file, source_sha256
    res.created_at = utcnow()
    res.variants = [variant_row(i, v) for i, v in enumerate(r.variants)]
    return res


def run_import(session_factory, *, kind: str, source: str, sha256: str, rows: Iterable[ImportRow | RejectedRow],
               actor: str, options: Options, notes: tuple[str, ...] = ()) -> ImportReport:
    """Import all rows in one transaction, or recognise the file as already imported."""
    with session_factory() as s:
        with s.begin():
            done = s.scalar(select(ImportBatch).where(ImportBatch.sha256 == sha256))
            if done is not None:
                append_audit(s, actor, f"import_{kind}_repeat", None, f"{source}: already imported as batch {done.id}")
                return _report_from(done, already=True)
        try:
            with s.begin():
                return _import(s, kind, source, sha256, rows, actor, options, notes)
        except IntegrityError:
            # The same file committed by a concurrent importer between our check and our commit.
            s.rollback()
            with s.begin():
                done = s.scalar(select(ImportBatch).where(ImportBatch.sha256 == sha256))
                if done is None:
                    raise
                return _report_from(done, already=True)


def _import(s: Session, kind, source, sha256, rows, actor, options, notes) -> ImportReport:
    rows = list(rows)
    good = [r for r in rows if isinstance(r, ImportRow)]
    rejected = [r for r in rows if isinstance(r, RejectedRow)]
    writer = BatchWriter(s, kind, options)
    with s.no_autoflush:
        writer.preload(good)
        for row in good:
            try:
                writer.apply(row)
            except RowRejected as exc:
                rejected.append(RejectedRow(row.row, exc.reason, row.patient_id))
    rejected.sort(key=lambda r: r.row)
    report = ImportReport(kind=kind, source=source, sha256=sha256, batch_id=None, already_imported=False,
                          rows_total=len(rows), rows_imported=len(rows) - len(rejected),
                          rejected=tuple(rejected), notes=notes, **writer.counts)
    batch = ImportBatch(sha256=sha256, kind=kind, source=source[:300], actor=actor, report=report.as_dict())
    s.add(batch)
    s.flush()
    append_audit(s, actor, f"import_{kind}", None,
                 f"{source}: batch {batch.id}, {report.rows_imported} of {report.rows_total} rows imported, "
                 f"{len(rejected)} rejected")
    return ImportReport(**{**report.__dict__, "batch_id": batch.id})


def _report_from(batch: ImportBatch, *, already: bool) -> ImportReport:
    d = dict(batch.report)
    d["rejected"] = tuple(RejectedRow(**r) for r in d.get("rejected", ()))
    d["notes"] = tuple(d.get("notes", ()))
    d["batch_id"] = batch.id
    d["already_imported"] = already
    return ImportReport(**d)


def today() -> dt.date:
    return dt.date.today()
