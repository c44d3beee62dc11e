"""Testing-gap worklists, selected in the database. Each list is one SQL query (SQLAlchemy 2,
bound parameters) whose rows are searched, sorted, counted and paged by the database, so a
page costs one page whatever the size of the registry; the reason shown for a row is then
written for that page's rows only. The definitions are documented in docs/registry.md and
repeated in each function's docstring.

``knowledge_update_changes_result`` is the exception: whether a stored call changed needs the
engine, so the database selects the results made with another knowledge base and the engine
re-interprets their variants; that list is searched, sorted and paged in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Integer, and_, case, cast, exists, func, null, select
from sqlalchemy.orm import Session, aliased

from ..errors import Her2scopeError
from ..genome.builds import Build
from ..knowledge import load_knowledge
from ..pipeline import Options, annotate_inputs, interpret_allele
from ..readers.base import RecordError
from ..vocabulary import Status, TestState
from .dto import WorklistRow
from .listing import contains, unknown_last_order
from .models import Decision, Diagnosis, Patient, Result, ResultVariant, Test
from .snapshot import PENDING, TESTED, TestRow, tests_of
from .views import NGS

# In SQL the stored text is bound (``.value``): psycopg binds a Python Enum by its member name.
_RESULTED = TestState.resulted.value

NAMES = ("advanced_without_ngs", "pending_too_long", "plasma_not_detected_without_tissue", "ihc_without_ngs",
         "her2_mutant_without_brain_mri", "her2_mutant_without_decision", "knowledge_update_changes_result")
SORTS = ("patient", "since", "days")
TREATMENT_DECISIONS = ("therapy_chosen", "trial_referral", "other")
ENGINE_LISTS = ("knowledge_update_changes_result",)


def _days(since: dt.date | None, today: dt.date) -> int | None:
    return (today - since).days if since else None


# ---- building blocks: correlated on Patient.id; retracted tests never match (their status is
# 'retracted', and every condition names the statuses it counts) ---------------------------------

def _assessed(types: tuple[str, ...]):
    """An NGS test of ``types`` resulted with a status that says something about ERBB2."""
    t, r = aliased(Test), aliased(Result)     # the outer query may select from tests/results itself
    return exists().where(t.patient_id == Patient.id, t.test_type.in_(types), t.status == _RESULTED,
                          r.test_id == t.id, r.her2_status.in_(sorted(TESTED)))


def _pending(types: tuple[str, ...]):
    t = aliased(Test)
    return exists().where(t.patient_id == Patient.id, t.test_type.in_(types), t.status.in_(PENDING))


def _decided(kinds: tuple[str, ...]):
    return exists().where(Decision.patient_id == Patient.id, Decision.kind.in_(kinds))


def _mutant_test(t, r):
    return and_(t.patient_id == Patient.id, t.test_type.in_(NGS), t.status == _RESULTED, r.test_id == t.id,
                r.her2_status == Status.positive.value)


def _mutant():
    """HER2-mutant: an NGS result with status positive."""
    t, r = aliased(Test), aliased(Result)
    return exists().where(_mutant_test(t, r))


def _mutant_since():
    """The first HER2-mutant result date (computed only for the rows a page shows, unless the
    list is sorted by it)."""
    t, r = aliased(Test), aliased(Result)
    return select(func.min(t.resulted)).where(_mutant_test(t, r)).scalar_subquery()


def _latest(conds: Callable, *, result: bool = False):
    """The patient's latest (highest id) test meeting ``conds`` (on ``t``, and ``r`` its result),
    as a scalar subquery, and whether there is one."""
    t, r = aliased(Test), aliased(Result)
    where = [t.patient_id == Patient.id, *conds(t, r)] + ([r.test_id == t.id] if result else [])
    # correlate(Patient) explicitly: this subquery also sits two levels down (in ``_of_test``),
    # where automatic correlation would not reach the patients row.
    return select(func.max(t.id)).where(*where).correlate(Patient).scalar_subquery(), exists().where(*where)


def _of_test(test_id, column):
    """A column of the test ``test_id`` (a scalar subquery) points at."""
    t = aliased(Test)
    return select(getattr(t, column)).where(t.id == test_id).scalar_subquery()


def _columns(since, test_id, *extra):
    return (Patient.id.label("pid"), Patient.pseudonym.label("patient"), since.label("since"),
            test_id.label("test_id"), *extra)


_NO_TEST = cast(null(), Integer)


# ---- the lists: a query (columns pid, patient, since, test_id, extras) and the reasons ------------
# Written as EXISTS / NOT EXISTS (semi- and anti-joins the database plans well) with the shown
# values as correlated subqueries, so a page sorted by patient walks the pseudonym index and
# computes those values for its own rows only. Advanced-without-NGS is the exception: its anti-join
# needs every test scanned whatever the page, so it is one grouped query whose count rides on
# the page (``count_with_page``).

def advanced_without_ngs(today: dt.date, pending_days: int):
    """Advanced NSCLC (stage IIIB-IVB) without an NGS test (tissue or plasma) that assessed
    ERBB2: a failed test, or a result that is failed or not assessed (damaged file, panel
    without ERBB2, ...), does not count as tested. Since: the first diagnosis date."""
    # One grouped pass over the patients left by the anti-join and their diagnoses gives both
    # 'advanced' (any advanced diagnosis) and 'since' (the first diagnosis date, advanced or
    # not). As a correlated subquery PostgreSQL evaluated 'since' once per matching patient for
    # every place the sort names it (four per row sorted by days), and that plan's cost switched
    # on JIT compilation (~300 ms); a separate EXISTS for 'advanced' cost another hash of the
    # diagnoses.
    advanced = func.max(case((Diagnosis.advanced.is_(True), 1), else_=0)) == 1
    return (select(*_columns(func.min(Diagnosis.diagnosis_date), _NO_TEST))
            .join(Diagnosis, Diagnosis.patient_id == Patient.id).where(~_assessed(NGS))
            .group_by(Patient.id, Patient.pseudonym).having(advanced))


def _advanced_reasons(s: Session, rows, today: dt.date, pending_days: int) -> list[str]:
    tests = tests_of(s, [r.pid for r in rows])
    out = []
    for r in rows:
        ngs = [t for t in tests.get(r.pid, []) if t.test_type in NGS]
        pending = [t for t in ngs if t.pending]
        unusable = [t for t in ngs if t.unusable]
        if pending:
            t = pending[0]
            out.append(f"{t.label} ordered {t.ordered or t.received}, no result yet")
        elif unusable:
            out.append(_unusable_reason(unusable[-1]))
        else:
            out.append("advanced NSCLC with no NGS ordered")
    return out


def _unusable_reason(t: TestRow) -> str:
    if t.status == TestState.failed:
        return f"{t.label} failed {t.failed}; repeat testing needed"
    status = (t.her2_status or "no result").replace("_", " ")
    return f"{t.label} resulted {t.resulted} but ERBB2 {status}; repeat (or broader) NGS needed"


def pending_too_long(today: dt.date, pending_days: int):
    """Any test ordered (or received, when no order date) more than ``pending_days`` days ago,
    neither resulted nor failed; one row per test."""
    since = func.coalesce(Test.ordered, Test.received)
    cutoff = today - dt.timedelta(days=pending_days)        # (today - since).days > pending_days
    return (select(*_columns(since, Test.id, Test.test_type, Test.assay, Test.status))
            .join(Test, Test.patient_id == Patient.id)
            .where(Test.status.in_(PENDING), since.is_not(None), since < cutoff))


def _pending_reasons(s: Session, rows, today: dt.date, pending_days: int) -> list[str]:
    return [f"{r.test_type.replace('_', ' ')}" + (f" ({r.assay})" if r.assay else "")
            + f" {r.status} {r.since}, pending {(today - r.since).days} days (> {pending_days})" for r in rows]


def plasma_not_detected_without_tissue(today: dt.date, pending_days: int):
    """Plasma NGS resulted 'not detected' (no ERBB2 variant; not the same as negative), no
    activating ERBB2 mutation found elsewhere, and no tissue NGS that assessed ERBB2 or is
    pending (a failed or not-assessed tissue test does not count). Since: the latest such
    plasma result."""
    last, any_ = _latest(lambda t, r: (t.test_type == "ngs_plasma", t.status == _RESULTED,
                                       r.her2_status == Status.not_detected.value), result=True)
    return (select(*_columns(_of_test(last, "resulted"), last))
            .where(any_, ~_mutant(), ~_assessed(("ngs_tissue",)), ~_pending(("ngs_tissue",))))


def _plasma_reasons(s: Session, rows, today: dt.date, pending_days: int) -> list[str]:
    return [f"plasma NGS {r.since}: ERBB2 not detected; no tissue NGS" for r in rows]


def ihc_without_ngs(today: dt.date, pending_days: int):
    """HER2 IHC (or ISH) resulted but no NGS that assessed ERBB2 or is pending: IHC measures
    protein, it does not find ERBB2 mutations (the classic mix-up). A failed or not-assessed
    NGS does not count. Since: the latest IHC/ISH result."""
    last, any_ = _latest(lambda t, r: (t.test_type.in_(("ihc", "ish")), t.status == _RESULTED))
    r = aliased(Result)
    value = select(r.value).where(r.test_id == last).scalar_subquery()
    return (select(*_columns(_of_test(last, "resulted"), last, _of_test(last, "test_type").label("test_type"),
                             value.label("value")))
            .where(any_, ~_assessed(NGS), ~_pending(NGS)))


def _ihc_reasons(s: Session, rows, today: dt.date, pending_days: int) -> list[str]:
    return [(f"HER2 IHC {r.value}" if r.test_type == "ihc" else f"HER2 ISH ratio {r.value}")
            + f" ({r.since}) but no NGS: IHC/ISH do not detect ERBB2 mutations" for r in rows]


def _mutant_without(kinds: tuple[str, ...]):
    return select(*_columns(_mutant_since(), _NO_TEST)).where(_mutant(), ~_decided(kinds))


def her2_mutant_without_brain_mri(today: dt.date, pending_days: int):
    """HER2-mutant (activating ERBB2 mutation by NGS) with no 'brain_mri_done' decision
    recorded. Since: the first HER2-mutant result."""
    return _mutant_without(("brain_mri_done",))


def her2_mutant_without_decision(today: dt.date, pending_days: int):
    """HER2-mutant with no documented next step (therapy_chosen, trial_referral or other)."""
    return _mutant_without(TREATMENT_DECISIONS)


def _fixed(text: str):
    return lambda s, rows, today, pending_days: [text] * len(rows)


@dataclass(frozen=True)
class SqlList:
    query: Callable          # (today, pending_days) -> Select with pid, patient, since, test_id, extras
    reasons: Callable        # (session, rows, today, pending_days) -> one reason per row
    # True when every page needs the whole registry scanned anyway (an anti-join over all
    # tests): the count then rides on the page's query instead of scanning a second time.
    # Lists a page can walk by index keep a separate count (a window would make them scan all).
    count_with_page: bool = False


SQL_LISTS: dict[str, SqlList] = {
    "advanced_without_ngs": SqlList(advanced_without_ngs, _advanced_reasons, count_with_page=True),
    "pending_too_long": SqlList(pending_too_long, _pending_reasons),
    "plasma_not_detected_without_tissue": SqlList(plasma_not_detected_without_tissue, _plasma_reasons),
    "ihc_without_ngs": SqlList(ihc_without_ngs, _ihc_reasons),
    "her2_mutant_without_brain_mri": SqlList(her2_mutant_without_brain_mri,
                                             _fixed("HER2-mutant: no brain MRI recorded")),
    "her2_mutant_without_decision": SqlList(her2_mutant_without_decision,
                                            _fixed("HER2-mutant: no therapy decision or trial referral recorded")),
}


# ---- running a list: search, sort, count and page ------------------------------------------------

def select_page(s: Session, name: str, *, today: dt.date, pending_days: int, options: Options, q: str = "",
                sort: str = "patient", descending: bool = False, limit: int | None = None,
                offset: int = 0) -> tuple[int, list[WorklistRow]]:
    """(rows matching the search, the rows of the page). ``limit`` None: every row. Sorts:
    patient; since (unknown dates last); days (= today - since, unknown last); ties by
    patient then test."""
    if name in ENGINE_LISTS:
        listed = sort_rows(filter_rows(knowledge_update_changes_result(s, today, options), q), sort, descending)
        return len(listed), listed[offset:None if limit is None else offset + limit]
    spec = SQL_LISTS[name]
    sub = spec.query(today, pending_days).subquery()
    cond = contains(sub.c.patient, q)
    conds = [] if cond is None else [cond]
    key = {"patient": sub.c.patient, "since": sub.c.since, "days": sub.c.since}[sort]
    # days grow as 'since' goes back in time: ascending days is descending since.
    key_desc = descending != (sort == "days")
    ties = [sub.c.patient, sub.c.test_id]
    if sort == "patient":       # never unknown: a plain order the pseudonym index can serve
        order = [c.desc() if descending else c.asc() for c in ties]
    else:
        order = unknown_last_order(key, key_desc, ties, descending)
    count = select(func.count()).select_from(sub).where(*conds)
    total = None if spec.count_with_page else s.execute(count).scalar_one()
    # count_with_page: a window over every match (computed before OFFSET/LIMIT) carries the count
    window = [func.count().over().label("total_matching")] if spec.count_with_page else []
    q_rows = select(sub, *window).where(*conds).order_by(*order).offset(offset)
    rows = s.execute(q_rows if limit is None else q_rows.limit(limit)).all()
    if total is None:       # no row to carry it (nothing matches, past the last page, limit 0): count
        total = int(rows[0].total_matching) if rows else s.execute(count).scalar_one()
    reasons = spec.reasons(s, rows, today, pending_days)
    return total, [WorklistRow(r.patient, why, r.since, _days(r.since, today), r.test_id)
                   for r, why in zip(rows, reasons)]


def filter_rows(rows: list[WorklistRow], q: str) -> list[WorklistRow]:
    q = (q or "").strip().lower()
    return [r for r in rows if q in r.patient_id.lower()] if q else list(rows)


def sort_rows(rows: list[WorklistRow], sort: str, descending: bool) -> list[WorklistRow]:
    """The same order as ``select_page``'s SQL, for the list made by the engine."""
    def key(r: WorklistRow):
        value = {"patient": r.patient_id, "since": r.since, "days": r.days}[sort]
        return (value is None, value if value is not None else 0, r.patient_id)   # unknowns last

    out = sorted(rows, key=key)
    if descending:
        known = [r for r in out if key(r)[0] is False][::-1]
        out = known + [r for r in out if key(r)[0]]
    return out


