"""A sample whose patient has no row in data_clinical_patient.txt got every patient attribute
(stage, smoking, survival) as unknown with no word about it: the import now warns, with the
number of such patients and the file. Counts by hand in tests/cohort_studies.py
(lung_msk_2017_like: 12 samples of 11 patients, P-0000001..P-0000011)."""

from __future__ import annotations

from pathlib import Path

from cohort_studies import lung_msk_2017_like

from her2scope.cohort.importer import import_study
from her2scope.cohort.studies import open_study


def _warnings(d: Path, out: Path) -> list[str]:
    return [w for w in import_study(open_study(d), out)["warnings"] if "no row in data_clinical_patient" in w]


def test_patients_without_a_patient_row_are_counted(tmp_path):
    d = lung_msk_2017_like(tmp_path / "study")
    patient = d / "data_clinical_patient.txt"
    lines = patient.read_text().splitlines(keepends=True)
    patient.write_text("".join(line for line in lines if not line.startswith(("P-0000003\t", "P-0000007\t"))))
    assert _warnings(d, tmp_path / "out") == [
        "2 patient(s) of the samples have no row in data_clinical_patient.txt: their patient attributes "
        "(stage, smoking, survival ...) are unknown"]


def test_a_complete_patient_file_gives_no_such_warning(tmp_path):
    assert _warnings(lung_msk_2017_like(tmp_path / "study"), tmp_path / "out") == []
