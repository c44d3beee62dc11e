"""Names and values read from a study are data, never SQL (issue 11): the importer quotes every
column name through one identifier helper and binds every path and value as a parameter. A
clinical attribute named ``x"; DROP TABLE patients; --``, a stage value holding quotes, a
copy-number sample column named like an injection and a study folder with quotes in its name
import as plain text: nothing ends an identifier or a string, nothing is executed.

Expected values by hand from tests/cohort_studies.py (lung_msk_2017_like: 12 samples of 11
patients, all 12 in data_cna.txt) plus the one copy-number-only column added here."""

from __future__ import annotations

from pathlib import Path

import duckdb

from cohort_studies import lung_msk_2017_like

from her2scope.cohort.importer import import_study
from her2scope.cohort.studies import open_study

HOSTILE_COLUMN = 'x"; DROP TABLE patients; --'
HOSTILE_STAGE = "IV'); DROP TABLE praw; --\"\""
HOSTILE_SAMPLE = "S\"'); DROP TABLE cna; --"


def _add_patient_column(path: Path) -> None:
    """A last column named HOSTILE_COLUMN; P-0000001's stage (IV) becomes HOSTILE_STAGE."""
    lines = path.read_text().splitlines()
    out = []
    for n, line in enumerate(lines):
        if line.startswith("#"):
            out.append(line + "\t#x")
        elif n == 4:                           # the attribute names
            out.append(line + "\t" + HOSTILE_COLUMN)
        else:
            fields = line.split("\t")
            if fields[0] == "P-0000001":
                fields[4] = HOSTILE_STAGE
            out.append("\t".join(fields) + "\t'; SELECT 1; --")
    path.write_text("\n".join(out) + "\n")


def _add_cna_column(path: Path) -> None:
    """One more sample column, amplified (2) at ERBB2, 0 elsewhere."""
    lines = path.read_text().splitlines()
    head, rows = lines[0], lines[1:]
    out = [head + "\t" + HOSTILE_SAMPLE]
    out += [r + ("\t2" if r.startswith("ERBB2\t") else "\t0") for r in rows]
    path.write_text("\n".join(out) + "\n")


def _study(tmp_path: Path) -> Path:
    d = lung_msk_2017_like(tmp_path / "it's a \"study\"; DROP TABLE samples; --")
    _add_patient_column(d / "data_clinical_patient.txt")
    _add_cna_column(d / "data_cna.txt")
    return d


def test_hostile_names_and_values_import_as_text(tmp_path):
    out = tmp_path / "out'put"
    m = import_study(open_study(_study(tmp_path)), out)

    assert {"file": "data_clinical_patient.txt", "column": HOSTILE_COLUMN} in m["clinical"]["not_understood"]
    stage = m["clinical"]["attributes"]["stage"]
    assert stage["unrecognised_values"] == {HOSTILE_STAGE: 1}
    assert stage["patients_with_value"] == 9    # 11 patients; P-0000009 "Unknown" (NA), P-0000001 hostile
    assert m["counts"]["samples"] == 13               # the 12 samples + the copy-number-only column
    assert m["counts"]["in_cna"] == 13
    assert m["counts"]["cna_only"] == 1

    con = duckdb.connect()
    patients = dict(con.execute("SELECT patient_id, stage_raw FROM read_parquet(?)",
                                [str(out / "patients.parquet")]).fetchall())
    assert len(patients) == 12      # 11 + the copy-number-only sample, which is its own patient
    assert patients["P-0000001"] == HOSTILE_STAGE
    assert patients["P-0000002"] == "IV"
    cna = con.execute("SELECT in_cna, erbb2_cna FROM read_parquet(?) WHERE sample_id = ?",
                      [str(out / "samples.parquet"), HOSTILE_SAMPLE]).fetchall()
    assert cna == [(True, 2.0)]
