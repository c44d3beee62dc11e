"""A cBioPortal folder whose sample file has no PATIENT_ID column but which has a patient file
was accepted (the PATIENT_ID requirement was dropped so that a sample file alone may lack it):
each sample then stood for its own patient, no sample id matched a patient row, and every
patient attribute (stage, smoking, survival) silently read as unknown. The study is refused,
naming the file and its header line; a sample file with no patient file still needs no
PATIENT_ID."""

from __future__ import annotations

from pathlib import Path

import pytest
from cohort_studies import lung_msk_2017_like

from her2scope.cohort.errors import StudyFileError
from her2scope.cohort.studies import open_study


def _drop_patient_id(path: Path) -> None:
    lines = path.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    col = lines[header].split("\t").index("PATIENT_ID")
    path.write_text("".join("\t".join(c for j, c in enumerate(line.split("\t")) if j != col) + "\n"
                            if i >= header else line + "\n" for i, line in enumerate(lines)))


def test_sample_file_without_patient_id_beside_a_patient_file_is_refused(tmp_path):
    d = lung_msk_2017_like(tmp_path / "study")
    _drop_patient_id(d / "data_clinical_sample.txt")
    with pytest.raises(StudyFileError, match="PATIENT_ID") as err:
        open_study(d)
    assert "data_clinical_sample.txt" in str(err.value) and "data_clinical_patient.txt" in str(err.value)


def test_sample_file_alone_needs_no_patient_id(tmp_path):
    d = lung_msk_2017_like(tmp_path / "study")
    _drop_patient_id(d / "data_clinical_sample.txt")
    (d / "data_clinical_patient.txt").unlink()
    (d / "meta_clinical_patient.txt").unlink()
    study = open_study(d)
    assert study.clinical_patient is None and study.clinical_sample is not None
