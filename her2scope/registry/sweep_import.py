"""NGS results found by an archive sweep (``her2scope sweep --registry``), stored as tests.

Each (file, sample) the sweep hands over becomes one NGS test of a patient through the
registry's own import path (``importing.run_import``): the test's ERBB2 variants (as HGVS,
the genomic allele when known) go to the HER2 picture, which decides the result as for every
other import. The caller decides which (file, sample) pairs may be stored at all (only what is
certain, docs/sweep.md); this module matches nothing and invents no patient unless asked.

Idempotence: a test's external id is ``sweep:<file sha256>:<sample>``, looked up before any
write, so a pair already stored (for any patient, retracted or not) is never stored again.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import select

from ..vocabulary import TestState
from .audit import append_audit
from .clinical import _variant_text
from .dto import ImportReport, UserInfo
from .importing import run_import
from .models import Patient, Result, Test
from .roles import Action, RegistryError
from .rows import ImportRow, RowRejected, TestSpec, check_pseudonym
from .service import Registry

_CHUNK = 500
_EXTERNAL_ID_MAX = 100      # tests.external_id
SAMPLE_TYPES = ("tissue", "plasma")


class Outcome(str, enum.Enum):
    """What became of one (file, sample) of a sweep in the registry step."""

    stored = "stored"                   # a new test with its result
    already_stored = "already_stored"   # this file's sample is a test of this patient already
    other_patient = "other_patient"     # ... of another patient: nothing stored, look at it
    no_patient = "no_patient"           # the named patient is not in the registry
    rejected = "rejected"               # the import refused it (the reason says why)
    unmatched = "unmatched"             # no patient could be tied to the sample
    not_stored = "not_stored"           # nothing certain to store (e.g. a failed file without a positive)

    @property
    def in_registry(self) -> bool:
        """The sample's result is in the registry (stored now or by an earlier sweep)."""
        return self in (Outcome.stored, Outcome.already_stored)


@dataclass(frozen=True, slots=True)
class SweepTest:
    """One sample of one swept file, to be stored as an NGS test of ``patient``."""

    patient: str
    file: str                     # as the sweep lists it (for people; the key is the checksum)
    file_sha256: str
    sample: str | None            # None: the file names no samples
    sample_type: str              # tissue | plasma
    variants: tuple[str, ...]     # HGVS of the sample's ERBB2 variants; () = none found
    genes_covered: tuple[str, ...] | None = None   # the assay's genes (manifest); None = not said

    @property
    def external_id(self) -> str:
        return sweep_external_id(self.file_sha256, self.sample)


@dataclass(frozen=True, slots=True)
class SweepStored:
    test: SweepTest
    outcome: Outcome
    her2_status: str | None = None   # the stored (or earlier stored) result's status
    detail: str = ""


def sweep_external_id(file_sha256: str, sample: str | None) -> str:
    """``sweep:<sha256>:<sample>`` (``sweep:<sha256>`` for a file without samples); a sample
    name too long for the column is replaced by its own sha256 prefix."""
    if sample is None:
        return f"sweep:{file_sha256}"
    text = f"sweep:{file_sha256}:{sample}"
    if len(text) <= _EXTERNAL_ID_MAX:
        return text
    return f"sweep:{file_sha256}:#{hashlib.sha256(sample.encode()).hexdigest()[:24]}"


def variant_hgvs(row: Mapping) -> str | None:
    """The HGVS the registry keeps for a variant: the same rule as for a stored result
    (genomic allele when known, else c., else p.)."""
    fields = ("hgvs_g", "hgvs_c", "hgvs_p", "protein_change")
    return _variant_text(SimpleNamespace(**{k: row.get(k) for k in fields}))


def _chunks(items: list, n: int = _CHUNK) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def known_patients(reg: Registry, actor: UserInfo, names: Iterable[str]) -> set[str]:
    """Which of ``names`` are registry patients (the sweep's matching; audited as one list read)."""
    wanted = sorted({n for n in names if n})
    found: set[str] = set()
    with reg._tx() as s:
        user = reg._actor(s, actor, Action.read)
        for chunk in _chunks(wanted):
            found.update(s.scalars(select(Patient.pseudonym).where(Patient.pseudonym.in_(chunk))))
        append_audit(s, user.username, "sweep_match_patients", None,
                     f"{len(wanted)} names looked up, {len(found)} patients")
    return found


