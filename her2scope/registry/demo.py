"""Demo and synthetic registries, built only through the public import/attach calls.

``build_demo`` loads ~30 pseudonymous advanced NSCLC patients: a CSV of diagnoses and tests
(written here, imported with ``import_csv``), then the bundled demo VCFs attached through the
engine (``attach_ngs_result``), then each patient's region (and, for the patient whose VCF
shows the YVMA duplication, the prior regimens and brain status its decisions speak of) through
``update_clinical``, so the patient's report (``registry report``, the patient page) can be made
for every demo patient, then a few decisions. ``write_synthetic_csv`` writes large files in the
import template for benchmarks and crash tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from .clinical import check_update
from .csv_import import COLUMNS
from .roles import Role

# Variants as an NGS report would list them (HGVS), with roughly realistic weights among
# HER2-mutant NSCLC (YVMA duplication dominant, then G776delinsVC, S310F, L755P, V842I ...).
REPORTED_VARIANTS = (("p.Y772_A775dup", 50), ("p.G776delinsVC", 8), ("p.G778_P780dup", 6), ("p.S310F", 8),
                     ("p.L755P", 4), ("p.V842I", 5), ("p.V777L", 5), ("p.I655V", 3))
HISTOLOGY = (("adenocarcinoma", 80), ("squamous", 10), ("nsclc_nos", 5), ("adenosquamous", 3), ("large_cell", 2))
STAGES = (("IVB", 35), ("IVA", 30), ("IV", 10), ("IIIB", 10), ("IIIC", 5), ("IIIA", 10))
REGIONS = (("US", 40), ("EU", 35), ("JP", 15), ("CN", 10))
# Clinical data of the patients the bundled VCFs belong to (the rest get a region only).
DEMO_CLINICAL: dict[str, dict[str, Any]] = {     # keyword arguments of clinical.check_update
    "DEMO-VCF01": dict(region="US", prior_therapies=("platinum_chemotherapy", "immunotherapy"), brain_metastases="no"),
    "DEMO-VCF02": dict(region="EU"),
    "DEMO-VCF03": dict(region="JP"),
}
DEMO_PASSWORDS = {"demo-admin": "demo-admin-password", "demo-clinician": "demo-clinician-password",
                  "demo-viewer": "demo-viewer-password"}


def _pick(rng: random.Random, weighted) -> str:
    items, weights = zip(*weighted)
    return rng.choices(items, weights=weights)[0]


def synthetic_rows(n_patients: int, *, seed: int = 7, today: dt.date | None = None,
                   her2_rate: float = 0.03, prefix: str = "SYN") -> list[dict]:
    rng = random.Random(seed)
    today = today or dt.date.today()
    rows = []
    for i in range(1, n_patients + 1):
        pid = f"{prefix}-{i:06d}"
        dx_date = today - dt.timedelta(days=rng.randint(20, 400))
        base = dict(patient_id=pid, histology=_pick(rng, HISTOLOGY), stage=_pick(rng, STAGES),
                    diagnosis_date=dx_date.isoformat())
        roll = rng.random()
        if roll < 0.08:                                    # no test yet
            rows.append(base)
            continue
        kind = "ngs_plasma" if roll < 0.25 else "ngs_tissue"
        ordered = dx_date + dt.timedelta(days=rng.randint(1, 15))
        received = ordered + dt.timedelta(days=rng.randint(0, 4))
        tat = max(3, int(rng.gauss(14 if kind == "ngs_tissue" else 8, 4)))
        resulted = received + dt.timedelta(days=tat)
        row = dict(base, test_type=kind, test_id=f"{pid}-T1", assay="broad NGS panel",
                   ordered=ordered.isoformat(), received=received.isoformat())
        if resulted > today or rng.random() < 0.05:
            pass                                           # still pending
        elif rng.random() < 0.04:
            row["failed"] = resulted.isoformat()
        else:
            row["resulted"] = resulted.isoformat()
            if rng.random() < her2_rate:
                row["erbb2_variants"] = _pick(rng, REPORTED_VARIANTS)
        rows.append(row)
        if rng.random() < 0.15:                            # a HER2 IHC as well
            ihc_day = dx_date + dt.timedelta(days=rng.randint(2, 10))
            if ihc_day <= today:
                rows.append(dict(base, test_type="ihc", test_id=f"{pid}-IHC", assay="4B5",
                                 ordered=ihc_day.isoformat(), resulted=ihc_day.isoformat(),
                                 result=rng.choice(("0", "1+", "2+", "3+")),
                                 scoring_system="gastric criteria (Hofmann 2008)"))
    return rows


def write_rows(path: str | Path, rows: list[dict]) -> Path:
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path


def write_synthetic_csv(path: str | Path, n_patients: int, *, seed: int = 7, today: dt.date | None = None,
                        her2_rate: float = 0.03, prefix: str = "SYN") -> Path:
    return write_rows(path, synthetic_rows(n_patients, seed=seed, today=today, her2_rate=her2_rate, prefix=prefix))


def _demo_dir() -> Path:
    return Path(str(resources.files("her2scope") / "demo_data"))


def build_demo(registry, *, n_patients: int = 30, today: dt.date | None = None, seed: int = 2026) -> dict:
    """Create the demo users (if missing) and load the demo patients. Returns a summary."""
    today = today or dt.date.today()
    users = {}
    for name, role in (("demo-admin", Role.admin), ("demo-clinician", Role.clinician), ("demo-viewer", Role.viewer)):
        user = registry.authenticate(name, DEMO_PASSWORDS[name])
        users[name] = user or registry.create_user(name, DEMO_PASSWORDS[name], role)
    admin = users["demo-admin"]
    rows = synthetic_rows(n_patients - 7, seed=seed, today=today, her2_rate=0.08, prefix="DEMO")
    d = lambda days: (today - dt.timedelta(days=days)).isoformat()   # noqa: E731
    extra = [   # the patients the bundled VCFs belong to, each showing one worklist
        dict(patient_id="DEMO-VCF01", histology="adenocarcinoma", stage="IVB", diagnosis_date=d(60),
             test_type="ngs_tissue", test_id="DEMO-VCF01-T1", assay="Oncomine Dx Target Test", ordered=d(55)),
        dict(patient_id="DEMO-VCF02", histology="adenocarcinoma", stage="IVA", diagnosis_date=d(90),
             test_type="ngs_tissue", test_id="DEMO-VCF02-T1", assay="FoundationOne CDx", ordered=d(85)),
        dict(patient_id="DEMO-VCF03", histology="adenocarcinoma", stage="IV", diagnosis_date=d(45)),
        dict(patient_id="DEMO-PLASMA", histology="adenocarcinoma", stage="IVB", diagnosis_date=d(40),
             test_type="ngs_plasma", test_id="DEMO-PLASMA-T1", assay="plasma ctDNA panel", ordered=d(38)),
        dict(patient_id="DEMO-IHC", histology="adenocarcinoma", stage="IVB", diagnosis_date=d(30),
             test_type="ihc", test_id="DEMO-IHC-1", assay="4B5", ordered=d(28), resulted=d(26), result="3+",
             scoring_system="gastric criteria (Hofmann 2008)"),
        dict(patient_id="DEMO-EX20", histology="adenocarcinoma", stage="IVA", diagnosis_date=d(75),
             test_type="ngs_tissue", test_id="DEMO-EX20-T1", assay="broad NGS panel", ordered=d(70),
             received=d(68), resulted=d(55), erbb2_variants="p.G776delinsVC"),
        dict(patient_id="DEMO-WAIT", histology="squamous", stage="IIIC", diagnosis_date=d(50),
             test_type="ngs_tissue", test_id="DEMO-WAIT-T1", assay="broad NGS panel", ordered=d(35)),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        report = registry.import_csv(write_rows(Path(tmp) / "demo_registry.csv", rows + extra), admin, today=today)
    demo = _demo_dir()
    attached = []
    for pid, name, kind, days in (("DEMO-VCF01", "patient01_yvma_grch38.vcf", "tissue", 40),
                                  ("DEMO-VCF02", "patient02_s310f_grch37.vcf.gz", "tissue", 70),
                                  ("DEMO-VCF03", "patient03_split_l755p_grch38.vcf", "tissue", 20),
                                  ("DEMO-PLASMA", "cases/plasma_no_erbb2_grch37.vcf", "plasma", 30)):
        r = registry.attach_ngs_result(pid, demo / name, admin, sample_type=kind,
                                       resulted=today - dt.timedelta(days=days))
        attached.append((pid, name, r.her2_status))
    _set_clinical(registry, sorted({r["patient_id"] for r in rows + extra}), admin, seed)
    registry.record_decision("DEMO-VCF01", "brain_mri_done", "brain MRI: no metastases", admin)
    registry.record_decision("DEMO-VCF01", "therapy_chosen", "trastuzumab deruxtecan after first line", admin)
    registry.record_decision("DEMO-VCF02", "trial_referral", "referred to a HER2 TKI trial", admin)
    return {"import": report, "attached": attached, "users": {k: DEMO_PASSWORDS[k] for k in users}}


def _set_clinical(registry, patient_ids: list[str], actor, seed: int) -> None:
    """Histology and stage come with the imported diagnosis; the region (and for the VCF
    patients their stated history) is set here, as a clinician would on the patient page."""
    rng = random.Random(seed)
    for pid in patient_ids:
        region = _pick(rng, REGIONS)
        registry.update_clinical(pid, check_update(**DEMO_CLINICAL.get(pid, {"region": region})), actor)
