"""A light, read-only snapshot of the registry for the statistics (four queries, plain tuples,
no ORM objects), and the current tests of a page of patients for the worklists' reasons."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..case.picture import TESTED_STATUSES
from ..vocabulary import Status, TestState
from .models import Decision, Diagnosis, Patient, Result, Test


# Result statuses that mean ERBB2 was actually looked at: the HER2 picture's own "tested" set.
# failed, not_assessed (panel without ERBB2, damaged file ...) and any other stored value are
# not: such a test never counts as "NGS done" on a worklist or in the yield.
TESTED = frozenset(s.value for s in TESTED_STATUSES)
PENDING = (TestState.ordered.value, TestState.received.value)    # the stored text (bound in SQL)


@dataclass
class TestRow:
    id: int
    test_type: str
    status: str
    assay: str | None
    ordered: dt.date | None
    received: dt.date | None
    resulted: dt.date | None
    failed: dt.date | None
    result_id: int | None
    her2_status: str | None
    value: str | None
    knowledge_version: str | None

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    @property
    def assessed(self) -> bool:
        """Resulted, and the result says something about ERBB2."""
        return self.status == TestState.resulted and self.her2_status in TESTED

    @property
    def unusable(self) -> bool:
        """Done but no answer: the test failed, or its result is failed / not assessed."""
        return self.status == TestState.failed or (self.status == TestState.resulted and not self.assessed)

    @property
    def label(self) -> str:
        return self.test_type.replace("_", " ")


@dataclass
class PatientRow:
    id: int
    pseudonym: str
    diagnoses: list[tuple[str, str, dt.date | None, bool]] = field(default_factory=list)
    tests: list[TestRow] = field(default_factory=list)
    decisions: list[tuple[str, dt.datetime]] = field(default_factory=list)

    @property
    def advanced(self) -> bool:
        return any(d[3] for d in self.diagnoses)

    @property
    def diagnosis_date(self) -> dt.date | None:
        dates = [d[2] for d in self.diagnoses if d[2]]
        return min(dates) if dates else None

    def ngs(self) -> list[TestRow]:
        return [t for t in self.tests if t.test_type.startswith("ngs_")]

    @property
    def her2_mutant(self) -> bool:
        return any(t.status == TestState.resulted and t.her2_status == Status.positive for t in self.ngs())


def _test_rows(s: Session, *conds):
    q = (select(Test.patient_id, Test.id, Test.test_type, Test.status, Test.assay, Test.ordered, Test.received,
                Test.resulted, Test.failed, Result.id, Result.her2_status, Result.value, Result.knowledge_version)
         .outerjoin(Result, Result.test_id == Test.id)
         .where(Test.status != TestState.retracted.value, *conds)        # kept for the record, never counted
         .order_by(Test.id))
    for pid, *rest in s.execute(q):
        yield pid, TestRow(*rest)


def tests_of(s: Session, patient_ids: list[int]) -> dict[int, list[TestRow]]:
    """The current tests of a few patients (a page of a list), in test order."""
    out: dict[int, list[TestRow]] = defaultdict(list)
    if patient_ids:
        for pid, t in _test_rows(s, Test.patient_id.in_(patient_ids)):
            out[pid].append(t)
    return dict(out)


def load(s: Session) -> dict[int, PatientRow]:
    patients = {pid: PatientRow(pid, name) for pid, name in s.execute(select(Patient.id, Patient.pseudonym))}
    for pid, hist, stage, day, adv in s.execute(select(Diagnosis.patient_id, Diagnosis.histology, Diagnosis.stage,
                                                       Diagnosis.diagnosis_date, Diagnosis.advanced)):
        patients[pid].diagnoses.append((hist, stage, day, adv))
    for pid, t in _test_rows(s):
        patients[pid].tests.append(t)
    for pid, kind, at in s.execute(select(Decision.patient_id, Decision.kind, Decision.decided_at)):
        patients[pid].decisions.append((kind, at))
    return patients

