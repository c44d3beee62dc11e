"""The patient's HER2 report from what the registry holds: the clinical data recorded for the
patient (histology and stage from the latest diagnosis; region, prior regimens and brain
metastases from the patient) and every stored test that is not retracted, turned back into a
case (the case-file schema) that ``her2scope.report.model.report_for`` - the function behind
``her2scope report`` - turns into the report.

Nothing is invented. Without histology, stage or region there is no report: the page says
which of them is missing. Prior regimens or brain metastases not recorded are passed on as
"not stated", so the report shows the options that depend on them as needing information.

A stored NGS result becomes a test with its ERBB2 variants as HGVS (genomic allele when
stored, else c., else p.), re-interpreted with the current knowledge base. What a result file
held besides its ERBB2 variants (copy-number records, other genes' drivers, VAFs) is not kept
by the registry and therefore not in this report; the report of the file itself
(Upload page, ``her2scope report``) has them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..case.picture import covers_erbb2_genes
from ..case.schema import STAGES, Histology
from ..vocabulary import TESTED_STATUSES, BrainMetastases, PriorTherapy, Region, Status, TestState
from .interpret import DEFAULT_SCORING
from .models import Patient, Test
from .roles import RegistryError
from .rows import RowRejected, check_histology, check_stage

REQUIRED = ("histology", "stage", "region")
REGIONS = tuple(r.value for r in Region)
THERAPIES = tuple(t.value for t in PriorTherapy)
BRAIN = tuple(b.value for b in BrainMetastases)
NGS_SAMPLE = {"ngs_tissue": "tissue", "ngs_plasma": "plasma"}
# Stored statuses meaning the laboratory looked at ERBB2 and reported what it found.
_ASSESSED = TESTED_STATUSES


@dataclass(frozen=True)
class ClinicalData:
    """What the registry holds for the report; None = not recorded."""

    histology: str | None
    stage: str | None
    diagnosis_date: dt.date | None
    region: str | None
    prior_therapies: tuple[str, ...] | None
    brain_metastases: str | None
    brain_mri_done: bool | None
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """Fields without which no report can be made."""
        return tuple(k for k in REQUIRED if getattr(self, k) is None)

    @property
    def not_stated(self) -> tuple[str, ...]:
        """Fields the report treats as 'not stated' (options that depend on them need information)."""
        out = []
        if self.prior_therapies is None:
            out.append("prior_therapies")
        if self.brain_metastases in (None, BrainMetastases.unknown.value):
            out.append("brain_metastases")
        return tuple(out)

    def as_dict(self) -> dict:
        return {"histology": self.histology, "stage": self.stage,
                "diagnosis_date": self.diagnosis_date.isoformat() if self.diagnosis_date else None,
                "region": self.region, "prior_therapies": None if self.prior_therapies is None
                else list(self.prior_therapies), "brain_metastases": self.brain_metastases,
                "brain_mri_done": self.brain_mri_done, "missing": list(self.missing),
                "not_stated": list(self.not_stated),
                "updated_at": self.updated_at.isoformat() if self.updated_at else None,
                "updated_by": self.updated_by}


def latest_diagnosis(p: Patient):
    return max(p.diagnoses, key=lambda d: (d.diagnosis_date or dt.date.min, d.id)) if p.diagnoses else None


def clinical_of(p: Patient) -> ClinicalData:
    dx = latest_diagnosis(p)
    mri = True if any(d.kind == "brain_mri_done" for d in p.decisions) else None
    return ClinicalData(dx.histology if dx else None, dx.stage if dx else None, dx.diagnosis_date if dx else None,
                        p.region, None if p.prior_therapies is None else tuple(p.prior_therapies),
                        p.brain_metastases, mri, p.clinical_updated_at, p.clinical_updated_by)


def current_tests(p: Patient) -> list[Test]:
    return [t for t in p.tests if t.status != TestState.retracted]


def _variant_text(v) -> str | None:
    if v.hgvs_g:
        return v.hgvs_g
    if v.hgvs_c:
        return v.hgvs_c if ":" in v.hgvs_c else f"NM_004448.4:{v.hgvs_c}"
    text = v.hgvs_p or v.protein_change
    return (text if ":" in text or text.startswith("ERBB2") else f"ERBB2 {text}") if text else None


def _ngs_entry(t: Test) -> dict | None:
    entry: dict = {"sample_type": NGS_SAMPLE[t.test_type]}
    if t.assay:
        entry["assay"] = t.assay
    if t.status == TestState.failed:
        entry.update(status=TestState.failed.value, date=t.failed)
        return entry
    if t.status != TestState.resulted or t.result is None:
        return None                   # pending: not a result yet
    entry["date"] = t.resulted
    variants = [x for x in (_variant_text(v) for v in t.result.variants) if x]
    genes = (t.result.picture or {}).get("genes_covered")
    if genes is not None:       # the panel's genes, kept with the result (interpret.py)
        entry["genes_covered"] = genes
    if variants:
        entry["variants"] = variants
    elif t.result.her2_status in _ASSESSED or (genes is not None and not covers_erbb2_genes(genes)):
        # (a panel without ERBB2: the report gives that reason, not "no sequencing result")
        entry["no_variant_reported"] = True
    elif t.result.her2_status == Status.failed:      # the picture's status: the case test failed
        entry["status"] = TestState.failed.value
    # else: not assessed (a panel without ERBB2, records that could not be read): neither
    # files nor variants, which the picture reads as "not assessed".
    return entry


def _latest_value(tests: list[Test], test_type: str) -> tuple[str, dt.date | None, dict] | None:
    """The stored value (IHC score, ISH ratio), date and stored record of the newest resulted
    test of a type; None when there is no such test or it has no value."""
    done = [(t, t.result) for t in tests if t.test_type == test_type and t.status == TestState.resulted
            and t.result is not None]
    if not done:
        return None
    test, result = max(done, key=lambda tr: (tr[0].resulted or dt.date.min, tr[0].id))
    return (result.value, test.resulted, result.picture or {}) if result is not None and result.value else None


def case_data(p: Patient, clinical: ClinicalData) -> dict:
    """The case-file dict (docs/case.md) of the patient; needs ``clinical.missing`` empty."""
    c: dict = {"histology": clinical.histology, "stage": clinical.stage, "region": clinical.region,
               "brain_metastases": clinical.brain_metastases or BrainMetastases.unknown.value}
    if clinical.prior_therapies is None:
        c["prior_lines"] = None          # not stated: never read as "first line"
    else:
        c["prior_therapies"] = list(clinical.prior_therapies)
    if clinical.brain_mri_done is not None:
        c["brain_mri_done"] = clinical.brain_mri_done
    if clinical.diagnosis_date:
        c["diagnosis_date"] = clinical.diagnosis_date
    tests = current_tests(p)
    data: dict = {"case_id": p.pseudonym, "clinical": c,
                  "ngs": [e for e in (_ngs_entry(t) for t in tests if t.test_type in NGS_SAMPLE) if e]}
    ihc = _latest_value(tests, "ihc")
    if ihc is not None:
        data["ihc"] = {"score": ihc[0], "scoring_system": DEFAULT_SCORING, "date": ihc[1]}
    ish = _latest_value(tests, "ish")
    if ish is not None:
        data["ish"] = {"her2_cep17_ratio": float(ish[0]), "mean_her2_copies": ish[2].get("ish_copies"),
                       "date": ish[1]}
    return data


@dataclass(frozen=True)
class ClinicalUpdate:
    """A validated change to a patient's clinical data (None: leave as is, except where a
    field is explicitly cleared with ``clear``)."""

    histology: str | None = None
    stage: str | None = None
    diagnosis_date: dt.date | None = None
    region: str | None = None
    prior_therapies: tuple[str, ...] | None = None
    brain_metastases: str | None = None
    clear: tuple[str, ...] = ()


def check_update(*, histology: str | None = None, stage: str | None = None, diagnosis_date=None,
                 region: str | None = None, prior_therapies=None, brain_metastases: str | None = None,
                 clear: tuple[str, ...] = ()) -> ClinicalUpdate:
    """Each value checked against its vocabulary; a RegistryError names every bad field."""
    bad = []

    def _try(fn, *args):
        try:
            return fn(*args)
        except RowRejected as exc:
            bad.append(exc.reason)
            return None

    h = _try(check_histology, histology) if histology else None
    s = _try(check_stage, stage) if stage else None
    if isinstance(diagnosis_date, str) and diagnosis_date:
        try:
            diagnosis_date = dt.date.fromisoformat(diagnosis_date)
        except ValueError:
            bad.append("diagnosis_date: a date YYYY-MM-DD")
            diagnosis_date = None
    if isinstance(diagnosis_date, dt.date) and diagnosis_date > dt.date.today():
        bad.append(f"diagnosis_date {diagnosis_date} is in the future")
    if region and region not in REGIONS:
        bad.append(f"region must be one of {', '.join(REGIONS)}")
    therapies = None
    if prior_therapies is not None:
        unknown = [t for t in prior_therapies if t not in THERAPIES]
        if unknown:
            bad.append(f"prior_therapies: unknown value(s); choose from {', '.join(THERAPIES)}")
        therapies = tuple(t for t in THERAPIES if t in prior_therapies)     # vocabulary order, no repeats
    if brain_metastases and brain_metastases not in BRAIN:
        bad.append(f"brain_metastases must be one of {', '.join(BRAIN)}")
    unknown_clear = [c for c in clear if c not in ("region", "prior_therapies", "brain_metastases")]
    if unknown_clear:
        bad.append("only region, prior_therapies and brain_metastases can be cleared")
    if bool(h) != bool(s) and (h or s):
        bad.append("histology and stage go together: give both")
    if bad:
        raise RegistryError("; ".join(bad))
    return ClinicalUpdate(h, s, diagnosis_date or None, region or None, therapies, brain_metastases or None,
                          tuple(clear))


HISTOLOGIES = tuple(h.value for h in Histology)
__all__ = ["ClinicalData", "ClinicalUpdate", "STAGES", "HISTOLOGIES", "REGIONS", "THERAPIES", "BRAIN",
           "case_data", "check_update", "clinical_of"]
