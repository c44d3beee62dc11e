"""The testing-gap worklists as they were defined before they moved into SQL: plain Python
over a full snapshot of the registry (``registry.snapshot.load``). Kept here only as the
independent oracle the SQL definitions (``her2scope/registry/worklists.py``) are compared with
(tests/test_registry_worklists_sql.py); not used by the package."""

from __future__ import annotations

import datetime as dt

from her2scope.registry.dto import WorklistRow
from her2scope.registry.snapshot import PatientRow

TREATMENT_DECISIONS = ("therapy_chosen", "trial_referral", "other")


def _days(since: dt.date | None, today: dt.date) -> int | None:
    return (today - since).days if since else None


def _ngs_done_or_pending(p: PatientRow, test_type: str | None = None) -> bool:
    """An NGS test (of ``test_type``, or any) that assessed ERBB2 or is still pending."""
    return any((t.assessed or t.pending) for t in p.ngs() if test_type in (None, t.test_type))


def advanced_without_ngs(patients: list[PatientRow], today: dt.date, **_) -> list[WorklistRow]:
    """Advanced NSCLC (stage IIIB-IVB) without an NGS test (tissue or plasma) that assessed
    ERBB2: a failed test, or a result that is failed or not assessed (damaged file, panel
    without ERBB2, ...), does not count as tested."""
    out = []
    for p in patients:
        if not p.advanced:
            continue
        ngs = p.ngs()
        if any(t.assessed for t in ngs):
            continue
        pending = [t for t in ngs if t.pending]
        unusable = [t for t in ngs if t.unusable]
        if pending:
            t = pending[0]
            reason = f"{t.label} ordered {t.ordered or t.received}, no result yet"
        elif unusable:
            reason = _unusable_reason(unusable[-1])
        else:
            reason = "advanced NSCLC with no NGS ordered"
        out.append(WorklistRow(p.pseudonym, reason, p.diagnosis_date, _days(p.diagnosis_date, today)))
    return out


def _unusable_reason(t) -> str:
    if t.status == "failed":
        return f"{t.label} failed {t.failed}; repeat testing needed"
    status = (t.her2_status or "no result").replace("_", " ")
    return f"{t.label} resulted {t.resulted} but ERBB2 {status}; repeat (or broader) NGS needed"


def pending_too_long(patients: list[PatientRow], today: dt.date, pending_days: int = 14, **_) -> list[WorklistRow]:
    """Any test ordered (or received) more than ``pending_days`` days ago, neither resulted nor failed."""
    out = []
    for p in patients:
        for t in p.tests:
            since = t.ordered or t.received
            if t.status in ("ordered", "received") and since and (today - since).days > pending_days:
                out.append(WorklistRow(p.pseudonym, f"{t.test_type.replace('_', ' ')}"
                                       + (f" ({t.assay})" if t.assay else "")
                                       + f" {t.status} {since}, pending {(today - since).days} days "
                                       f"(> {pending_days})", since, (today - since).days, t.id))
    return out


def plasma_not_detected_without_tissue(patients: list[PatientRow], today: dt.date, **_) -> list[WorklistRow]:
    """Plasma NGS resulted 'not detected' (no ERBB2 variant; not the same as negative), no
    activating ERBB2 mutation found elsewhere, and no tissue NGS that assessed ERBB2 or is
    pending (a failed or not-assessed tissue test does not count)."""
    out = []
    for p in patients:
        plasma = [t for t in p.ngs() if t.test_type == "ngs_plasma" and t.status == "resulted"
                  and t.her2_status == "not_detected"]
        if not plasma or p.her2_mutant or _ngs_done_or_pending(p, "ngs_tissue"):
            continue
        since = plasma[-1].resulted
        out.append(WorklistRow(p.pseudonym, f"plasma NGS {since}: ERBB2 not detected; no tissue NGS",
                               since, _days(since, today), plasma[-1].id))
    return out


def ihc_without_ngs(patients: list[PatientRow], today: dt.date, **_) -> list[WorklistRow]:
    """HER2 IHC (or ISH) resulted but no NGS that assessed ERBB2 or is pending: IHC measures
    protein, it does not find ERBB2 mutations (the classic mix-up). A failed or not-assessed
    NGS does not count."""
    out = []
    for p in patients:
        ihc = [t for t in p.tests if t.test_type in ("ihc", "ish") and t.status == "resulted"]
        if not ihc or _ngs_done_or_pending(p):
            continue
        t = ihc[-1]
        what = f"HER2 IHC {t.value}" if t.test_type == "ihc" else f"HER2 ISH ratio {t.value}"
        out.append(WorklistRow(p.pseudonym, f"{what} ({t.resulted}) but no NGS: IHC/ISH do not detect "
                               "ERBB2 mutations", t.resulted, _days(t.resulted, today), t.id))
    return out


def _mutant_since(p: PatientRow) -> dt.date | None:
    days = [t.resulted for t in p.ngs() if t.status == "resulted" and t.her2_status == "positive" and t.resulted]
    return min(days) if days else None


def her2_mutant_without_brain_mri(patients: list[PatientRow], today: dt.date, **_) -> list[WorklistRow]:
    """HER2-mutant (activating ERBB2 mutation by NGS) with no 'brain_mri_done' decision recorded."""
    out = []
    for p in patients:
        if p.her2_mutant and "brain_mri_done" not in {k for k, _ in p.decisions}:
            since = _mutant_since(p)
            out.append(WorklistRow(p.pseudonym, "HER2-mutant: no brain MRI recorded", since, _days(since, today)))
    return out


def her2_mutant_without_decision(patients: list[PatientRow], today: dt.date, **_) -> list[WorklistRow]:
    """HER2-mutant with no documented next step (therapy_chosen, trial_referral or other)."""
    out = []
    for p in patients:
        if p.her2_mutant and not {k for k, _ in p.decisions} & set(TREATMENT_DECISIONS):
            since = _mutant_since(p)
            out.append(WorklistRow(p.pseudonym, "HER2-mutant: no therapy decision or trial referral recorded",
                                   since, _days(since, today)))
    return out


PYTHON_LISTS = {
    "advanced_without_ngs": advanced_without_ngs, "pending_too_long": pending_too_long,
    "plasma_not_detected_without_tissue": plasma_not_detected_without_tissue, "ihc_without_ngs": ihc_without_ngs,
    "her2_mutant_without_brain_mri": her2_mutant_without_brain_mri,
    "her2_mutant_without_decision": her2_mutant_without_decision,
}


def filter_rows(rows: list[WorklistRow], q: str) -> list[WorklistRow]:
    """The search as it was done in Python: pseudonym contains q, case-insensitive."""
    q = (q or "").strip().lower()
    return [r for r in rows if q in r.patient_id.lower()] if q else list(rows)


def sort_rows(rows: list[WorklistRow], sort: str, descending: bool) -> list[WorklistRow]:
    """The sort as it was done in Python: unknown values last in both directions."""
    def key(r: WorklistRow):
        value = {"patient": r.patient_id, "since": r.since, "days": r.days}[sort]
        return (value is None, value if value is not None else 0, r.patient_id)

    out = sorted(rows, key=key)
    if descending:
        known = [r for r in out if key(r)[0] is False][::-1]
        out = known + [r for r in out if key(r)[0]]
    return out
