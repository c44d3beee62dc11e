"""The worklists selected in SQL give exactly what the old Python definitions (over a full
snapshot of the registry, kept in tests/registry_worklist_oracle.py) gave: the same rows, the
same reasons, in the same order, for every search, sort and page, on a generated registry of
a few hundred patients with every kind of test state (pending with or without an order date,
failed, not assessed, not detected, equivocal, retracted, IHC/ISH, several diagnoses,
decisions)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import registry_worklist_oracle as oracle
import registry_helpers as support
from registry_helpers import TODAY

from her2scope.registry import snapshot
from her2scope.registry.demo import synthetic_rows, write_rows
from her2scope.registry.models import Decision, Diagnosis, Patient, Result
from her2scope.registry import models
from her2scope.registry.worklists import NAMES, SORTS

db_url = support.db_url  # shared fixture
registry = support.registry  # shared fixture
users = support.users  # shared fixture

SQL_NAMES = tuple(oracle.PYTHON_LISTS)
RESULT_STATUSES = ("positive", "negative", "not_detected", "equivocal", "failed", "not_assessed")


def _day(rng: random.Random, lo: int, hi: int) -> dt.date | None:
    return TODAY - dt.timedelta(days=rng.randint(lo, hi))


def _scramble(s, rng: random.Random) -> None:
    """Extra states the CSV generator does not make, written straight into the tables."""
    patients = s.query(Patient).order_by(Patient.id).all()
    for p in patients:
        if rng.random() < 0.1:      # an earlier, non-advanced diagnosis (or one without a date)
            s.add(Diagnosis(patient_id=p.id, natural_key=f"{p.pseudonym}|extra", histology="adenocarcinoma",
                            stage="IB", advanced=False,
                            diagnosis_date=None if rng.random() < 0.3 else _day(rng, 300, 900)))
        for k in range(rng.choice((0, 0, 0, 1, 2))):
            test_type = rng.choice(("ngs_tissue", "ngs_plasma", "ngs_plasma", "ihc", "ish"))
            status = rng.choice(("ordered", "received", "resulted", "resulted", "failed", "retracted"))
            ordered = None if rng.random() < 0.25 else _day(rng, 1, 60)
            received = _day(rng, 0, 40) if status != "ordered" or ordered is None else None
            t = models.Test(patient_id=p.id, natural_key=f"{p.pseudonym}|x{k}", test_type=test_type, status=status,
                     assay=rng.choice((None, "panel")), ordered=ordered, received=received,
                     resulted=_day(rng, 0, 30) if status in ("resulted", "retracted") else None,
                     failed=_day(rng, 0, 30) if status == "failed" else None)
            s.add(t)
            s.flush()
            if status in ("resulted", "retracted") and rng.random() < 0.9:
                ngs = test_type.startswith("ngs_")
                s.add(Result(test_id=t.id, summary="generated", knowledge_version="test",
                             her2_status=rng.choice(RESULT_STATUSES) if ngs else "positive",
                             value=None if ngs else rng.choice(("0", "1+", "2+", "3+", "2.4"))))
        for kind in ("brain_mri_done", "therapy_chosen", "trial_referral", "other"):
            if rng.random() < 0.1:
                s.add(Decision(patient_id=p.id, kind=kind, detail="generated", actor="test"))


@pytest.fixture(scope="module")
def generated(registry, users, tmp_path_factory):
    rows = synthetic_rows(400, seed=13, today=TODAY, her2_rate=0.15, prefix="G")
    path = write_rows(tmp_path_factory.mktemp("gen") / "generated.csv", rows)
    assert registry.import_csv(path, users["data_manager"], today=TODAY).ok
    with registry._tx() as s:
        _scramble(s, random.Random(5))
    with registry._tx() as s:
        patients = sorted(snapshot.load(s).values(), key=lambda p: p.pseudonym)
    return patients


@pytest.mark.parametrize("pending_days", [0, 14, 40])
def test_sql_lists_equal_the_python_definitions(registry, users, generated, pending_days):
    got = registry.worklists(users["viewer"], today=TODAY, pending_days=pending_days, names=SQL_NAMES)
    for name, define in oracle.PYTHON_LISTS.items():
        want = define(generated, TODAY, pending_days=pending_days)
        assert got[name] == want, name
    # the generated registry exercises every list, and the tricky rows are there
    assert all(got[name] for name in SQL_NAMES)
    reasons = " | ".join(r.reason for r in got["advanced_without_ngs"])
    assert "no result yet" in reasons and "failed" in reasons and "not assessed" in reasons


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("q", ["", "g-0001", "G-00", "nobody"])
def test_pages_equal_the_python_search_and_sort(registry, users, generated, sort, descending, q):
    for name in ("advanced_without_ngs", "pending_too_long", "ihc_without_ngs"):
        want = oracle.sort_rows(oracle.filter_rows(oracle.PYTHON_LISTS[name](generated, TODAY, pending_days=5), q),
                                sort, descending)
        pages, page = [], 1
        while True:
            got = registry.worklist_page(name, users["viewer"], q=q, sort=sort, descending=descending, page=page,
                                         per_page=37, today=TODAY, pending_days=5)
            assert got.total == len(want)
            pages.extend(got.items)
            if page >= got.pages:
                break
            page += 1
        assert pages == want, (name, sort, descending, q)
        export = registry.export_worklist(name, users["viewer"], q=q, sort=sort, descending=descending,
                                          today=TODAY, pending_days=5)
        assert export == want


def test_overview_counts_and_first_rows(registry, users, generated):
    over = registry.worklist_overview(users["viewer"], shown=3, today=TODAY, names=SQL_NAMES)
    for name in SQL_NAMES:
        want = oracle.PYTHON_LISTS[name](generated, TODAY, pending_days=14)
        assert over[name].total == len(want) and list(over[name].items) == want[:3]
    assert set(registry.worklist_overview(users["viewer"], shown=0, today=TODAY)) == set(NAMES)


def test_patient_status_filter_and_sort_equal_the_python_status(registry, users, generated):
    """The patients page's status filter and sort (SQL) against ``views.mutation_status`` over
    the snapshot (``list_patients``), for every status."""
    from her2scope.registry.patient_ops import STATUSES

    v = users["viewer"]
    python = {p.patient_id: p.her2_mutation for p in registry.list_patients(v)}
    assert len(set(python.values())) >= 6            # the generated registry has most statuses
    for status in STATUSES:
        page = registry.patients_page(v, status=status, per_page=500)
        assert {p.patient_id for p in page.items} == {k for k, s in python.items() if s == status}, status
        assert page.total == len(page.items)
    by_status = registry.patients_page(v, sort="status", per_page=500)
    assert [p.patient_id for p in by_status.items] == sorted(python, key=lambda k: (python[k], k))[:500]
    assert {p.patient_id: p.her2_mutation for p in by_status.items} == \
        {k: python[k] for k in [p.patient_id for p in by_status.items]}