def import_sweep_tests(reg: Registry, tests: list[SweepTest], actor: UserInfo, *, source: str,
                       create_patients: bool = False, today: dt.date | None = None) -> list[SweepStored]:
    """Store each test not stored before, in one import batch (one transaction); the outcome
    of every test handed in, in the order given. Needs the import right (data manager)."""
    for t in tests:
        if t.sample_type not in SAMPLE_TYPES:
            raise RegistryError(f"sample type must be tissue or plasma (got {t.sample_type!r})")
    with reg._tx() as s:
        user = reg._actor(s, actor, Action.import_data).username
    stored, patients = _stored_before(reg, tests)
    outcomes: dict[int, SweepStored] = {}
    todo: list[tuple[int, SweepTest]] = []
    seen: set[str] = set()
    for i, t in enumerate(tests):
        early = _early_outcome(t, stored, patients, seen, create_patients)
        if early is not None:
            outcomes[i] = early
        else:
            todo.append((i, t))
            seen.add(t.external_id)
    if todo:
        report = _import(reg, [t for _, t in todo], user, source, today or dt.date.today())
        after, _ = _stored_before(reg, [t for _, t in todo])
        rejected = {r.row: r.reason for r in report.rejected}
        for n, (i, t) in enumerate(todo, 1):
            outcomes[i] = _after_import(t, rejected.get(n), after.get(t.external_id, []))
    return [outcomes[i] for i in range(len(tests))]


def _stored_before(reg: Registry, tests: list[SweepTest]) -> tuple[dict[str, list[tuple]], set[str]]:
    """Tests already holding these external ids: id -> [(patient, status, her2 status)]; and
    which of the tests' patients exist."""
    ids = sorted({t.external_id for t in tests})
    names = sorted({t.patient for t in tests})
    by_id: dict[str, list[tuple]] = {}
    patients: set[str] = set()
    with reg._tx() as s:
        for chunk in _chunks(ids):
            q = (select(Test.external_id, Patient.pseudonym, Test.status, Result.her2_status)
                 .join(Patient, Test.patient_id == Patient.id).outerjoin(Result, Result.test_id == Test.id)
                 .where(Test.external_id.in_(chunk)).order_by(Test.id))
            for ext, pseudonym, status, her2 in s.execute(q):
                by_id.setdefault(ext or "", []).append((pseudonym, status, her2))
        for chunk in _chunks(names):
            patients.update(s.scalars(select(Patient.pseudonym).where(Patient.pseudonym.in_(chunk))))
    return by_id, patients


def _early_outcome(t: SweepTest, stored: dict[str, list[tuple]], patients: set[str], seen: set[str],
                   create_patients: bool) -> SweepStored | None:
    """The outcome decided before importing (already there, another patient's, no such patient),
    or None when the test is to be imported."""
    there = stored.get(t.external_id, [])
    mine = [x for x in there if x[0] == t.patient]
    if mine:
        pseudonym, status, her2 = mine[0]
        note = " (retracted: kept so, not stored again)" if status == TestState.retracted else ""
        return SweepStored(t, Outcome.already_stored, her2, f"test {t.external_id} exists{note}")
    if there:
        others = ", ".join(sorted({x[0] for x in there}))
        return SweepStored(t, Outcome.other_patient, None,
                           f"this file's sample is already a test of {others}: retract it there if it was "
                           "wrongly attached; nothing stored")
    if t.external_id in seen:
        return SweepStored(t, Outcome.already_stored, None, "the same file's sample is listed twice in this sweep")
    try:
        check_pseudonym(t.patient)
    except RowRejected as exc:
        return SweepStored(t, Outcome.rejected, None, exc.reason)
    if t.patient not in patients and not create_patients:
        return SweepStored(t, Outcome.no_patient, None,
                           f"no patient {t.patient} in the registry (--registry-create-patients makes one)")
    return None


def _import(reg: Registry, tests: list[SweepTest], user: str, source: str, today: dt.date) -> ImportReport:
    rows = [ImportRow(row=n, patient_id=t.patient,
                      test=TestSpec(test_type=f"ngs_{t.sample_type}", external_id=t.external_id,
                                    resulted=today, variants=t.variants, genes_covered=t.genes_covered))
            for n, t in enumerate(tests, 1)]
    # The batch is named by what it stores, so the same set offered again is recognised (the
    # genes only when given: batches stored before the manifest column keep their name).
    content = [(t.patient, t.external_id, t.sample_type, t.variants)
               + ((t.genes_covered,) if t.genes_covered is not None else ()) for t in tests]
    sha = hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()
    return run_import(reg._sessions, kind="sweep", source=source, sha256=sha, rows=rows, actor=user,
                      options=reg.options)


def _after_import(t: SweepTest, rejected: str | None, there: list[tuple]) -> SweepStored:
    mine = [x for x in there if x[0] == t.patient]
    if mine:
        return SweepStored(t, Outcome.stored, mine[0][2], f"test {t.external_id}")
    return SweepStored(t, Outcome.rejected, None, rejected or "not stored by the import (see its report)")
