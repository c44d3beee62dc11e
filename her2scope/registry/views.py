"""ORM rows -> the frozen DTOs handed out (patient detail, timeline, result info)."""

from __future__ import annotations

from ..case.picture import combined_mutation_status
from ..vocabulary import Status, TestState
from .clinical import clinical_of
from .dto import DecisionInfo, DiagnosisInfo, PatientDetail, ResultInfo, TestInfo, TimelineEvent, VariantInfo
from .models import Patient, Result, Test

NGS = ("ngs_tissue", "ngs_plasma")
_TEST_LABEL = {"ngs_tissue": "tissue NGS", "ngs_plasma": "plasma NGS", "ihc": "HER2 IHC", "ish": "HER2 ISH"}


def mutation_status(tests: list[tuple[str, str, str | None]]) -> str:
    """Overall ERBB2 mutation status of a patient from (test_type, test_status, result status)
    of its NGS tests; the per-test statuses are the HER2 picture's own."""
    ngs = [(tt, st, rs) for tt, st, rs in tests if tt in NGS]
    combined = combined_mutation_status(rs for _, st, rs in ngs if st == TestState.resulted and rs)
    if combined is not None:          # the HER2 picture's own order when tests disagree
        return combined.value
    if any(st in (TestState.ordered, TestState.received) for _, st, _ in ngs):
        return "pending"
    if any(st == TestState.failed for _, st, _ in ngs):
        return Status.failed.value
    return Status.not_tested.value


def result_info(r: Result, t: Test, pseudonym: str) -> ResultInfo:
    variants = tuple(VariantInfo(v.protein_change, v.hgvs_c, v.hgvs_p, v.hgvs_g, v.alteration_class,
                                 v.oncogenicity, v.build, v.pos, v.ref, v.alt, v.vaf) for v in r.variants)
    return ResultInfo(r.id, t.id, pseudonym, t.test_type, r.her2_status, r.summary, r.value,
                      r.knowledge_version, variants, r.picture, r.source_file, r.created_at)


def test_info(t: Test, pseudonym: str) -> TestInfo:
    res = result_info(t.result, t, pseudonym) if t.result is not None else None
    return TestInfo(t.id, t.test_type, t.assay, t.external_id, t.status, t.ordered, t.received,
                    t.resulted, t.failed, res, t.retracted_at, t.retracted_by, t.retraction_reason)


def patient_detail(p: Patient) -> PatientDetail:
    diagnoses = tuple(DiagnosisInfo(d.histology, d.stage, d.diagnosis_date, d.advanced) for d in p.diagnoses)
    tests = tuple(test_info(t, p.pseudonym) for t in p.tests)
    current = tuple(t for t in tests if t.status != TestState.retracted)     # a retracted test is kept, not counted
    results = tuple(t.result for t in current if t.result is not None)
    decisions = tuple(DecisionInfo(d.kind, d.detail, d.decided_at, d.actor) for d in p.decisions)
    status = mutation_status([(t.test_type, t.status, t.result.her2_status if t.result else None) for t in current])
    return PatientDetail(p.pseudonym, status, diagnoses, tests, results, decisions,
                         timeline(diagnoses, tests, decisions), clinical_of(p).as_dict())


def timeline(diagnoses, tests, decisions) -> tuple[TimelineEvent, ...]:
    events: list[tuple] = []
    for d in diagnoses:
        if d.diagnosis_date:
            events.append((d.diagnosis_date, 0, "diagnosis",
                           f"{d.histology.replace('_', ' ')}, stage {d.stage}" + (" (advanced)" if d.advanced else "")))
    for t in tests:
        label = _TEST_LABEL.get(t.test_type, t.test_type) + (f" ({t.assay})" if t.assay else "")
        if t.ordered:
            events.append((t.ordered, 1, "test_ordered", f"{label} ordered"))
        if t.received:
            events.append((t.received, 2, "test_received", f"{label}: sample received"))
        if t.resulted:
            text = t.result.summary if t.result else "resulted"
            events.append((t.resulted, 3, "test_resulted", f"{label}: {text}"))
        if t.failed:
            events.append((t.failed, 3, "test_failed", f"{label} failed"))
        if t.retracted_at:
            events.append((t.retracted_at.date(), 3, "test_retracted",
                           f"{label}: result retracted by {t.retracted_by}: {t.retraction_reason}"))
    for d in decisions:
        events.append((d.decided_at.date(), 4, "decision", f"{d.kind.replace('_', ' ')}: {d.detail}"))
    events.sort(key=lambda e: (e[0], e[1]))
    return tuple(TimelineEvent(day, kind, text) for day, _, kind, text in events)