def knowledge_update_changes_result(s: Session, today: dt.date, options: Options, **_) -> list[WorklistRow]:
    """Results made with an older knowledge-base version whose ERBB2 variants the current
    knowledge base classifies differently (each variant re-interpreted by the engine)."""
    current = load_knowledge(options.knowledge).version
    q = (select(Patient.pseudonym, Test.id, Test.resulted, Result.knowledge_version, ResultVariant)
         .join(Test, Test.patient_id == Patient.id).join(Result, Result.test_id == Test.id)
         .join(ResultVariant, ResultVariant.result_id == Result.id)
         .where(Result.knowledge_version != current, Test.status != TestState.retracted.value)
         .order_by(Test.id, ResultVariant.ordinal))
    cache: dict[tuple, str | None] = {}
    changes: dict[int, list[str]] = {}
    meta: dict[int, tuple] = {}
    for pseudonym, test_id, resulted, version, v in s.execute(q):
        key = (v.build, v.pos, v.ref, v.alt, v.hgvs_c, v.protein_change)
        if key not in cache:
            cache[key] = _reclassify(v, options)
        now = cache[key]
        if now is not None and now != v.oncogenicity:
            name = v.protein_change or v.hgvs_c
            changes.setdefault(test_id, []).append(f"{name}: {v.oncogenicity} (knowledge {version}) -> {now} "
                                                   f"(knowledge {current})")
            meta[test_id] = (pseudonym, resulted)
    return [WorklistRow(meta[t][0], "; ".join(c), meta[t][1], _days(meta[t][1], today), t)
            for t, c in changes.items()]


def _reclassify(v: ResultVariant, options: Options) -> str | None:
    try:
        if v.build and v.pos and v.ref is not None and v.alt is not None:
            r = interpret_allele(Build(v.build), v.pos, v.ref, v.alt, options=options)
        else:
            text = v.hgvs_c or v.hgvs_p or v.protein_change
            if not text:
                return None
            items = [i for i in annotate_inputs(expressions=[text], options=options) if not isinstance(i, RecordError)]
            if not items:
                return None
            r = items[0]
    except Her2scopeError:
        return None
    return r.classification.oncogenicity if r.classification else None

